"""Turn demo course specs into Wagtail pages, idempotently.

Pages are found by slug under their parent. A missing page is created as a draft; an
existing one is compared with the spec, field by field, against its latest revision,
and gets a new draft revision only when something differs. A live course is then
published as a whole (``catalog.workflow.publish_course``: its changed modules and
lessons, then the course), as approving it in review would. So running the demo twice
adds no pages and no revisions. Pages are never moved or deleted: a lesson added to a
spec later is appended to its module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from wagtail.blocks import StreamBlock, StreamValue
from wagtail.fields import StreamField
from wagtail.log_actions import log as log_action
from wagtail.models import Page, WorkflowState

from catalog.models import CoursePage, ModulePage, Subject
from catalog.services import set_course_instructors
from catalog.workflow import publish_course
from lessons.blocks import stamp_ids
from lessons.models import LessonPage

from .covers import cover_image
from .specs import CourseSpec

Log = Callable[[str], None]


@dataclass
class PageTally:
    """How many pages a build created, updated or left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pages: list[Page] = field(default_factory=list)

    def add(self, page: Page, outcome: str) -> Page:
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.pages.append(page)
        return page

    def __str__(self) -> str:
        parts = [f"{n} {word}" for word, n in vars(self).items() if word != "pages" and n]
        return ", ".join(parts) or "nothing to do"


def _without_ids(data: Any) -> Any:
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    if isinstance(data, dict):
        return {key: _without_ids(value) for key, value in data.items() if key != "id"}
    return data


def stream_content(stream_block: StreamBlock, value: Any) -> list:
    """Stream data in the form the block stores it, without block ids, so content
    written in code compares equal to the same content loaded from a revision."""
    raw = value.get_prep_value() if isinstance(value, StreamValue) else value
    return _without_ids(stream_block.get_prep_value(stream_block.to_python(raw)))


def _differs(page: Page, name: str, wanted: Any) -> bool:
    model_field = page._meta.get_field(name)
    if isinstance(model_field, StreamField):
        block = model_field.stream_block
        return stream_content(block, getattr(page, name)) != stream_content(block, wanted)
    if isinstance(model_field, models.ForeignKey):
        return getattr(page, model_field.attname) != (wanted.pk if wanted else None)
    return getattr(page, name) != wanted


def _prepare(page_class: type[Page], values: dict[str, Any]) -> dict[str, Any]:
    """Stamp ids into raw StreamField values (quiz answers are keyed by them)."""
    prepared = dict(values)
    for name, value in values.items():
        model_field = page_class._meta.get_field(name)
        if isinstance(model_field, StreamField) and isinstance(value, list):
            prepared[name] = stamp_ids(model_field.stream_block, value)
    return prepared


def upsert_page(
    parent: Page,
    page_class: type[Page],
    *,
    slug: str,
    values: dict[str, Any],
    owner: AbstractUser | None,
) -> tuple[Page, str]:
    """Create or update the ``slug`` child of ``parent`` as a draft saved by ``owner``;
    return it and what happened ("created", "updated" or "unchanged")."""
    values = _prepare(page_class, values)
    existing = page_class.objects.child_of(parent).filter(slug=slug).first()
    if existing is None:
        page = page_class(slug=slug, owner=owner, live=False, **values)
        parent.add_child(instance=page)
        log_action(instance=page, action="wagtail.create", user=owner)
        page.save_revision(user=owner, log_action=False)
        return page, "created"

    draft = existing.get_latest_revision_as_object()
    changed = {name: value for name, value in values.items() if _differs(draft, name, value)}
    if not changed:
        return existing, "unchanged"
    for name, value in changed.items():
        setattr(draft, name, value)
    draft.save_revision(user=owner, log_action=True)
    existing.refresh_from_db()
    return existing, "updated"


def ensure_subjects(subjects: dict[str, str], *, log: Log) -> dict[str, Subject]:
    """Create or update the subjects (name → description); return them by name."""
    result = {}
    for name, description in subjects.items():
        subject, created = Subject.objects.get_or_create(
            name=name, defaults={"description": description}
        )
        if not created and subject.description != description:
            subject.description = description
            subject.save()
        result[name] = subject
    log(f"Subjects: {', '.join(result)}")
    return result


def build_course(
    catalog: Page,
    spec: CourseSpec,
    *,
    subjects: dict[str, Subject],
    owner: AbstractUser | None,
    publisher: AbstractUser | None,
    live: bool = True,
) -> tuple[CoursePage, PageTally]:
    """Create or update a course, its cover image, modules and lessons, written by
    ``owner`` (its instructor); with ``live``, publish what changed as ``publisher``."""
    tally = PageTally()
    subject = subjects[spec.subject]
    cover = cover_image(title=spec.title, label=subject.name, colours=spec.colours)
    course_values = {
        "title": spec.title,
        "subject": subject,
        "cover_image": cover,
        "estimated_minutes": spec.estimated_minutes,
        **spec.fields,
    }
    common = {"owner": owner}
    course = tally.add(
        *upsert_page(catalog, CoursePage, slug=spec.slug, values=course_values, **common)
    )
    for module_spec in spec.modules:
        module_values = {"title": module_spec.title, "summary": module_spec.summary}
        module = tally.add(
            *upsert_page(course, ModulePage, slug=module_spec.slug, values=module_values, **common)
        )
        for lesson in module_spec.lessons:
            lesson_values = {
                "title": lesson.title,
                "summary": lesson.summary,
                "estimated_minutes": lesson.minutes,
                "body": lesson.body,
            }
            tally.add(
                *upsert_page(module, LessonPage, slug=lesson.slug, values=lesson_values, **common)
            )
    course = course.specific
    set_course_instructors(course=course, instructors=[owner] if owner else [], actor=owner)
    if live:
        publish_course(course, user=publisher)
        course.refresh_from_db()
    return course, tally


def submit_for_review(page: Page, *, user: AbstractUser | None) -> str:
    """Submit the page's latest revision to its workflow ("Course review"), as the
    admin's "Submit for moderation" does; return what happened.

    A page already in review is left there; one sent back for changes is resubmitted;
    a page a reviewer has since published is left alone.
    """
    state = page.current_workflow_state
    if state and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return "already awaiting review"
    if page.live:
        return "already approved and published; left as it is"
    workflow = page.get_workflow()
    if workflow is None:
        return "not submitted: no workflow applies to the catalog"
    # No notification email goes out: load_demo sends no mail (demo addresses are not
    # real mailboxes); reviewers see the task on their admin dashboard.
    if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return f"resubmitted to the “{workflow.name}” workflow"
    workflow.start(page, user)
    return f"submitted to the “{workflow.name}” workflow"
