"""Lesson files are private to the course: who may download a Wagtail document.

The content apps know nothing of learners, so the rule attaches from here, through
Wagtail's ``before_serve_document`` hook (every download passes through Wagtail's serve
view: ``WAGTAILDOCS_SERVE_METHOD = "serve_view"``). The hook is registered when
``learner.wagtail_hooks`` imports this module.
"""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest

from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.models import Collection, Page, ReferenceIndex
from wagtail.permissions import policy_registry

from lessons.models import LessonPage

from .models import Enrollment
from .selectors import can_edit_page


def can_download_document(*, user: AbstractBaseUser, document: AbstractDocument) -> bool:
    """Whether ``user`` may download ``document``.

    A document downloads for everyone when it is in the public collection (the
    collection directly under the root named by ``settings.FLEDGE_PUBLIC_COLLECTION``)
    or in a collection below it. Otherwise it downloads only for a signed-in user who

    - may read a published lesson that links it (a document block or a document link
      in the lesson's rich text, as Wagtail's reference index records them): their
      current enrolment in that lesson's course is active or completed, as for reading
      the lesson. Sequential lessons do not hold a file back: the enrolment gives the
      course's files, whichever lesson links them;
    - may edit a lesson that links it, published or not (the course's instructors,
      reviewers, superusers), as ``can_edit_page`` decides; or
    - has Wagtail's "change" permission on the document (its uploader while they may
      add documents in its collection, document managers, superusers).

    Queries: about three for an enrolled learner, whatever the number of lessons.
    Wagtail's collection view restrictions (passwords, sign-in) still apply on top.
    """
    if in_public_collection(document):
        return True
    if not user.is_authenticated:
        return False
    lessons = list(lessons_linking(document))
    if has_course_access(user=user, lessons=[lesson for lesson in lessons if lesson.live]):
        return True
    if any(can_edit_page(user=user, page=lesson) for lesson in lessons):
        return True
    document_policy = policy_registry.get_by_type(get_document_model())
    return document_policy.user_has_permission_for_instance(user, "change", document)


def in_public_collection(document: AbstractDocument) -> bool:
    """Whether the document is in the public collection or one below it: one query
    (plus loading the document's collection, which Wagtail's own check reuses)."""
    collection = document.collection
    top_level_path = collection.path[: Collection.steplen * 2]
    return Collection.objects.filter(
        path=top_level_path, depth=2, name=settings.FLEDGE_PUBLIC_COLLECTION
    ).exists()


def lessons_linking(document: AbstractDocument) -> QuerySet[LessonPage]:
    """The lessons, published or not, whose content links ``document``, from Wagtail's
    reference index (kept up to date whenever a page is saved): one query.

    The index holds what is saved on the page itself, which is its published content
    (a never-published lesson's first draft): links added only in a newer draft count
    once that draft is published.
    """
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .annotate(page_id=Cast("object_id", BigIntegerField()))
        .values("page_id")
    )
    return LessonPage.objects.filter(pk__in=page_ids).defer("body")


def has_course_access(*, user: AbstractBaseUser, lessons: list[LessonPage]) -> bool:
    """Whether the user's current enrolment in the course of any of ``lessons`` grants
    access (active or completed): one query, or none without lessons.

    The batch form of ``current_enrollment(user=user, course=course).grants_access`` in
    ``learner.selectors``: per course, the open enrolment decides when there is one
    (so a pending retake after a completion closes the course, as it does for its
    lessons), else the latest completed one.
    """
    if not lessons or not user.is_authenticated:
        return False
    # A course is an ancestor of its lessons (course → module → lesson), so its path is
    # one of theirs cut at a whole number of steps.
    step = Page.steplen
    ancestor_paths = {
        lesson.path[:end] for lesson in lessons for end in range(step, len(lesson.path), step)
    }
    rows = (
        Enrollment.objects.filter(
            user=user,
            course__path__in=ancestor_paths,
            status__in=[*Enrollment.OPEN_STATUSES, Enrollment.Status.COMPLETED],
        )
        .only("pk", "course_id", "status")
        .order_by("-requested_at", "-pk")
    )
    current: dict[int, Enrollment] = {}
    for enrollment in rows:
        chosen = current.get(enrollment.course_id)
        if chosen is None or (enrollment.is_open and not chosen.is_open):
            current[enrollment.course_id] = enrollment
    return any(enrollment.grants_access for enrollment in current.values())


@hooks.register("before_serve_document", order=-1)
def hide_private_documents(document: AbstractDocument, request: HttpRequest) -> None:
    """Answer 404, exactly as for an unknown document id, to anyone who may not download
    the document (see ``can_download_document``): a 403 would confirm that it exists.

    Ordered before Wagtail's own collection-privacy hook (order 0), so a password form
    or a sign-in redirect is only ever shown to someone the file may then be given to.
    """
    if not can_download_document(user=request.user, document=document):
        # The message of the serve view's own get_object_or_404 (shown only in DEBUG).
        raise Http404(f"No {type(document)._meta.object_name} matches the given query.")
