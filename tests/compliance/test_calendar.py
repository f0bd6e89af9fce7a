"""The learner's calendar of required training: the page with their private feed
link, regenerating it, and the iCalendar feed itself."""

from django.utils import timezone

import pytest
from icalendar import Calendar

from compliance.models import CalendarFeed
from compliance.views import FEED_NOT_FOUND
from learner.models import Enrollment
from tests.compliance.factories import (
    AssignmentFactory,
    CalendarFeedFactory,
    TrainingRequirementFactory,
    completed_cycle,
    days,
    today,
)
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://learn.example.org"


class TestCalendarPage:
    def test_needs_sign_in(self, client):
        response = client.get("/compliance/calendar/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_shows_the_private_absolute_feed_url(self, client, settings):
        settings.WAGTAILADMIN_BASE_URL = BASE_URL + "/"
        user = UserFactory()
        AssignmentFactory(user=user, requirement__course__title="Fire safety basics")
        client.force_login(user)
        html = client.get("/compliance/calendar/").content.decode()
        token = CalendarFeed.objects.get(user=user).token
        assert f'value="{BASE_URL}/compliance/calendar/{token}.ics"' in html
        assert f'href="webcal://learn.example.org/compliance/calendar/{token}.ics"' in html
        assert "Regenerate link" in html
        assert "Fire safety basics" in html

    def test_the_link_stays_the_same_between_visits(self, client):
        user = UserFactory()
        client.force_login(user)
        client.get("/compliance/calendar/")
        client.get("/compliance/calendar/")
        assert CalendarFeed.objects.filter(user=user).count() == 1

    def test_regenerate_replaces_the_link_and_the_old_one_stops_working(self, client):
        feed = CalendarFeedFactory()
        old_token = feed.token
        client.force_login(feed.user)
        response = client.post("/compliance/calendar/regenerate/", follow=True)
        assert response.redirect_chain == [("/compliance/calendar/", 302)]
        assert "has been replaced" in response.content.decode()
        feed.refresh_from_db()
        assert feed.token != old_token
        assert feed.token in response.content.decode()
        client.logout()
        assert client.get(f"/compliance/calendar/{old_token}.ics").status_code == 404
        assert client.get(f"/compliance/calendar/{feed.token}.ics").status_code == 200

    def test_regenerate_needs_post(self, client):
        client.force_login(UserFactory())
        assert client.get("/compliance/calendar/regenerate/").status_code == 405

    def test_regenerate_needs_sign_in(self, client):
        response = client.post("/compliance/calendar/regenerate/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_regenerate_only_touches_own_feed(self, client):
        mine, theirs = CalendarFeedFactory(), CalendarFeedFactory()
        their_token = theirs.token
        client.force_login(mine.user)
        client.post("/compliance/calendar/regenerate/")
        theirs.refresh_from_db()
        assert theirs.token == their_token


class TestCalendarFeed:
    def fetch(self, client, feed) -> Calendar:
        response = client.get(f"/compliance/calendar/{feed.token}.ics")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        return Calendar.from_ical(response.content)

    def test_one_all_day_event_per_open_due_date(self, client, settings):
        settings.WAGTAILADMIN_BASE_URL = BASE_URL
        feed = CalendarFeedFactory()
        user = feed.user
        upcoming = AssignmentFactory(
            user=user, due_on=days(10), requirement__name="Annual fire safety"
        )
        overdue = AssignmentFactory(
            user=user, assigned_on=days(-40), opens_on=days(-40), due_on=days(-3)
        )
        completed_cycle(user, TrainingRequirementFactory(), completed_days_ago=10, expires_in=355)
        AssignmentFactory(user=user, exempt=True, exempted_on=today(), exemption_reason="No")
        AssignmentFactory(user=user, requirement__active=False)
        AssignmentFactory(user=user, closed_on=today())
        AssignmentFactory(due_on=days(7))  # someone else's

        calendar = self.fetch(client, feed)

        assert str(calendar["VERSION"]) == "2.0"
        assert str(calendar["PRODID"]).startswith("-//Fledge//")
        events = calendar.walk("VEVENT")
        assert [str(event["UID"]) for event in events] == [
            f"assignment-{overdue.pk}@fledge",
            f"assignment-{upcoming.pk}@fledge",
        ]
        event = events[1]
        course = upcoming.requirement.course
        assert event.decoded("DTSTART") == days(10)
        assert event.decoded("DTEND") == days(11)
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert str(event["SUMMARY"]) == f"Due: {course.title}"
        description = str(event["DESCRIPTION"])
        assert "Annual fire safety" in description
        assert f"{BASE_URL}{course.url}" in description
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert event.walk("VALARM"), "a reminder the day before"

    def test_uids_stay_the_same_between_fetches(self, client):
        feed = CalendarFeedFactory()
        AssignmentFactory(user=feed.user)
        first = [str(e["UID"]) for e in self.fetch(client, feed).walk("VEVENT")]
        second = [str(e["UID"]) for e in self.fetch(client, feed).walk("VEVENT")]
        assert first == second and len(first) == 1

    def test_no_due_dates_is_a_valid_empty_calendar(self, client):
        feed = CalendarFeedFactory()
        calendar = self.fetch(client, feed)
        assert calendar.walk("VEVENT") == []
        assert str(calendar["VERSION"]) == "2.0"
        raw = client.get(f"/compliance/calendar/{feed.token}.ics").content
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in raw
        assert b"\r\nX-PUBLISHED-TTL:PT12H\r\n" in raw

    def test_needs_no_sign_in_but_a_token(self, client):
        feed = CalendarFeedFactory()
        client.logout()
        assert client.get(f"/compliance/calendar/{feed.token}.ics").status_code == 200

    @pytest.mark.parametrize(
        "token",
        [
            "x" * 32,  # well-formed but unknown
            "short",  # too short to be a token
            "not%20a%20token",
            "a" * 65,  # too long
            "abcdefghijklmnop%27%20OR%201%3D1",
        ],
    )
    def test_unknown_or_malformed_token_is_404(self, client, token):
        CalendarFeedFactory()
        response = client.get(f"/compliance/calendar/{token}.ics")
        assert response.status_code == 404
        assert response.content.decode() == FEED_NOT_FOUND

    def test_feed_of_a_deactivated_user_is_404(self, client):
        feed = CalendarFeedFactory(user__is_active=False)
        assert client.get(f"/compliance/calendar/{feed.token}.ics").status_code == 404

    def test_post_is_405(self, client):
        feed = CalendarFeedFactory()
        assert client.post(f"/compliance/calendar/{feed.token}.ics").status_code == 405

    def test_an_ended_enrollment_does_not_hide_the_due_date(self, client):
        feed = CalendarFeedFactory()
        assignment = AssignmentFactory(user=feed.user)
        EnrollmentFactory(
            user=feed.user,
            course=assignment.requirement.course,
            status=Enrollment.Status.WITHDRAWN,
            ended_at=timezone.now(),
        )
        assert len(self.fetch(client, feed).walk("VEVENT")) == 1
