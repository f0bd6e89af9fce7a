"""Learner-facing compliance views: the private calendar feed of due dates.

- ``/compliance/calendar/`` (signed in): the learner's feed link, how to subscribe,
  and a button to replace the link.
- ``/compliance/calendar/<token>.ics`` (no sign-in: calendar apps cannot sign in, so
  the unguessable token is the secret): an iCalendar (RFC 5545) feed with one all-day
  event per due date still to meet.

Bad input is a 4xx with a message: an unknown, replaced or malformed token is a 404, a
GET on the regenerate URL is a 405.
"""

import re
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from icalendar import Alarm, Calendar, Event, vDuration

from base.links import absolute_url

from .models import Assignment, CalendarFeed
from .selectors import calendar_feed_by_token, open_due_dates
from .services import calendar_feed_for, calendar_feed_regenerate

#: RFC 5545 product identifier of the feeds.
PRODID = "-//Fledge//Required training//EN"
#: How often calendar apps should fetch the feed again (a hint; most honour it).
REFRESH_INTERVAL = timedelta(hours=12)
#: Calendar apps remind the learner at 09:00 the day before a due date: all-day
#: events start at midnight, so 15 hours before.
ALARM_BEFORE = timedelta(hours=15)
FEED_NOT_FOUND = (
    "This calendar link does not work: it was mistyped or has been replaced with a new "
    "one. Sign in and open “Your training calendar” to get your current link."
)


# The feed's reads are in compliance.selectors.calendar_feeds, its writes in
# compliance.services.calendar_feeds; here, what the views show.


def calendar_feed_url(feed: CalendarFeed) -> str:
    """The feed's absolute, private URL."""
    return absolute_url(reverse("compliance:calendar_feed", kwargs={"token": feed.token}))


def _due_event(row: Assignment, *, stamp) -> Event:
    """One all-day event on the due date, with a reminder the day before. The UID
    stays the same for the assignment, so a changed due date moves the event."""
    requirement = row.requirement
    course = requirement.course
    course_url = absolute_url(course.get_url() or "/")
    event = Event()
    event.add("uid", f"assignment-{row.pk}@fledge")
    event.add("dtstamp", stamp)
    event.add("dtstart", row.due_on)
    event.add("dtend", row.due_on + timedelta(days=1))
    event.add("summary", f"Due: {course.title}")
    event.add("description", f"{requirement.name}\nOpen the course: {course_url}")
    event.add("url", course_url)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Required training"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Due tomorrow: {course.title}")
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    return event


def calendar_ics(user: AbstractBaseUser) -> bytes:
    """The learner's due dates still to meet, as an RFC 5545 calendar."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Required training")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    stamp = timezone.now()
    for row in open_due_dates(user=user):
        calendar.add_component(_due_event(row, stamp=stamp))
    return calendar.to_ical()


# Views.


@login_required
@never_cache
@require_safe
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The learner's private feed link, how to subscribe, and the due dates it holds."""
    feed = calendar_feed_for(user=request.user)
    feed_url = calendar_feed_url(feed)
    return render(
        request,
        "compliance/calendar_feed.html",
        {
            "feed_url": feed_url,
            "webcal_url": re.sub(r"^https?://", "webcal://", feed_url),
            "due_dates": open_due_dates(user=request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def calendar_regenerate(request: HttpRequest) -> HttpResponse:
    """Replace the learner's feed link (when it was shared by mistake)."""
    calendar_feed_regenerate(user=request.user)
    messages.success(
        request,
        "Your calendar link has been replaced. The old link no longer works: subscribe "
        "to the new one below.",
    )
    return redirect("compliance:calendar")


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed that ``token`` opens (404 for an unknown or replaced token)."""
    feed = calendar_feed_by_token(token=token)
    if feed is None:
        return HttpResponseNotFound(FEED_NOT_FOUND, content_type="text/plain; charset=utf-8")
    response = HttpResponse(calendar_ics(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="required-training.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


__all__ = [
    "calendar_feed",
    "calendar_feed_url",
    "calendar_ics",
    "calendar_page",
    "calendar_regenerate",
]
