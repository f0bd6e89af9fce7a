"""The learner side of required training: the Required training panel on the learner's
dashboard, most urgent first, with each requirement's status, dates and next step."""

import re

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

import pytest

from compliance.wagtail_hooks import required_training_panel
from tests.compliance.factories import (
    AssignmentFactory,
    TrainingRequirementFactory,
    completed_cycle,
    days,
    today,
)
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


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


def renewal(user, requirement, *, due_in: int, completed_days_ago: int = 340):
    """A completed first cycle and its open renewal, due in ``due_in`` days."""
    completed_cycle(user, requirement, completed_days_ago=completed_days_ago, expires_in=due_in)
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
        completed_cycle(user, done, completed_days_ago=30, expires_in=335)
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

    def test_panel_comes_before_the_enrollments(self, client):
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
            return required_training_panel(request).render_html()

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
