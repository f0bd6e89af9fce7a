"""The compliance demo shows every status on the day it is loaded and survives a rerun."""

import io

from django.contrib.auth.models import Group
from django.core.management import call_command

import pytest

from accounts.models import Profile
from compliance.models import Assignment, TrainingRequirement
from compliance.scheduling import Status
from compliance.selectors import local_today, statuses
from learner.models import Enrollment

pytestmark = pytest.mark.django_db

SECURITY = "Annual security awareness"


def load_demo() -> str:
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


def assignment_rows() -> list[tuple]:
    return list(
        Assignment.objects.order_by("pk").values_list(
            "pk",
            "requirement__name",
            "user__username",
            "cycle",
            "assigned_on",
            "opens_on",
            "due_on",
            "completed_on",
            "expires_on",
            "previous_expires_on",
            "enrollment_id",
            "exempt",
            "exemption_reason",
            "closed_on",
        )
    )


def snapshot() -> dict[str, object]:
    """What a second run must leave exactly as it was."""
    return {
        "assignments": assignment_rows(),
        "enrolments": list(Enrollment.objects.order_by("pk").values_list("pk", "status")),
        "managers": sorted(Profile.objects.values_list("user__username", "manager__username")),
        "groups": sorted(
            Group.objects.filter(name__in=["Staff", "Data handlers"]).values_list(
                "name", "user__username"
            )
        ),
        "requirements": list(
            TrainingRequirement.objects.order_by("pk").values_list("pk", "name", "due_date")
        ),
    }


def status_of(username: str, requirement: str = SECURITY) -> Status:
    row = statuses(as_of=local_today()).get(user__username=username, requirement__name=requirement)
    return Status(row.status)


class TestComplianceDemo:
    def test_every_status_today_consistent_with_the_enrollments_and_rerun_is_a_no_op(self):
        output = load_demo()

        today = local_today()
        assert set(statuses(as_of=today).values_list("status", flat=True)) == set(Status)
        assert set(
            statuses(as_of=today)
            .filter(requirement__name=SECURITY)
            .values_list("status", flat=True)
        ) == set(Status)

        # The enrolments learner/demo.py made agree with the statuses.
        assert status_of("learner") == Status.IN_PROGRESS
        assert (
            Enrollment.objects.get(
                user__username="learner", course__slug="security-awareness-essentials"
            ).status
            == Enrollment.Status.ACTIVE
        )
        assert status_of("learner2") == Status.DUE_SOON
        assert status_of("bo") == Status.OVERDUE
        assert status_of("amara") == Status.NOT_STARTED
        # A certification that lapsed: the renewal is open and past its due date.
        assert status_of("chen") == Status.EXPIRED
        chen = Assignment.objects.filter(user__username="chen", requirement__name=SECURITY)
        assert [row.cycle for row in chen] == [1, 2]
        first, renewal = chen
        assert first.enrollment.status == Enrollment.Status.COMPLETED
        assert renewal.previous_expires_on == first.expires_on < today
        # Still certified, with the renewal open.
        assert status_of("reviewer") == Status.COMPLIANT
        assert (
            Assignment.objects.get(
                user__username="reviewer", requirement__name=SECURITY, cycle=2
            ).due_on
            >= today
        )
        dana = Assignment.objects.get(user__username="dana", requirement__name=SECURITY)
        assert (status_of("dana"), dana.exempted_by.username) == (Status.EXEMPT, "compliance")
        assert dana.exemption_reason

        # Nobody in the audience is left for the sync to add.
        assert not Assignment.objects.filter(assigned_on=today, cycle=1).exists()
        # Managers for the escalations and digests.
        managers = dict(Profile.objects.values_list("user__username", "manager__username"))
        assert managers["bo"] == "compliance"
        assert managers["learner"] == "manager"
        # One log line per requirement with its status counts.
        security_line = next(line for line in output.splitlines() if SECURITY in line)
        assert "9 people" in security_line
        assert "overdue 1" in security_line and "exempt 1" in security_line
        assert "Data protection" in output
        fixed = TrainingRequirement.objects.get(name__startswith="Data protection")
        assert (fixed.due_date.month, fixed.due_date.day) == (10, 31)
        assert fixed.due_date >= today

        before = snapshot()
        load_demo()
        assert snapshot() == before


def test_a_learners_own_statuses_match_the_reports_on_every_day():
    """The dashboard works a person's statuses out in Python; the reports in SQL. On the
    demo's histories (every status), over a year of days, they must agree."""
    from datetime import timedelta

    from compliance.selectors import learner_requirements

    load_demo()
    today = local_today()
    users = {row.user for row in Assignment.objects.select_related("user")}
    for offset in [0, 1, 7, *range(-200, 400, 37)]:
        as_of = today + timedelta(days=offset)
        for user in users:
            mine = {
                (row.requirement_id, row.status)
                for row in learner_requirements(user=user, as_of=as_of)
            }
            sql = set(
                statuses(as_of=as_of, queryset=Assignment.objects.filter(user=user)).values_list(
                    "requirement_id", "status"
                )
            )
            assert mine == sql, (user.username, as_of)
