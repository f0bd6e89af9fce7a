"""The demo has learners in every enrolment state and a full course with a waitlist."""

import io

from django.core.management import call_command

import pytest

from learner.models import Enrollment

Status = Enrollment.Status


@pytest.mark.django_db
def test_demo_enrollments_cover_every_state_and_survive_a_rerun():
    call_command("load_demo", stdout=io.StringIO())
    statuses = set(Enrollment.objects.values_list("status", flat=True))
    assert {
        Status.ACTIVE,
        Status.PENDING,
        Status.WAITLISTED,
        Status.COMPLETED,
        Status.REJECTED,
    } <= (statuses)
    meetings = Enrollment.objects.filter(course__slug="running-effective-meetings")
    course = meetings.first().course
    assert meetings.filter(status=Status.ACTIVE).count() == course.capacity == 3
    assert meetings.filter(status=Status.WAITLISTED).exists()
    completed = Enrollment.objects.get(user__username="learner", status=Status.COMPLETED)
    assert completed.progress_percent == 100
    started = Enrollment.objects.get(
        user__username="learner", course__slug="security-awareness-essentials"
    )
    assert (started.status, started.lessons_completed) == (Status.ACTIVE, 2)

    before = list(Enrollment.objects.order_by("pk").values_list("pk", "status"))
    call_command("load_demo", stdout=io.StringIO())
    assert list(Enrollment.objects.order_by("pk").values_list("pk", "status")) == before
