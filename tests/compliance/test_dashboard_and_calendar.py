"""The learner side of required training: the dashboard panel and the calendar feed."""

import re
from datetime import date, timedelta

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from icalendar import Calendar

from compliance.dashboard import required_training_panel
from compliance.models import CalendarFeed
from compliance.views import FEED_NOT_FOUND
from learner.models import Enrollment
from tests.compliance.factories import (
    AssignmentFactory,
    CalendarFeedFactory,
    TrainingRequirementFactory,
)
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://learn.example.org"


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    """``n`` days from today (negative: in the past)."""
    return today() + timedelta(days=n)


def dashboard_html(client, user) -> str:
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def panel_html(html: str) -> str:
    """Just the "Required training" section of the dashboard."""
    match = re.search(r'<section class="required-training".*?</section>', html, re.S)
    assert match, "no Required training panel"
    return match.group(0)


def completed(user, requirement, *, completed_days_ago: int, expires_in: int | None):
    """A first cycle completed ``completed_days_ago`` days ago."""
    return AssignmentFactory(
        requirement=requirement,
        user=user,
        assigned_on=days(-completed_days_ago - 20),
        opens_on=days(-completed_days_ago - 20),
        due_on=days(-completed_days_ago + 10),
        completed_at=timezone.now() - timedelta(days=completed_days_ago),
        completed_on=days(-completed_days_ago),
        expires_on=None if expires_in is None else days(expires_in),
    )


def renewal(user, requirement, *, due_in: int, completed_days_ago: int = 340):
    """A completed first cycle and its open renewal, due in ``due_in`` days."""
    completed(user, requirement, completed_days_ago=completed_days_ago, expires_in=due_in)
    return AssignmentFactory(
        requirement=requirement,
        user=user,
        cycle=2,
        assigned_on=days(due_in - 30),
        opens_on=days(due_in - 30),
        due_on=days(due_in),
        previous_expires_on=days(due_in),
    )


