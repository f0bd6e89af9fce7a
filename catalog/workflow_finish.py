"""The finish action of every Wagtail workflow (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail imports this setting while its own models load, so this module imports nothing
at load time; the work is in ``catalog.workflow.publish_approved_course``.
"""


def publish_approved_course(workflow_state, user=None) -> None:
    """Publish an approved course with its changed drafts; anything else as Wagtail does."""
    # Imported here: Wagtail's models are still loading when this module is imported.
    from .workflow import publish_approved_course as publish

    publish(workflow_state, user=user)
