"""The email outbox: written with its cause, sent once, each stamped as it goes out."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

import pytest

from learner import emails
from learner import services as learner_services
from notifications.models import OutgoingEmail
from notifications.sending import outbox_send
from notifications.services import email_queue
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


def queue(key: str, user) -> None:
    email_queue(
        key=key,
        recipient=user,
        subject=f"Subject {key}",
        template="learner/emails/request_received",
        context={"course": CoursePageFactory.build(title="Anatomy"), "course_url": "/"},
    )


class TestQueueing:
    def test_a_queued_email_goes_out_once_the_transaction_commits(
        self, django_capture_on_commit_callbacks
    ):
        user = UserFactory(email="lena@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            queue("k1", user)
            assert not mail.outbox, "nothing is sent before the commit"
        assert [m.to for m in mail.outbox] == [["lena@example.com"]]
        assert mail.outbox[0].subject == "Subject k1"
        assert mail.outbox[0].alternatives, "the HTML part goes too"
        assert OutgoingEmail.objects.get(key="k1").sent_at is not None

    def test_a_rolled_back_change_queues_nothing(self, django_capture_on_commit_callbacks):
        user = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    queue("k1", user)
                    raise RuntimeError("the change failed")
            except RuntimeError:
                pass
        assert not OutgoingEmail.objects.exists()
        assert not mail.outbox

    def test_the_same_key_twice_is_one_email(self, django_capture_on_commit_callbacks):
        user = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            queue("k1", user)
            queue("k1", user)
        with django_capture_on_commit_callbacks(execute=True):
            queue("k1", user)
        assert len(mail.outbox) == 1
        assert OutgoingEmail.objects.count() == 1

    def test_a_person_without_an_address_gets_nothing_queued(self):
        queue("k1", UserFactory(email=""))
        assert not OutgoingEmail.objects.exists()


class TestLostHandOver:
    def test_the_sweep_sends_what_the_lost_hand_over_would_have(
        self, django_capture_on_commit_callbacks
    ):
        """The on-commit hand-over never runs (broker down, worker killed): the email is
        still in the outbox, and the next sweep sends it, once."""
        course = CoursePageFactory(enrollment_policy="approval", title="Anatomy")
        user = UserFactory(email="lena@example.com")
        with django_capture_on_commit_callbacks(execute=False) as lost:
            learner_services.enrollment_request(user=user, course=course)
        assert lost, "the request handed the email over on commit"
        assert not mail.outbox
        call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert [m.subject for m in mail.outbox] == ["We received your request: Anatomy"]

    def test_a_retried_approval_email_is_sent_once(self, django_capture_on_commit_callbacks):
        """The approval's email queued again (a retried request or task) is one email."""
        course = CoursePageFactory(enrollment_policy="approval")
        enrollment = learner_services.enrollment_request(user=UserFactory(), course=course)
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = learner_services.enrollment_approve(
                enrollment=enrollment, by=UserFactory(username="inst")
            )
        with django_capture_on_commit_callbacks(execute=True):
            emails.send_request_approved(enrollment)
        assert len([m for m in mail.outbox if m.subject.startswith("You're in")]) == 1


class TestSending:
    def test_each_message_is_stamped_as_it_goes_out(self, monkeypatch):
        """A sender that dies after the second message has stamped the first two, so
        the next sender sends only the third (after the lease)."""
        user = UserFactory()
        for key in ("a", "b", "c"):
            queue(key, user)
        sent = []

        def send(message, fail_silently=False):
            if len(sent) == 2:
                raise SystemExit("killed")
            sent.append(message.subject)
            return 1

        monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send)
        with pytest.raises(SystemExit):
            outbox_send()
        stamped = set(
            OutgoingEmail.objects.filter(sent_at__isnull=False).values_list("key", flat=True)
        )
        assert stamped == {"a", "b"}
        monkeypatch.undo()
        assert outbox_send() == 0, "the third is held by the dead sender's lease"
        OutgoingEmail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
        assert outbox_send() == 1
        assert [m.subject for m in mail.outbox] == ["Subject c"]

    def test_a_refused_message_keeps_its_error_and_the_rest_go(self, monkeypatch):
        user = UserFactory()
        for key in ("a", "b"):
            queue(key, user)
        real_send = mail.EmailMultiAlternatives.send

        def send(message, fail_silently=False):
            if message.subject == "Subject a":
                raise OSError("mail server said no")
            return real_send(message, fail_silently)

        monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send)
        assert outbox_send() == 1
        refused = OutgoingEmail.objects.get(key="a")
        assert refused.sent_at is None
        assert refused.error == "OSError: mail server said no"
        assert refused.attempts == 1
        monkeypatch.undo()
        OutgoingEmail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
        assert outbox_send() == 1
        assert sorted(m.subject for m in mail.outbox) == ["Subject a", "Subject b"]
        assert OutgoingEmail.objects.get(key="a").attempts == 2