class TestRequiredTrainingPanel:
    def test_lists_requirements_most_urgent_first_with_status_and_dates(self, client):
        user = UserFactory()
        done = TrainingRequirementFactory(name="Fire safety")
        completed(user, done, completed_days_ago=30, expires_in=335)
        later = TrainingRequirementFactory(name="Manual handling")
        AssignmentFactory(requirement=later, user=user, due_on=days(30))
        late = TrainingRequirementFactory(name="Anti-bribery")
        AssignmentFactory(
            requirement=late, user=user, assigned_on=days(-40), opens_on=days(-40), due_on=days(-1)
        )
        soon = TrainingRequirementFactory(name="First aid")
        AssignmentFactory(requirement=soon, user=user, due_on=days(5))

        panel = panel_html(dashboard_html(client, user))

        names = re.findall(r"<h3>(.*?)</h3>", panel)
        assert names == ["Anti-bribery", "First aid", "Manual handling", "Fire safety"]
        badges = re.findall(r'<span class="badge badge--([\w-]+)">(.*?)</span>', panel)
        assert badges == [
            ("overdue", "Overdue"),
            ("due-soon", "Due soon"),
            ("not-started", "Not started"),
            ("compliant", "Compliant"),
        ]
        assert f'Was due <time datetime="{days(-1):%Y-%m-%d}">' in panel
        assert f'Due <time datetime="{days(5):%Y-%m-%d}">' in panel
        assert f'Expires on <time datetime="{days(335):%Y-%m-%d}">' in panel
        assert done.course.url in panel
        assert ">Start<" in panel
        assert "View the course" in panel
        assert 'href="/compliance/calendar/"' in panel

    def test_panel_comes_before_the_enrolments(self, client):
        user = UserFactory()
        AssignmentFactory(user=user)
        EnrollmentFactory(user=user)
        html = dashboard_html(client, user)
        assert html.index("Required training") < html.index('id="in-progress"')

    @pytest.mark.parametrize(
        ("status", "words"),
        [("pending", "Awaiting approval"), ("waitlisted", "On the waitlist")],
    )
    def test_a_request_waiting_on_the_course_says_so_instead_of_start(self, client, status, words):
        user = UserFactory()
        assignment = AssignmentFactory(user=user, due_on=days(25))
        EnrollmentFactory(
            user=user, course=assignment.requirement.course, status=status, activated_at=None
        )
        panel = panel_html(dashboard_html(client, user))
        assert f'<span class="badge badge--pending">{words}</span>' in panel
        assert ">Start<" not in panel
        assert "Your request to join the course is waiting" in panel

    def test_started_course_offers_continue(self, client):
        user = UserFactory()
        assignment = AssignmentFactory(user=user, due_on=days(25))
        EnrollmentFactory(user=user, course=assignment.requirement.course)
        panel = panel_html(dashboard_html(client, user))
        assert "In progress" in panel
        assert ">Continue<" in panel

    def test_open_renewal_shows_compliant_with_renewal_due_and_renew(self, client):
        user = UserFactory()
        renewal(user, TrainingRequirementFactory(), due_in=12)
        panel = panel_html(dashboard_html(client, user))
        assert "badge--compliant" in panel
        assert f'Renewal due <time datetime="{days(12):%Y-%m-%d}">' in panel
        assert ">Renew<" in panel

    def test_lapsed_certification_shows_expired_and_renew(self, client):
        user = UserFactory()
        renewal(user, TrainingRequirementFactory(), due_in=-3, completed_days_ago=370)
        panel = panel_html(dashboard_html(client, user))
        assert '<span class="badge badge--expired">Expired</span>' in panel
        assert f'Expired on <time datetime="{days(-3):%Y-%m-%d}">' in panel
        assert ">Renew<" in panel

    def test_exempt_needs_no_action(self, client):
        user = UserFactory()
        AssignmentFactory(
            user=user, exempt=True, exempted_on=today(), exemption_reason="Equivalent training"
        )
        panel = panel_html(dashboard_html(client, user))
        assert '<span class="badge badge--exempt">Exempt</span>' in panel
        assert ">Start<" not in panel
        assert "Equivalent training" not in panel

    def test_nothing_for_someone_without_required_training(self, client):
        AssignmentFactory()  # someone else's
        inactive = TrainingRequirementFactory(active=False)
        user = UserFactory()
        AssignmentFactory(user=user, requirement=inactive)
        html = dashboard_html(client, user)
        assert "Required training" not in html
        assert 'class="required-training"' not in html

    def test_shows_only_own_requirements(self, client):
        user = UserFactory()
        AssignmentFactory(user=user, requirement__name="Mine")
        AssignmentFactory(requirement__name="Someone else's")
        panel = panel_html(dashboard_html(client, user))
        assert "Mine" in panel
        assert "Someone else" not in panel

    def test_query_count_does_not_grow_with_the_requirements(self, django_assert_max_num_queries):
        def render_panel(user) -> str:
            request = RequestFactory().get("/dashboard/")
            request.user = user
            return required_training_panel(request)[1]

        def learner_with(count: int):
            user = UserFactory()
            for n in range(count):
                assignment = AssignmentFactory(user=user, due_on=days(3 + 10 * n))
                if n % 2:
                    EnrollmentFactory(user=user, course=assignment.requirement.course)
            return user

        few, many = learner_with(2), learner_with(8)
        render_panel(few)  # warm the site root paths cache, as any earlier page would
        with CaptureQueriesContext(connection) as queries:
            assert render_panel(few).count("<h3>") == 2
        with django_assert_max_num_queries(len(queries)):
            assert render_panel(many).count("<h3>") == 8


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
        completed(user, TrainingRequirementFactory(), completed_days_ago=10, expires_in=355)
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

    def test_an_ended_enrolment_does_not_hide_the_due_date(self, client):
        feed = CalendarFeedFactory()
        assignment = AssignmentFactory(user=feed.user)
        EnrollmentFactory(
            user=feed.user,
            course=assignment.requirement.course,
            status=Enrollment.Status.WITHDRAWN,
            ended_at=timezone.now(),
        )
        assert len(self.fetch(client, feed).walk("VEVENT")) == 1
