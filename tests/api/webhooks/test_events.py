"""Each event is sent by the real product action that causes it, with the ids an
integrator needs, and only to subscriptions that asked for it."""

from datetime import timedelta

import pytest

from api.webhooks import emitters, tasks
from api.webhooks.models import WebhookEvent
from certificates import services as certificate_services
from certificates.models import Certificate
from compliance import services as compliance_services
from learner import services as learner_services
from tests.certificates.factories import completed_enrollment
from tests.compliance.factories import (
    AssignmentFactory,
    GroupFactory,
    TrainingRequirementFactory,
    completed_cycle,
    days,
    requirement,
    synced_requirement,
    today,
)
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def data(receiver, event: str) -> list[dict]:
    return [r["body"]["data"] for r in receiver.requests if r["event"] == event]


class TestLearningEvents:
    def test_completing_a_course_sends_completion_and_certificate(self, receiver, committed):
        with committed():
            enrollment = completed_enrollment(issues_certificate=True)

        certificate = Certificate.objects.get(enrollment=enrollment)
        assert data(receiver, "enrolment.completed") == [
            {
                "enrolment_id": enrollment.pk,
                "course_id": enrollment.course_id,
                "user_id": enrollment.user_id,
                "username": enrollment.user.username,
                "status": "completed",
                "completed_at": enrollment.completed_at.isoformat(),
            }
        ]
        [issued] = data(receiver, "certificate.issued")
        assert issued["certificate_id"] == certificate.pk
        assert issued["number"] == certificate.number
        assert issued["revoked_at"] is None
        assert all(request["signed"] for request in receiver.requests)

    def test_revoking_a_certificate_sends_it_once(self, receiver, committed, admin_user):
        with committed():
            enrollment = completed_enrollment(issues_certificate=True)
        certificate = Certificate.objects.get(enrollment=enrollment)

        with committed():
            certificate_services.certificate_revoke(
                certificate=certificate, by=admin_user, reason="Issued in error"
            )
            certificate.refresh_from_db()
            certificate.save()  # a later save of the revoked certificate

        [revoked] = data(receiver, "certificate.revoked")
        assert revoked["certificate_id"] == certificate.pk
        assert revoked["revoked_at"] is not None
        assert "Issued in error" not in str(receiver.requests)  # free text stays in Fledge

    def test_only_the_chosen_events_are_sent(self, subscribe, httpserver, committed):
        httpserver.expect_request("/hook").respond_with_data("ok")
        subscribe("certificate.issued")

        with committed():
            completed_enrollment(issues_certificate=False)

        assert not WebhookEvent.objects.exists()
        assert httpserver.log == []


class TestComplianceEvents:
    def test_a_sync_sends_one_assignment_created_per_new_cycle(self, receiver, committed):
        people = [UserFactory(username="ann"), UserFactory(username="bob")]

        with committed():
            created = synced_requirement(GroupFactory(), *people, as_of=today())

        rows = sorted(data(receiver, "assignment.created"), key=lambda row: row["username"])
        assert [row["username"] for row in rows] == ["ann", "bob"]
        assert {row["requirement_id"] for row in rows} == {created.pk}
        assert all(row["assignment_id"] and row["cycle"] == 1 for row in rows)
        assert rows[0]["due_on"] == (today() + timedelta(days=30)).isoformat()
        with committed():
            compliance_services.assignments_sync(requirement=created, as_of=today())
        assert len(data(receiver, "assignment.created")) == 2  # nothing new, nothing sent

    def test_a_renewal_is_an_assignment_created(self, receiver, committed):
        ann = UserFactory(username="ann")
        training = TrainingRequirementFactory(audience_users=[ann])
        first = completed_cycle(ann, training, completed_days_ago=340, expires_in=20)

        with committed():
            compliance_services.assignments_sync(requirement=training, as_of=today())

        [renewal] = data(receiver, "assignment.created")
        assert (renewal["username"], renewal["cycle"]) == ("ann", 2)
        assert renewal["assignment_id"] not in {first.pk, None}
        assert renewal["due_on"] == days(20).isoformat()

    def test_completing_the_course_sends_assignment_completed(self, receiver, committed):
        cycle = AssignmentFactory(user=UserFactory(username="ann"))
        enrollment = EnrollmentFactory(user=cycle.user, course=cycle.requirement.course)

        with committed():
            learner_services.course_complete(enrollment=enrollment)

        [completed] = data(receiver, "assignment.completed")
        assert completed["assignment_id"] == cycle.pk
        assert completed["enrolment_id"] == enrollment.pk
        assert completed["completed_on"] == today().isoformat()
        assert completed["late"] is False

    def test_an_overdue_cycle_is_announced_once(self, receiver, committed):
        overdue = AssignmentFactory(assigned_on=days(-40), due_on=days(-1))
        AssignmentFactory(assigned_on=days(-10), due_on=days(5))  # not due yet
        AssignmentFactory(assigned_on=days(-40), due_on=days(-1), exempt=True)
        AssignmentFactory(assigned_on=days(-90), due_on=days(-30))  # long overdue: not news

        tasks.sweep.apply()
        tasks.sweep.apply()

        [announced] = data(receiver, "assignment.overdue")
        assert announced["assignment_id"] == overdue.pk
        assert announced["due_on"] == days(-1).isoformat()

    def test_requirement_created_edited_and_deleted(self, receiver, committed):
        with committed():
            created = requirement(name="Fire safety")
            created.due_days = 60
            created.save()
            pk = created.pk
            created.delete()

        changes = data(receiver, "requirement.changed")
        assert [(row["requirement_id"], row["action"]) for row in changes] == [
            (pk, "created"),
            (pk, "updated"),
            (pk, "deleted"),
        ]
        assert changes[1]["due_days"] == 60


class TestSubscribedTypes:
    def test_a_change_nobody_subscribed_to_costs_no_query(self, django_assert_num_queries):
        enrollment = EnrollmentFactory()  # reads, then caches, that nobody listens
        with django_assert_num_queries(0):
            assert emitters.enrollment_created(enrollment) == []

    def test_a_new_subscription_hears_the_next_change_at_once(
        self, subscribe, httpserver, committed
    ):
        httpserver.expect_request("/hook").respond_with_data("ok")
        EnrollmentFactory()  # the cache now says nobody listens

        subscribe("enrolment.created")
        with committed():
            enrollment = EnrollmentFactory()

        [(request, _)] = httpserver.log
        assert request.json["data"]["enrolment_id"] == enrollment.pk
