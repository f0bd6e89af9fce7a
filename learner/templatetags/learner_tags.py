"""Template tags through which the learner app shows itself on content pages:
the enrol panel on a course, outline ticks, and the lesson's progress and quiz state.

They only read (through selectors); every change goes through the learner views.
"""

import uuid
from html import escape

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
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


# --- The dashboard's enrolment cards -----------------------------------------------
#
# Built in Python rather than a template loop: the bench learner's 21 cards cost about
# 3.2 ms of CPU per dashboard as template work (variable lookups, a ``{% url %}`` and a
# ``date`` filter per card) and 1 ms here, most of it ``timesince`` and the dates.
# f-strings with ``html.escape`` rather than ``format_html``: the same text, without
# the lazy-string wrapper that Django's ``escape`` puts around every argument.

#: Any enrolment id: the "continue" URL is reversed once per list with it, then each
#: card puts its own id in its place.
_PK_SENTINEL = 2_147_483_647


def _day(moment) -> str:
    """``moment|date:"j M Y"`` in the site's time zone, as the template filter shows
    it ("" for none)."""
    return dateformat.format(timezone.localtime(moment), "j M Y") if moment else ""


def _active_body(enrollment, url: str, title: str, continue_url: str) -> str:
    percent = int(enrollment.progress_percent or 0)
    last = enrollment.last_activity_at
    since = f" · last active {escape(timesince_or_now(last))}" if last else ""
    if enrollment.last_lesson_id:
        own = escape(continue_url.replace(str(_PK_SENTINEL), str(int(enrollment.pk))))
        button = f'<a class="button" href="{own}">Continue where you left off</a>'
    else:
        button = f'<a class="button" href="{url}">Start the course</a>'
    return (
        f'<div class="progress" role="progressbar" aria-label="Progress in {title}" '
        f'aria-valuemin="0" aria-valuemax="100" aria-valuenow="{percent}">'
        f'<div class="progress__bar" style="width: {percent}%"></div></div>'
        f'<p class="muted">{percent}% complete{since}</p>{button}'
    )


def _card_body(enrollment, state: str, url: str, title: str, continue_url: str) -> str:
    """What a card shows under the course's title (``url`` and ``title`` escaped), for
    an enrolment in ``state``."""
    if state == Status.ACTIVE:
        return _active_body(enrollment, url, title, continue_url)
    if state == Status.PENDING:
        return (
            '<p><span class="badge badge--pending">Awaiting approval</span> requested '
            f"{_day(enrollment.requested_at)}; an instructor will decide.</p>"
        )
    if state == Status.WAITLISTED:
        return (
            '<p><span class="badge badge--waitlisted">On the waitlist</span> since '
            f"{_day(enrollment.requested_at)}</p>"
        )
    if state == Status.COMPLETED:
        return (
            '<p><span class="badge badge--completed">Completed</span> '
            f"{_day(enrollment.completed_at)}</p>"
        )
    return f'<p class="muted">{escape(enrollment.reason)}</p>'


def enrolment_cards_html(enrollments, state: str, continue_url: str = "") -> SafeString:
    """The ``<li>`` cards of the dashboard's enrolments in ``state`` (one of
    ``Enrollment.Status``), each titled with a link to its course (``course_link``);
    ``continue_url`` is the "continue" URL of the enrolment whose id is
    ``_PK_SENTINEL``. Titles, reasons and URLs are escaped."""
    parts = []
    for enrollment in enrollments:
        link = getattr(enrollment, "course_link", None)
        url, title = (escape(link.url), escape(link.title)) if link else ("", "")
        body = _card_body(enrollment, state, url, title, continue_url)
        parts.append(f'<li class="enrolment-card"><h3><a href="{url}">{title}</a></h3>{body}</li>')
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def enrolment_cards(enrollments, state: str) -> SafeString:
    """The dashboard's cards for ``enrollments``, all in ``state`` (see
    :func:`enrolment_cards_html`)."""
    continue_url = reverse("learner:continue", args=[_PK_SENTINEL]) if state == "active" else ""
    return enrolment_cards_html(enrollments, state, continue_url)
