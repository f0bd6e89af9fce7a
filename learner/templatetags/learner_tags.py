"""Template tags through which the learner app shows itself on content pages:
the enrol panel on a course, outline ticks, and the lesson's progress and quiz state.

They only read (through selectors); every change goes through the learner views.
"""

import uuid

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from catalog.selectors import course_outline
from learner.models import Enrollment
from learner.selectors import (
    course_progress,
    first_unfinished_lesson_url,
    seats_left,
)

register = template.Library()
Status = Enrollment.Status


def _continue_url(outline, completed: set[int]) -> str:
    return first_unfinished_lesson_url(outline=outline, completed=completed)


@register.inclusion_tag("learner/includes/course_panel.html", takes_context=True)
def course_panel(context, course):
    """The enrol / request / waitlist / continue panel on a course page."""
    request = context["request"]
    user = request.user
    enrollment, completed = course_progress(request=request, course=course)
    outline = context.get("outline") or course_outline(course=course, request=request)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "course": course,
        "user": user,
        "enrollment": enrollment,
        "seats_left": seats_left(course=course),
        "completed_ids": completed,
        "continue_url": _continue_url(outline, completed) if enrollment else "",
        "enrol_url": reverse("learner:enrol", args=[course.pk]),
        "login_url": f"{reverse('account_login')}?next={request.path}",
        "has_lessons": bool(outline.lessons),
        "lesson_count": outline.lesson_count,
    }


@register.simple_tag(takes_context=True)
def course_completed_ids(context, course) -> set[int]:
    """Ids of the lessons the current learner has completed in this course."""
    return course_progress(request=context["request"], course=course)[1]


@register.simple_tag(takes_context=True)
def lesson_state(context, lesson):
    """What the lesson guard found out about the reader (None in previews)."""
    return getattr(context["request"], "lesson_state", None)


@register.simple_tag(takes_context=True)
def quiz_state(context, lesson) -> dict:
    """The quiz's form target, a fresh one-time submission token, and whether (and why
    not) the learner may submit now."""
    state = getattr(context["request"], "lesson_state", None)
    quiz = lesson.quiz
    result = {
        "action": reverse("learner:submit_quiz", args=[lesson.pk]),
        "token": str(uuid.uuid4()),
        "can_submit": False,
        "message": "",
        "attempts": [],
        "last_attempt": None,
        "attempts_left": None,
    }
    if state is None or quiz is None:
        result["message"] = "Preview: learners submit this quiz from the published lesson."
        return result
    attempts = state.attempts
    limit = quiz.value["max_attempts"] or 0
    result["attempts"] = attempts
    result["last_attempt"] = attempts[-1] if attempts else None
    result["attempts_left"] = max(0, limit - len(attempts)) if limit else None
    enrollment = state.enrollment
    if enrollment is None:
        result["message"] = "You are viewing this quiz as an editor; enrol to take it."
    elif state.passed_quiz:
        best = max(attempt.score for attempt in attempts)
        result["message"] = f"You passed this quiz with {best:.0f}%."
    elif enrollment.status != Status.ACTIVE:
        result["message"] = "This enrolment has ended."
    elif limit and len(attempts) >= limit:
        result["message"] = "You have used every attempt at this quiz."
    else:
        result["can_submit"] = True
    return result


@register.filter
def seconds_as_minutes(seconds: int) -> str:
    minutes = round((seconds or 0) / 60)
    return f"{minutes} min" if minutes else "under a minute"


@register.filter
def timesince_or_now(moment) -> str:
    """ "3 minutes ago", or "just now" under a minute."""
    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"
