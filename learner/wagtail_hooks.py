"""Wagtail hooks: the lesson guard, and the instructor's admin menu items."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect

from wagtail import hooks

from base.admin_refusals import refuse
from catalog.selectors import courses_within
from lessons.models import LessonPage

from . import erasure, personal_data
from .documents import hide_private_documents  # noqa: F401 - registers the hook
from .models import Enrollment
from .selectors import lesson_access
from .viewsets import LearnersViewSetGroup


@hooks.register("before_serve_page")
def guard_lessons(page, request, serve_args, serve_kwargs):
    """Serve a lesson only to its enrolled learners and its editors; send everyone else
    to the course page (or the lesson to do first) with a message saying why. Previews
    do not pass through here.

    Reading a lesson writes nothing: the page itself reports the view once it has
    loaded (``static/js/lesson.js`` → :func:`learner.views.heartbeat`), so a GET is
    read-only, cheap, and safe to repeat or to prefetch."""
    if not isinstance(page, LessonPage):
        return None
    access = lesson_access(user=request.user, lesson=page, request=request)
    if not access.allowed:
        messages.warning(request, access.message)
        return redirect(access.redirect_to)
    request.lesson_state = access.state
    return None


@hooks.register("register_admin_viewset")
def register_learners_menu():
    """The "Learners" menu: enrolment requests and course progress, for course editors."""
    return LearnersViewSetGroup()


# --- A course with learners is unpublished, not deleted --------------------------------


def _courses_with_learners(pages) -> list:
    return list(
        courses_within(pages=pages).filter(Exists(Enrollment.objects.filter(course=OuterRef("pk"))))
    )


def _keeps_learners_message(courses) -> str:
    titles = ", ".join(f"“{course.get_admin_display_title()}”" for course in courses)
    return (
        f"Not deleted: {titles} has learners' records (enrolments, progress, quiz "
        "attempts and certificates), which deleting would erase. Unpublish it instead."
    )


@hooks.register("before_delete_page")
def refuse_deleting_courses_with_learners(request, page):
    """Deleting a course deletes its enrolments, attempts and certificates with it (the
    certificates' verification pages too): refused, whoever asks, for the course or any
    page above it; unpublishing keeps the records."""
    if courses := _courses_with_learners([page]):
        return refuse(request, _keeps_learners_message(courses), page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_courses_with_learners(request, action_type, objects, action):
    if action_type == "delete" and (courses := _courses_with_learners(objects)):
        return refuse(request, _keeps_learners_message(courses))
    return None


# A person's records (records.hooks): this app's part of their data download, evidence
# pack and erasure, and of the retention purge.
hooks.register("register_person_export", personal_data.export_person)
hooks.register("register_person_evidence", personal_data.person_evidence)
hooks.register("register_person_erasure", erasure.erase_person)
hooks.register("register_retention_purge", erasure.purge_before)
