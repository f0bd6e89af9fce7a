"""Course review: a course is reviewed, approved and published as a whole.

Built on Wagtail's workflow API rather than a fork of its views:

- Submitting a module or lesson submits its course. Their pages return a
  :class:`CourseReviewWorkflow` (a proxy of the "Course review" workflow) whose
  ``start`` puts the course in review instead, so the reviewer gets one item: the course.
- While the course is in review its modules and lessons are locked for everyone but
  the reviewers (``catalog.permissions.CourseReviewLock``), as Wagtail locks the course
  itself, so what is approved is what the reviewer previewed.
- :class:`CourseReviewTask` is Wagtail's group approval, except that a course which
  would have no published lesson cannot be approved (the approve action is not
  offered; the reviewer's preview says why).
- Approval ends in :func:`publish_approved_course` (``WAGTAIL_FINISH_WORKFLOW_ACTION``),
  which publishes the changed drafts below the course and then the course, in one
  transaction, each page logged in its history. Requesting changes leaves every draft
  as it is, unpublished, until the course is resubmitted.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowState
from wagtail.workflows import publish_workflow_state

from base.errors import FledgeError

from .permissions import STEP, CourseContentPermissions

#: Why a course cannot go live; shown to whoever tries to publish or approve it.
NO_LIVE_LESSON = (
    "A course goes live only with at least one published lesson. Add a module with a "
    "lesson, then submit the course for review: approving it publishes the course "
    "together with its draft modules and lessons."
)


class CourseNotReady(FledgeError):
    """Raised when a course would go live without a published lesson (a 409)."""

    status = 409

    def __init__(self, message: str = NO_LIVE_LESSON):
        super().__init__(message)


def is_course(page: Page) -> bool:
    """Whether ``page`` (specific or not) is a course page."""
    cls = getattr(page, "specific_class", None) or type(page)
    return issubclass(cls, CourseContentPermissions) and cls.levels_below_course == 0


def will_be_published(page: Page) -> bool:
    """Whether publishing a course with its drafts publishes ``page``: it has changes
    not yet live, and was not taken offline on purpose (unpublished, and not edited
    since it was last published)."""
    if not page.has_unpublished_changes:
        return False
    unpublished_on_purpose = (
        not page.live
        and page.last_published_at is not None
        and page.latest_revision_created_at is not None
        and page.latest_revision_created_at <= page.last_published_at
    )
    return not unpublished_on_purpose


def has_live_lesson(course: Page, *, after_review: bool = False, without: Page | None = None):
    """Whether the course has a published lesson in a published module, in one query.

    With ``after_review``: whether it would once its drafts are published with it.
    With ``without``: whether it still would once that module or lesson is gone.
    """
    depth = course.depth
    pages = Page.objects.descendant_of(course).filter(depth__in=[depth + 1, depth + 2])
    if without is not None:
        pages = pages.exclude(path__startswith=without.path)
    pages = list(
        pages.only(
            "path",
            "depth",
            "live",
            "has_unpublished_changes",
            "last_published_at",
            "latest_revision_created_at",
        )
    )

    def live(page: Page) -> bool:
        return page.live or (after_review and will_be_published(page))

    modules = {page.path for page in pages if page.depth == depth + 1 and live(page)}
    return any(
        page.depth == depth + 2 and live(page) and page.path[:-STEP] in modules for page in pages
    )


def changed_pages(course: Page) -> list[Page]:
    """The course's modules and lessons that approving the course publishes, in tree
    order (parents first)."""
    descendants = Page.objects.descendant_of(course).order_by("path")
    return [page for page in descendants if will_be_published(page)]


@transaction.atomic
def publish_course(course: Page, *, user: AbstractBaseUser | None) -> list[Page]:
    """Publish the course's changed drafts below it, then the course when it has
    changes of its own; return the pages published. Each is published through Wagtail
    (its history logs it, with ``user``). Raises :class:`CourseNotReady`, publishing
    nothing, when the course would have no published lesson."""
    published: list[Page] = []
    for page in changed_pages(course):
        page.get_latest_revision().publish(user=user)
        published.append(page)
    if not has_live_lesson(course):
        raise CourseNotReady()
    course = Page.objects.get(pk=course.pk)
    if not course.live or will_be_published(course):
        course.get_latest_revision().publish(user=user)
        published.insert(0, course)
    return published


def publish_approved_course(workflow_state: WorkflowState, user=None) -> None:
    """What a finished workflow does (``WAGTAIL_FINISH_WORKFLOW_ACTION``): a course is
    published with its drafts (:func:`publish_course`); anything else as Wagtail does."""
    obj = workflow_state.content_object
    if is_course(obj):
        publish_course(obj, user=user)
    else:
        publish_workflow_state(workflow_state, user=user)


def submit_course(course: Page, *, user: AbstractBaseUser | None) -> WorkflowState | None:
    """Put the course in review, as its "Submit for moderation" does: resume a review
    that asked for changes, leave one in progress as it is, or start one."""
    state = course.current_workflow_state
    if state is not None:
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
        return state
    workflow = course.get_workflow()
    if workflow is None:
        return None
    if course.latest_revision_id is None:
        course.save_revision(user=user, log_action=True)
    return Workflow.start(workflow, course, user)


class CourseReviewWorkflow(Workflow):
    """The workflow as a module or lesson sees it: submitting one submits its course."""

    class Meta:
        proxy = True

    def start(self, obj, user):
        if isinstance(obj, CourseContentPermissions) and obj.levels_below_course:
            course = obj.course_page()
            if course is not None:
                return submit_course(course.specific, user=user)
        return super().start(obj, user)


class CourseReviewTask(GroupApprovalTask):
    """Approval by the chosen groups (Reviewers) of a whole course. A course that would
    have no published lesson cannot be approved, only sent back for changes."""

    def get_actions(self, obj, user) -> list[tuple[str, str, bool]]:
        actions = super().get_actions(obj, user)
        if actions and is_course(obj) and not has_live_lesson(obj, after_review=True):
            return [action for action in actions if action[0] != "approve"]
        return actions

    @classmethod
    def get_description(cls) -> str:
        return (
            "Members of the chosen groups review a course with all its draft modules and "
            "lessons; approving publishes them together."
        )

    class Meta:
        verbose_name = "course review task"
        verbose_name_plural = "course review tasks"


class CourseContent(CourseContentPermissions):
    """Mixed into the course, module and lesson pages: permissions and locks (see
    ``catalog.permissions``), and the workflow that submits the whole course."""

    def get_workflow(self):
        workflow = super().get_workflow()
        if workflow is not None and self.levels_below_course:
            # The same row, seen through the proxy (no query): see CourseReviewWorkflow.
            workflow.__class__ = CourseReviewWorkflow
        return workflow
