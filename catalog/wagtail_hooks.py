"""Admin registration for the catalog app: subjects, course instructors, the rule that
a course without a published lesson is never live, and which pages the anonymous cache
keeps."""

from django.contrib import messages
from django.db.models import Q

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from base.admin_refusals import refuse
from base.middleware import CACHEABLE_FLAG
from home.models import HomePage

from .forms import instructor_candidates
from .models import CatalogPage, CoursePage, ModulePage
from .permissions import CourseContentPermissions
from .selectors import editable_courses
from .services import INSTRUCTORS_CHANGED, set_course_instructors
from .viewsets import SubjectViewSet
from .workflow import NO_LIVE_LESSON, has_live_lesson, is_course

register_snippet(SubjectViewSet)

#: Pages that look the same to every signed-out visitor. Lessons are never cached:
#: they are not served to visitors at all.
CACHEABLE_PAGES = (HomePage, CatalogPage, CoursePage, ModulePage)


@hooks.register("before_serve_page")
def mark_cacheable(page, request, serve_args, serve_kwargs):
    """Let AnonymousPageCacheMiddleware keep this response for signed-out visitors."""
    if isinstance(page, CACHEABLE_PAGES) and not request.user.is_authenticated:
        setattr(request, CACHEABLE_FLAG, True)


# --- Instructors -------------------------------------------------------------------------


def _apply_instructors(request, page) -> None:
    chosen = getattr(page, "chosen_instructors", None)
    if isinstance(page, CoursePage) and chosen is not None:
        set_course_instructors(course=page, instructors=chosen, actor=request.user)


@hooks.register("after_create_page")
def instructors_of_new_course(request, page):
    """A new course's instructors: those chosen on its form, else its creator."""
    _apply_instructors(request, page)


@hooks.register("after_edit_page")
def instructors_of_edited_course(request, page):
    """Saving the course form applies its instructors at once (they are not content,
    so they do not wait for review)."""
    _apply_instructors(request, page)


@hooks.register("after_copy_page")
def instructors_of_copied_course(request, page, new_page):
    """A copy of a course is instructed by whoever copied it (when they may instruct);
    the original's instructors are not carried over."""
    if is_course(new_page):
        copier = instructor_candidates().filter(pk=request.user.pk)
        set_course_instructors(course=new_page.specific, instructors=copier, actor=request.user)


def _say_the_course_is_in_review(request, page) -> None:
    if "action-submit" not in request.POST or not isinstance(page, CourseContentPermissions):
        return
    course = page.course_page() if page.levels_below_course else None
    if course is not None and course.workflow_in_progress:
        messages.info(
            request,
            f"The whole course “{course.get_admin_display_title()}” is now awaiting review, "
            "with this and every other changed page in it.",
        )


@hooks.register("after_create_page")
def course_in_review_after_creating(request, page):
    """Submitting a new module or lesson submits its course: say so."""
    _say_the_course_is_in_review(request, page)


@hooks.register("after_edit_page")
def course_in_review_after_editing(request, page):
    _say_the_course_is_in_review(request, page)


class InstructorsChanged(LogFormatter):
    label = "Change instructors"

    def format_message(self, log_entry) -> str:
        data = log_entry.data or {}
        parts = []
        if data.get("added"):
            parts.append("added " + ", ".join(data["added"]))
        if data.get("removed"):
            parts.append("removed " + ", ".join(data["removed"]))
        return "Instructors changed: " + "; ".join(parts) if parts else "Instructors changed"


@hooks.register("register_log_actions")
def register_catalog_log_actions(actions):
    actions.register_action(INSTRUCTORS_CHANGED)(InstructorsChanged)


@hooks.register("construct_explorer_page_queryset")
def only_their_courses_in_the_explorer(parent_page, pages, request):
    """The page explorer and its search list, under a catalog, only the courses the
    user may edit (and their pages): instructors do not browse other people's
    courses, drafts included. Reviewers and superusers see every course."""
    user = request.user
    if user.is_superuser:
        return pages
    course_zone = Q()
    for path, depth in CatalogPage.objects.values_list("path", "depth"):
        course_zone |= Q(path__startswith=path, depth__gt=depth)
    editable = Q()
    for path in editable_courses(user=user).values_list("path", flat=True):
        editable |= Q(path__startswith=path)
    return pages.exclude(course_zone & ~editable) if editable else pages.exclude(course_zone)


# --- A course without a published lesson is never live -------------------------------------


@hooks.register("before_publish_page")
def refuse_publishing_an_empty_course(request, page):
    """The admin's Publish on a course with no published lesson is refused, with the
    reason; the revision it saved stays as a draft."""
    if is_course(page) and not has_live_lesson(page):
        if page.live and page.live_revision_id is None:
            # "Publish" on the add form saved the new page as live before asking.
            page.live = False
            page.has_unpublished_changes = True
            page.save(update_fields=["live", "has_unpublished_changes"], clean=False)
        return refuse(request, NO_LIVE_LESSON, page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_empty_courses(request, action_type, objects, action):
    if action_type != "publish":
        return None
    empty = [obj for obj in objects if is_course(obj) and not has_live_lesson(obj)]
    if not empty:
        return None
    titles = ", ".join(f"“{page.get_admin_display_title()}”" for page in empty)
    return refuse(request, f"Not published: {titles}. {NO_LIVE_LESSON}")


def _leaves_live_course_empty(page) -> str | None:
    if not isinstance(page, CourseContentPermissions) or not page.levels_below_course:
        return None
    if not page.live:
        return None
    course = page.course_page()
    if course is None or not course.live or has_live_lesson(course, without=page):
        return None
    return (
        f"“{page.get_admin_display_title()}” is the last published part of the live course "
        f"“{course.get_admin_display_title()}”, which would be left with no lessons. "
        "Unpublish the course first, or publish another lesson."
    )


@hooks.register("before_unpublish_page")
def refuse_emptying_a_live_course_by_unpublishing(request, page):
    if problem := _leaves_live_course_empty(page):
        return refuse(request, problem, page)
    return None


@hooks.register("before_delete_page")
def refuse_emptying_a_live_course_by_deleting(request, page):
    if problem := _leaves_live_course_empty(page):
        return refuse(request, problem, page)
    return None
