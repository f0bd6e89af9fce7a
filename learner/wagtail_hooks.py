"""Wagtail hooks: the lesson guard, and the instructor's admin menu items."""

from django.contrib import messages
from django.shortcuts import redirect

from wagtail import hooks

from lessons.models import LessonPage

from . import services
from .documents import hide_private_documents  # noqa: F401 - registers the hook
from .selectors import lesson_access
from .viewsets import LearnersViewSetGroup


@hooks.register("before_serve_page")
def guard_lessons(page, request, serve_args, serve_kwargs):
    """Serve a lesson only to its enrolled learners and its editors, and record the
    view; send everyone else to the course page (or the lesson to do first) with a
    message saying why. Previews do not pass through here."""
    if not isinstance(page, LessonPage):
        return None
    access = lesson_access(request.user, page, request=request)
    if not access.allowed:
        messages.warning(request, access.message)
        return redirect(access.redirect_to)
    request.lesson_state = access.state
    if access.state.enrollment is not None and not access.state.is_editor:
        services.lesson_view(enrollment=access.state.enrollment, lesson=page)
    return None


@hooks.register("register_admin_viewset")
def register_learners_menu():
    """The "Learners" menu: enrolment requests and course progress, for course editors."""
    return LearnersViewSetGroup()
