"""Every audited event writes exactly one entry, in the transaction of its change: none
when that change rolls back. The entries name the person only by pseudonym."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added

import audit
from accounts import services as account_services
from audit.models import AuditEntry
from audit.wagtail_hooks import ACTIONS
from certificates import services as certificate_services
from compliance import services as compliance_services
from compliance.models import Assignment
from compliance.services import notifications
from learner import services
from tests.catalog.factories import CoursePageFactory
from tests.certificates.factories import issued_certificate
from tests.compliance.factories import AssignmentFactory, TrainingRequirementFactory, today
from tests.learner.factories import (
    EnrollmentFactory,
    UserFactory,
    answer_key,
    pending,
    small_course,
)

pytestmark = pytest.mark.django_db


@contextmanager
def one_entry(action: str):
    """Exactly one new entry, of ``action``, and the chain still verifies."""
    before = AuditEntry.objects.count()
    yield
    new = list(AuditEntry.objects.filter(sequence__gt=before).values_list("action", flat=True))
    assert new.count(action) == 1, new
    assert action in ACTIONS
    audit.verify_chain()


class Rollback(Exception):
    pass


def rolled_back(change) -> None:
    """Run ``change`` in a transaction that then fails: no entry may stay."""
    before = AuditEntry.objects.count()
    with pytest.raises(Rollback), transaction.atomic():
        change()
        assert AuditEntry.objects.count() > before  # written inside the transaction
        raise Rollback
    assert AuditEntry.objects.count() == before


class TestEnrollmentEvents:
    def test_request(self):
        course = CoursePageFactory()
        user = UserFactory()
        with one_entry("fledge.enrollment.request"):
            enrollment = services.enrollment_request(user=user, course=course)
        entry = AuditEntry.objects.get(action="fledge.enrollment.request")
        assert entry.subject == audit.pseudonym(user.pk)
        assert entry.actor_id == user.pk
        assert entry.data == {"course": course.pk, "status": enrollment.status}
        assert user.username not in entry.payload

    def test_approve_and_reject(self):
        course = CoursePageFactory(enrollment_policy="approval")
        instructor = UserFactory()
        with one_entry("fledge.enrollment.approve"):
            services.enrollment_approve(enrollment=pending(course), by=instructor)
        with one_entry("fledge.enrollment.reject"):
            services.enrollment_reject(enrollment=pending(course), by=instructor, reason="Full")
        rejected = AuditEntry.objects.get(action="fledge.enrollment.reject")
        assert rejected.actor_id == instructor.pk
        assert "Full" not in rejected.payload
        assert rejected.data["reason_digest"] == audit.text_digest("Full")

    def test_withdraw_and_waitlist_promotion(self):
        course = CoursePageFactory(capacity=1, waitlist_enabled=True)
        seated = services.enrollment_request(user=UserFactory(), course=course)
        waiting = services.enrollment_request(user=UserFactory(), course=course)
        assert waiting.status == "waitlisted"
        with one_entry("fledge.enrollment.withdraw"), one_entry("fledge.enrollment.promote"):
            services.enrollment_withdraw(enrollment=seated)
        promoted = AuditEntry.objects.get(action="fledge.enrollment.promote")
        assert promoted.actor_id is None
        assert promoted.subject == audit.pseudonym(waiting.user_id)

    def test_a_rolled_back_request_leaves_no_entry(self):
        course = CoursePageFactory()
        rolled_back(lambda: services.enrollment_request(user=UserFactory(), course=course))


class TestCompletionEvents:
    def test_lesson_quiz_and_course_completion(self):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        with one_entry("fledge.lesson.complete"):
            services.lesson_complete(enrollment=enrollment, lesson=course.reading)
        services.lesson_complete(enrollment=enrollment, lesson=course.last)
        with one_entry("fledge.quiz.submit"), one_entry("fledge.course.complete"):
            services.quiz_submit(
                enrollment=enrollment,
                lesson=course.quiz_lesson,
                data=answer_key(course.quiz_lesson),
                token=str(uuid.uuid4()),
            )
        quiz = AuditEntry.objects.get(action="fledge.quiz.submit").data
        assert quiz["passed"] is True and quiz["score"] == "100.00"
        completed = AuditEntry.objects.get(action="fledge.course.complete").data
        assert completed["course"] == course.course.pk and completed["lessons_completed"] == 3

    def test_a_completion_marked_twice_is_recorded_once(self):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        with one_entry("fledge.lesson.complete"):
            services.lesson_complete(enrollment=enrollment, lesson=course.reading)
            services.lesson_complete(enrollment=enrollment, lesson=course.reading)

    def test_a_rolled_back_completion_leaves_no_entry(self):
        enrollment = EnrollmentFactory()
        rolled_back(lambda: services.course_complete(enrollment=enrollment))


class TestAssignmentEvents:
    def test_sync_records_created_closed_and_reopened(self):
        group = Group.objects.create(name="Staff")
        person = UserFactory()
        group.user_set.add(person)
        requirement = TrainingRequirementFactory(audience_groups=[group])
        with one_entry("fledge.assignment.create"):
            compliance_services.assignments_sync(requirement=requirement, as_of=today())
        created = AuditEntry.objects.get(action="fledge.assignment.create")
        assignment = Assignment.objects.get(user=person)
        assert created.data["assignments"] == [assignment.pk]
        group.user_set.remove(person)
        with one_entry("fledge.assignment.close"):
            compliance_services.assignments_sync(requirement=requirement, as_of=today())
        group.user_set.add(person)
        with one_entry("fledge.assignment.reopen"):
            compliance_services.assignments_sync(requirement=requirement, as_of=today())

    def test_a_sync_that_changes_nothing_records_nothing(self):
        requirement = TrainingRequirementFactory(audience_users=[UserFactory()])
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
        before = AuditEntry.objects.count()
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
        assert AuditEntry.objects.count() == before

    def test_exempt_with_its_reason_and_lift(self):
        assignment = AssignmentFactory()
        admin = UserFactory()
        with one_entry("fledge.assignment.exempt"):
            compliance_services.assignment_exempt(
                assignment=assignment, by=admin, reason="On long-term leave"
            )
        entry = AuditEntry.objects.get(action="fledge.assignment.exempt")
        assert "leave" not in entry.payload
        assert entry.data["reason_digest"] == audit.text_digest("On long-term leave")
        with one_entry("fledge.assignment.unexempt"):
            compliance_services.assignment_unexempt(assignment=assignment, by=admin)

    def test_deactivation_closes_with_one_entry(self):
        assignment = AssignmentFactory()
        with one_entry("fledge.assignment.close"):
            compliance_services.assignments_close_for_person(user=assignment.user)

    def test_a_rolled_back_exemption_leaves_no_entry(self):
        assignment = AssignmentFactory()
        rolled_back(
            lambda: compliance_services.assignment_exempt(
                assignment=assignment, by=UserFactory(), reason="x"
            )
        )


class TestCertificateEvents:
    def test_issue_revoke_and_reissue(self):
        with one_entry("fledge.certificate.issue"):
            certificate = issued_certificate(issues_certificate=True)
        admin = UserFactory()
        with one_entry("fledge.certificate.reissue"):
            new = certificate_services.certificate_reissue(
                certificate=certificate, by=admin, reason="Name corrected"
            )
        with one_entry("fledge.certificate.revoke"):
            certificate_services.certificate_revoke(certificate=new, by=admin, reason="Fraud")
        assert "Fraud" not in AuditEntry.objects.get(action="fledge.certificate.revoke").payload

    def test_a_staff_download_is_recorded_and_the_holders_is_not(self, client):
        certificate = issued_certificate(issues_certificate=True)
        url = reverse("certificates:download", args=[certificate.number])
        client.force_login(certificate.user)
        before = AuditEntry.objects.filter(action="fledge.certificate.download").count()
        assert client.get(url).status_code == 200
        assert AuditEntry.objects.filter(action="fledge.certificate.download").count() == before
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
        with one_entry("fledge.certificate.download"):
            assert client.get(url).status_code == 200

    def test_a_rolled_back_revocation_leaves_no_entry(self):
        certificate = issued_certificate(issues_certificate=True)
        rolled_back(
            lambda: certificate_services.certificate_revoke(
                certificate=certificate, by=UserFactory(), reason="x"
            )
        )


class TestAccountEvents:
    def test_sign_in_and_out(self, client):
        user = UserFactory()
        with one_entry("fledge.account.sign_in"):
            client.force_login(user)
        with one_entry("fledge.account.sign_out"):
            client.logout()

    def test_a_failed_sign_in_keeps_only_a_digest_of_the_name(self, client):
        with one_entry("fledge.account.sign_in_failed"):
            client.post(
                reverse("account_login"), {"login": "Someone@Example.com", "password": "no"}
            )
        entry = AuditEntry.objects.get(action="fledge.account.sign_in_failed")
        assert "example" not in entry.payload.lower()
        assert entry.data["identifier_digest"] == audit.text_digest("someone@example.com")

    def test_a_second_factor_change(self, rf):
        user = UserFactory()
        authenticator = Authenticator(user=user, type=Authenticator.Type.TOTP, data={})
        with one_entry("fledge.account.mfa_change"):
            authenticator_added.send(
                sender=Authenticator, request=rf.get("/"), user=user, authenticator=authenticator
            )
        assert only("fledge.account.mfa_change").data == {"change": "added", "type": "totp"}


class TestDirectoryEvents:
    def test_each_provisioning_operation_is_one_entry(self):
        with one_entry("fledge.account.scim_change"):
            user = account_services.user_provision(username="dana", email="dana@example.com")
        with one_entry("fledge.account.scim_change"):
            account_services.user_update(user=user, first_name="Dana", active=False)
        update = AuditEntry.objects.filter(action="fledge.account.scim_change").last()
        assert update.data["fields"] == ["active", "first_name"]
        assert "Dana" not in update.payload and "dana" not in update.payload
        with one_entry("fledge.account.scim_change"):
            group = account_services.group_provision(name="Nurses", members=[user])
        with one_entry("fledge.account.scim_change"):
            account_services.group_update(group=group, members=[])
        with one_entry("fledge.account.scim_change"):
            account_services.group_deprovision(group=group)
        with one_entry("fledge.account.scim_change"):
            account_services.user_deprovision(user=user)


def only(action: str) -> AuditEntry:
    (entry,) = AuditEntry.objects.filter(action=action)
    return entry


def _approve():
    course = CoursePageFactory(enrollment_policy="approval")
    return lambda: services.enrollment_approve(enrollment=pending(course), by=UserFactory())


def _withdraw():
    enrollment = EnrollmentFactory()
    return lambda: services.enrollment_withdraw(enrollment=enrollment)


def _lesson():
    course = small_course()
    enrollment = EnrollmentFactory(course=course.course)
    return lambda: services.lesson_complete(enrollment=enrollment, lesson=course.reading)


def _quiz():
    course = small_course()
    enrollment = EnrollmentFactory(course=course.course)
    data = answer_key(course.quiz_lesson)
    return lambda: services.quiz_submit(
        enrollment=enrollment, lesson=course.quiz_lesson, data=data, token=str(uuid.uuid4())
    )


def _sync():
    requirement = TrainingRequirementFactory(audience_users=[UserFactory()])
    return lambda: compliance_services.assignments_sync(requirement=requirement, as_of=today())


def _reissue():
    certificate = issued_certificate(issues_certificate=True)
    return lambda: certificate_services.certificate_reissue(
        certificate=certificate, by=UserFactory(), reason="Name"
    )


def _directory():
    user = UserFactory()
    return lambda: account_services.user_update(user=user, first_name="New")


@pytest.mark.parametrize(
    "prepare", [_approve, _withdraw, _lesson, _quiz, _sync, _reissue, _directory]
)
def test_a_rolled_back_change_takes_its_entry_with_it(prepare):
    rolled_back(prepare())
    audit.verify_chain()


class TestNotificationEvents:
    def test_each_reminder_sent_is_one_entry(self):
        person = UserFactory(email="p@example.com")
        requirement = TrainingRequirementFactory(audience_users=[person], due_days=10)
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
        with one_entry("fledge.notification.sent"):
            notifications.run_reminders(as_of=today() + timedelta(days=9))
        entry = only("fledge.notification.sent")
        assert entry.data["kind"] == "before_due"
        assert entry.subject == audit.pseudonym(person.pk)
        assert "example" not in entry.payload
        notifications.run_reminders(as_of=today() + timedelta(days=9))
        assert AuditEntry.objects.filter(action="fledge.notification.sent").count() == 1
