"""The dashboard's enrolment cards, built in Python (``learner_tags.enrolment_cards``):
what each state shows, the links, and that course titles and reasons are escaped."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

import pytest

from catalog.selectors import CourseLink
from learner.models import Enrollment
from learner.templatetags.learner_tags import enrolment_cards
from tests.learner.factories import EnrollmentFactory, small_course

Status = Enrollment.Status
HOSTILE = 'Fire & Safety <script>alert("x")</script>'
ESCAPED = "Fire &amp; Safety &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def card(status: str, **fields) -> Enrollment:
    """An unsaved enrolment in ``status`` with a course link titled :data:`HOSTILE`."""
    enrollment = Enrollment(pk=fields.pop("pk", 7), status=status, **fields)
    enrollment.course_link = CourseLink(HOSTILE, "/courses/fire-safety/")
    return enrollment


class TestEnrolmentCards:
    def test_titles_are_escaped_in_the_link_and_the_progress_label(self):
        html = enrolment_cards([card(Status.ACTIVE, progress_percent=40)], "active")
        assert "<script>" not in html
        assert f'<h3><a href="/courses/fire-safety/">{ESCAPED}</a></h3>' in html
        assert f'aria-label="Progress in {ESCAPED}"' in html

    def test_active_shows_progress_and_continues_its_own_enrolment(self):
        started = card(
            Status.ACTIVE,
            pk=42,
            progress_percent=65,
            last_lesson_id=3,
            last_activity_at=timezone.now() - timedelta(days=2, minutes=1),
        )
        html = enrolment_cards([started], "active")
        assert 'aria-valuenow="65"' in html and 'style="width: 65%"' in html
        assert "65% complete · last active 2\xa0days ago" in html
        assert 'href="/learn/enrolments/42/continue/">Continue where you left off</a>' in html

    def test_active_without_a_lesson_yet_starts_the_course(self):
        html = enrolment_cards([card(Status.ACTIVE, progress_percent=0)], "active")
        assert '<p class="muted">0% complete</p>' in html
        assert '<a class="button" href="/courses/fire-safety/">Start the course</a>' in html
        assert "Continue" not in html

    def test_waiting_states_show_when_they_were_asked_for(self):
        asked = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
        pending = enrolment_cards([card(Status.PENDING, requested_at=asked)], "pending")
        assert (
            '<span class="badge badge--pending">Awaiting approval</span> requested 4 Mar 2026; '
            "an instructor will decide." in pending
        )
        waiting = enrolment_cards([card(Status.WAITLISTED, requested_at=asked)], "waitlisted")
        assert '<span class="badge badge--waitlisted">On the waitlist</span> since 4 Mar 2026' in (
            waiting
        )

    def test_completed_date_is_the_sites_local_day(self):
        # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
        late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
        html = enrolment_cards([card(Status.COMPLETED, completed_at=late)], "completed")
        assert '<span class="badge badge--completed">Completed</span> 1 Jul 2026' in html

    def test_rejection_reason_is_escaped(self):
        html = enrolment_cards([card(Status.REJECTED, reason="Full <b>&</b> closed")], "rejected")
        assert '<p class="muted">Full &lt;b&gt;&amp;&lt;/b&gt; closed</p>' in html

    def test_one_card_per_enrolment_in_order(self):
        first, second = card(Status.COMPLETED, pk=1), card(Status.COMPLETED, pk=2)
        second.course_link = CourseLink("Second", "/courses/second/")
        html = enrolment_cards([first, second], "completed")
        assert html.count('<li class="enrolment-card">') == 2
        assert html.index(ESCAPED) < html.index(">Second</a>")


@pytest.mark.django_db
def test_dashboard_page_escapes_a_hostile_course_title(client):
    course = small_course(title=HOSTILE).course
    enrollment = EnrollmentFactory(course=course)
    client.force_login(enrollment.user)
    html = client.get("/dashboard/").content.decode()
    assert '<script>alert("x")' not in html
    assert f'<a href="{course.url}">{ESCAPED}</a>' in html
