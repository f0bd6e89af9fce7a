"""The learner dashboard's "Required training" panel.

Shown through the learner app's ``learner_dashboard_panels`` hook (registered in
``compliance/wagtail_hooks.py``, as every hook of the app). The panel lists the
learner's requirements, most urgent first, each with its status, the date that matters
and a link to the course; users with no required training see nothing.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe

from catalog.selectors import course_links

from .models import Assignment
from .scheduling import Status
from .selectors import learner_requirements

#: Where the panel sits on the dashboard: before the enrolments (which are at 50).
PANEL_ORDER = 20
#: What the card says instead of a call to action while the learner's request to join
#: the course waits (an enrolment's status → the words).
WAITING_ACTIONS = {"pending": "Awaiting approval", "waitlisted": "On the waitlist"}


@dataclass(frozen=True)
class RequiredTrainingItem:
    """One requirement as the learner sees it on the dashboard."""

    assignment: Assignment
    status: Status
    #: What the date means ("Due", "Expires on", "Renewal due"…) and the date itself.
    date_label: str
    date: date | None
    #: The call to action on the course link: "Start", "Continue", "Renew" or "View";
    #: or, with no link to follow yet, "Awaiting approval" or "On the waitlist".
    action: str
    course_title: str
    course_url: str

    @property
    def requirement(self):
        return self.assignment.requirement

    @property
    def is_waiting(self) -> bool:
        return self.action in WAITING_ACTIONS.values()

    @property
    def badge_class(self) -> str:
        return "badge--" + self.status.value.replace("_", "-")


def _dates(row: Assignment, status: Status) -> tuple[str, date | None]:
    """The date shown next to the badge, and what it means for this status. An expiry
    is the last day the certification counts (``certification_expires_on``, as the
    report and its exports show it)."""
    if status == Status.COMPLIANT:
        if row.completed_on is None and row.is_renewal:
            return "Renewal due", row.due_on
        if row.certification_expires_on:
            return "Expires on", row.certification_expires_on
        return "Completed on", row.completed_on
    if status == Status.EXPIRED:
        return "Expired on", row.certification_expires_on
    if status == Status.OVERDUE:
        return "Was due", row.due_on
    if status == Status.EXEMPT:
        return "", None
    return "Due", row.due_on


def _action(row: Assignment, status: Status, active_course_ids: set[int]) -> str:
    """The call to action: "Continue" an open attempt, "Renew" a lapsing
    certification, "Start" new work; only "View" when exempt or done for this cycle, or
    while a request to join the course awaits approval or a place ("Awaiting approval",
    "On the waitlist": nothing to start yet)."""
    if status == Status.EXEMPT or (status == Status.COMPLIANT and row.completed_on):
        return "View"
    if row.requirement.course_id in active_course_ids:
        return "Continue"
    waiting = getattr(row, "enrollment_waiting", "")
    if waiting:
        return WAITING_ACTIONS[waiting]
    if row.previous_expires_on is not None:
        return "Renew"
    return "Start"


def required_training_items(
    user: AbstractBaseUser, as_of: date, request: HttpRequest | None = None
) -> list[RequiredTrainingItem]:
    """The learner's requirements on ``as_of``, most urgent first, ready to render.

    Two queries whatever the number of requirements (the learner's cycles and their
    enrolments in those courses), and the site's root paths for the course URLs (once
    per request, then cached).
    """
    rows = learner_requirements(user=user, as_of=as_of)
    if not rows:
        return []
    active_course_ids = {row.requirement.course_id for row in rows if row.enrolled_now}
    links = course_links(ids={row.requirement.course_id for row in rows}, request=request)
    items = []
    for row in rows:
        status = Status(row.status)
        date_label, shown_date = _dates(row, status)
        items.append(
            RequiredTrainingItem(
                assignment=row,
                status=status,
                date_label=date_label,
                date=shown_date,
                action=_action(row, status, active_course_ids),
                course_title=links[row.requirement.course_id].title,
                course_url=links[row.requirement.course_id].url,
            )
        )
    return items


# Built in Python rather than a template loop: with ten requirements the loop's variable
# lookups and ``date`` filters were about 1.5 ms of every dashboard view, and this costs
# a fifth of that. ``html.escape`` gives the text Django's ``escape`` does, without the
# lazy-string wrapper around it. The section around the cards stays in the template.


def _waiting_html(item: RequiredTrainingItem, url: str, title: str) -> str:
    towards = (
        "for an instructor's approval" if item.action == "Awaiting approval" else "for a place"
    )
    return (
        f'<p class="required-training__waiting"><span class="badge badge--pending">'
        f"{escape(item.action)}</span> Your request to join the course is waiting {towards}. "
        f'<a href="{url}">View the course<span class="visually-hidden">: {title}</span></a></p>'
    )


def _action_html(item: RequiredTrainingItem, url: str, title: str) -> str:
    """The card's call to action: what to do next on the course, or why nothing yet."""
    if item.is_waiting:
        return _waiting_html(item, url, title)
    if item.action == "View":
        classes, words = "button button--secondary button--small", "View the course"
    else:
        classes, words = "button button--small", escape(item.action)
    return (
        f'<a class="{classes}" href="{url}">{words}'
        f'<span class="visually-hidden">: {title}</span></a>'
    )


def required_training_card(item: RequiredTrainingItem) -> str:
    """One requirement's card: its name, status badge and the date that matters, the
    course link, the description and the call to action. Names, titles, descriptions
    and URLs are escaped."""
    url, title = escape(item.course_url), escape(item.course_title)
    when = ""
    if item.date:
        when = (
            f' <span class="required-training__date">{escape(item.date_label)} '
            f'<time datetime="{item.date.isoformat()}">'
            f"{dateformat.format(item.date, 'j M Y')}</time></span>"
        )
    requirement = item.requirement
    about = (
        f'<p class="muted">{escape(requirement.description)}</p>' if requirement.description else ""
    )
    return (
        f'<li class="enrolment-card required-training__item"><h3>{escape(requirement.name)}</h3>'
        f'<p><span class="visually-hidden">Status:</span> <span class="badge '
        f'{item.badge_class}">{escape(item.status.label)}</span>{when}</p>'
        f'<p class="muted">Course: <a href="{url}">{title}</a></p>'
        f"{about}{_action_html(item, url, title)}</li>"
    )


def required_training_cards(items: list[RequiredTrainingItem]) -> SafeString:
    """The panel's ``<li>`` cards, most urgent first (see :func:`required_training_card`)."""
    return mark_safe("".join(map(required_training_card, items)))  # noqa: S308 - escaped
