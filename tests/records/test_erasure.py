"""Erasing a person leaves no trace of their name, address or username in any column
of any table, nor in any stored file, while their figures, completions and
certificates stay and the audit chain still verifies.

The search reads every row of every table in the database (third-party and
many-to-many tables included), each value as text, so it finds a name wherever some
app wrote it; it is first shown to find the person before the erasure.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from wagtail.log_actions import log
from wagtail.users.models import UserProfile

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

import audit
from accounts.models import DirectoryAccount, provisionable_users
from accounts.services.people import user_provision
from catalog.models import CoursePage
from certificates import services as certificate_services
from certificates.models import Certificate
from compliance import services as compliance_services
from compliance.models import Assignment, NotificationLog
from compliance.services import notifications as reminders
from learner import services as learner_services
from learner.models import Enrollment, QuizAttempt
from notifications.models import OutgoingEmail
from notifications.sending import outbox_send
from records.services import ErasureRefused, erase_person
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import TrainingRequirementFactory, managed_by, today
from tests.learner.factories import (
    PASSWORD,
    EnrollmentFactory,
    UserFactory,
    answer_key,
    small_course,
)
from tests.lessons.factories import give_a_lesson

pytestmark = pytest.mark.django_db

FIRST, LAST, USERNAME = "Zebulon", "Quartermaine", "zquarter"
EMAIL = "zebulon.quartermaine@example.org"
NEEDLES = (FIRST, LAST, f"{FIRST} {LAST}", EMAIL, USERNAME)
OTHER = ("Bartholomew", "Whitlock", "bwhitlock", "bartholomew.whitlock@example.org")


def _text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


def database_hits(needles) -> set[str]:
    """``table.column`` of every value in the database that holds one of ``needles``
    (case-insensitive), every table and column read as text."""
    lowered = [needle.lower() for needle in needles]
    hits = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.get_table_list(cursor):
            if table.type != "t":
                continue
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table.name)
            ]
            names = ", ".join(quote(column) for column in columns)
            cursor.execute(f"SELECT {names} FROM {quote(table.name)}")  # noqa: S608 - our names
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = _text(value).lower()
                    if any(needle in text for needle in lowered):
                        hits.add(f"{table.name}.{column}")
    return hits


def file_hits(needles) -> set[str]:
    """Stored files (public and private media) whose name or content holds a needle."""
    lowered = [needle.lower().encode() for needle in needles]
    hits = set()
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for path in Path(root).rglob("*"):
            if path.is_file():
                data = path.name.lower().encode() + b"\n" + path.read_bytes().lower()
                if any(needle in data for needle in lowered):
                    hits.add(str(path.relative_to(root)))
    return hits


def fake_pdf(document) -> bytes:
    """A "PDF" that prints the holder's name in clear (a real one compresses it), so
    the file search can see it."""
    return f"%PDF-1.4 certificate of {document.holder_name}".encode()


@dataclass
class Erasable:
    person: object
    other: object
    admin: object
    enrolment: Enrollment
    certificate: Certificate


def sign_in(client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def typed_answers(lesson, text: str) -> dict:
    """A wrong submission whose short answers are ``text``."""
    data = answer_key(lesson, correct=False)
    for question in lesson.quiz.value["questions"]:
        if question.block_type == "short_answer":
            data[f"q-{question.id}"] = [text]
    return data


def learn_and_certify(person, course, *, typed: str) -> Enrollment:
    enrolment = EnrollmentFactory(user=person, course=course.course)
    for lesson in (course.reading, course.last):
        learner_services.lesson_complete(enrollment=enrolment, lesson=lesson)
    for data in (typed_answers(course.quiz_lesson, typed), answer_key(course.quiz_lesson)):
        learner_services.quiz_submit(
            enrollment=enrolment, lesson=course.quiz_lesson, data=data, token=str(uuid.uuid4())
        )
    enrolment.refresh_from_db()
    return enrolment


def approval_course(title: str) -> CoursePage:
    course = CoursePageFactory(title=title, enrollment_policy="approval")
    give_a_lesson(course)
    return course


def rich_history(client, monkeypatch) -> Erasable:
    """Zebulon Quartermaine, provisioned by the directory, with everything the app
    keeps about a learner; Bartholomew Whitlock with a history of his own."""
    monkeypatch.setattr(certificate_services, "render_pdf", fake_pdf)
    person = user_provision(
        username=USERNAME, email=EMAIL, first_name=FIRST, last_name=LAST, external_id="zq-001"
    )
    person.set_password(PASSWORD)
    person.save()
    other = UserFactory(username=OTHER[2], first_name=OTHER[0], last_name=OTHER[1], email=OTHER[3])
    admin = UserFactory(username="admira", first_name="Admira", last_name="Boss", is_staff=True)
    managed_by(admin, person, other)
    EmailAddress.objects.create(user=person, email=EMAIL, verified=True, primary=True)
    SocialAccount.objects.create(
        user=person, provider="openid_connect", uid="zq-oidc", extra_data={"name": NEEDLES[2]}
    )
    profile = UserProfile.get_for_user(person)
    profile.avatar.save(f"{USERNAME}.png", ContentFile(b"\x89PNG"), save=True)

    course = small_course(title="Fire safety basics")
    fire = TrainingRequirementFactory(
        name="Fire safety", course=course.course, audience_users=[person, other], due_days=10
    )
    ethics = TrainingRequirementFactory(name="Ethics", audience_users=[person, other])
    for requirement in (fire, ethics):
        compliance_services.assignments_sync(requirement=requirement, as_of=today())
    for who in (person, other):
        compliance_services.assignment_exempt(
            assignment=Assignment.objects.get(requirement=ethics, user=who),
            by=admin,
            reason=f"{who.first_name} {who.last_name} is on sabbatical",
        )
    reminders.run_reminders(as_of=today() + timedelta(days=9))
    NotificationLog.objects.filter(recipient=person).update(error=f"Refused: {EMAIL}")

    enrolment = learn_and_certify(person, course, typed=f"{FIRST} {LAST} guessed")
    learn_and_certify(other, course, typed=f"{OTHER[0]} guessed")
    certificate = certificate_services.certificate_reissue(
        certificate=Certificate.objects.get(enrollment=enrolment),
        by=admin,
        reason=f"{LAST} was misspelt",
    )
    for held in Certificate.objects.all():
        certificate_services.certificate_render(certificate=held)

    for who in (person, other):
        closed = approval_course(f"Advanced course {who.pk}")
        request = learner_services.enrollment_request(user=who, course=closed)
        learner_services.enrollment_reject(
            enrollment=request, by=admin, reason=f"Sorry {who.first_name}, the cohort is full"
        )
    outbox_send()
    learner_services.enrollment_request(user=person, course=approval_course("Later course"))
    assert OutgoingEmail.objects.filter(recipient=person, sent_at__isnull=True).exists()

    assert sign_in(client, USERNAME, "not-the-password").status_code == 200
    assert sign_in(client, EMAIL, "not-the-password").status_code == 200
    assert sign_in(client, USERNAME, PASSWORD).status_code == 302
    assert client.session.get("_auth_user_id") == str(person.pk)
    # Added after signing in: with it, a sign-in would stop at the second-factor step.
    Authenticator.objects.create(user=person, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    log(instance=person, action="wagtail.edit", user=admin)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(person),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message=f"Changed email to {EMAIL}",
    )
    return Erasable(
        person=person,
        other=other,
        admin=admin,
        enrolment=enrolment,
        certificate=Certificate.objects.get(pk=certificate.pk),
    )


@pytest.fixture
def history(catalog, client, monkeypatch):
    return rich_history(client, monkeypatch)


def erase(history, capture):
    """Erase the person as the admin, running what waits for the commit (file deletes)."""
    with capture(execute=True):
        return erase_person(history.person, actor=history.admin)


class TestNoTraceLeft:
    def test_the_search_finds_the_person_before(self, history):
        hits = database_hits(NEEDLES)
        for column in (
            "auth_user.username",
            "account_emailaddress.email",
            "certificates_certificate.holder_name",
            "compliance_assignment.exemption_reason",
            "learner_enrollment.reason",
            "learner_quizattempt.answers",
            "notifications_outgoingemail.text",
            "axes_accessattempt.username",
            "axes_accesslog.username",
            "socialaccount_socialaccount.extra_data",
            "wagtailusers_userprofile.avatar",
            "certificates_certificate.revoked_reason",
            "compliance_notificationlog.error",
            "learner_quizattempt.graded",
            "wagtailcore_modellogentry.label",
            "wagtailcore_modellogentry.data",
            "django_admin_log.object_repr",
        ):
            assert column in hits, column
        assert file_hits(NEEDLES)

    def test_no_table_or_file_names_them_after(self, history, django_capture_on_commit_callbacks):
        erase(history, django_capture_on_commit_callbacks)
        assert database_hits(NEEDLES) == set()
        assert file_hits(NEEDLES) == set()

    def test_others_are_untouched(self, history, django_capture_on_commit_callbacks):
        before = database_hits(OTHER)
        erase(history, django_capture_on_commit_callbacks)
        assert database_hits(OTHER) == before
        other = Certificate.objects.get(user=history.other)
        assert other.holder_name == f"{OTHER[0]} {OTHER[1]}"
        assert Assignment.objects.get(user=history.other, exempt=True).exemption_reason


class TestWhatStays:
    def test_the_chain_still_verifies(self, history, django_capture_on_commit_callbacks):
        erase(history, django_capture_on_commit_callbacks)
        audit.verify_chain()
        call_command("audit_verify")  # raises CommandError (exit 1) when broken

    def test_figures_and_certificates_stay(self, history, django_capture_on_commit_callbacks):
        person = history.person
        counts = (
            Enrollment.objects.filter(user=person).count(),
            QuizAttempt.objects.filter(enrollment__user=person).count(),
            Certificate.objects.filter(user=person).count(),
            Assignment.objects.filter(user=person).count(),
        )
        erase(history, django_capture_on_commit_callbacks)
        assert counts == (
            Enrollment.objects.filter(user=person).count(),
            QuizAttempt.objects.filter(enrollment__user=person).count(),
            Certificate.objects.filter(user=person).count(),
            Assignment.objects.filter(user=person).count(),
        )
        history.enrolment.refresh_from_db()
        assert history.enrolment.status == Enrollment.Status.COMPLETED
        assert QuizAttempt.objects.filter(enrollment=history.enrolment, passed=True).exists()

    def test_the_certificate_verifies_as_holder_erased(
        self, client, history, django_capture_on_commit_callbacks
    ):
        erase(history, django_capture_on_commit_callbacks)
        code = history.certificate.verification_code
        page = client.get(reverse("certificates:verify", args=[code])).content.decode()
        assert "This certificate is valid." in page
        assert "Holder erased" in page and FIRST not in page
        certificate = Certificate.objects.get(pk=history.certificate.pk)
        assert certificate.number == history.certificate.number and not certificate.pdf

    def test_sent_mail_is_kept_blank_and_unsent_mail_dropped(
        self, history, django_capture_on_commit_callbacks
    ):
        sent = OutgoingEmail.objects.filter(recipient=history.person, sent_at__isnull=False)
        count = sent.count()
        erase(history, django_capture_on_commit_callbacks)
        assert sent.count() == count > 0
        assert set(sent.values_list("to", flat=True)) == {"[erased]"}
        assert not OutgoingEmail.objects.filter(recipient=history.person, sent_at__isnull=True)


class TestTheAccount:
    def test_cannot_sign_in(self, client, history, django_capture_on_commit_callbacks):
        erase(history, django_capture_on_commit_callbacks)
        person = type(history.person).objects.get(pk=history.person.pk)
        assert person.username == f"erased-{person.pk}" and not person.is_active
        assert not person.has_usable_password() and not person.email
        assert person.profile.erased_at is not None
        client.logout()
        for login in (USERNAME, EMAIL, person.username):
            assert sign_in(client, login, PASSWORD).status_code == 200
        assert not person.check_password(PASSWORD)

    def test_signed_out_and_factors_gone(self, client, history, django_capture_on_commit_callbacks):
        assert client.session.get("_auth_user_id") == str(history.person.pk)
        erase(history, django_capture_on_commit_callbacks)
        assert client.get(reverse("learner:dashboard")).status_code == 302
        person = history.person
        for model in (EmailAddress, SocialAccount, Authenticator):
            assert not model.objects.filter(user=person).exists(), model

    def test_the_directory_no_longer_serves_them(self, history, django_capture_on_commit_callbacks):
        assert provisionable_users().filter(pk=history.person.pk).exists()
        erase(history, django_capture_on_commit_callbacks)
        directory = DirectoryAccount.objects.get(user=history.person)
        assert directory.deleted_at is not None and directory.external_id == ""
        assert not provisionable_users().filter(pk=history.person.pk).exists()

    def test_erasing_twice_is_refused(self, history, django_capture_on_commit_callbacks):
        erase(history, django_capture_on_commit_callbacks)
        with pytest.raises(ErasureRefused):
            erase_person(history.person, actor=history.admin)

    def test_the_erasure_is_in_the_trail_with_its_counts(
        self, history, django_capture_on_commit_callbacks
    ):
        counts = erase(history, django_capture_on_commit_callbacks)
        entry = audit.chain_head()
        assert entry.sequence
        assert counts["accounts.user"] == 1 and counts["certificates.pdf"] == 2
        assert counts["notifications.email_deleted"] == 1
