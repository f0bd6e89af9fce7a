"""Delivering webhooks to a real receiver on 127.0.0.1: signed, retried with backoff,
never lost, never sent twice, never sent for a change that did not happen."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

import pytest

from api.webhooks import tasks
from api.webhooks.delivery import claim
from api.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from learner import services as learner_services
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


def enrol(committed) -> Enrollment:
    """A learner enrols through the learner service; the change commits."""
    with committed():
        return learner_services.enrollment_request(
            user=UserFactory(username="ada"), course=CoursePageFactory()
        )


def time_passes() -> None:
    """Every pending delivery's next attempt is due now (as it is after its backoff)."""
    WebhookDelivery.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


class TestSignedDelivery:
    def test_receiver_verifies_the_signature_and_gets_the_event(self, receiver, committed):
        enrollment = enrol(committed)

        assert receiver.events == ["enrolment.created"]
        request = receiver.requests[0]
        assert request["signed"]
        event = WebhookEvent.objects.get()
        assert request["event_id"] == str(event.event_id) == request["body"]["id"]
        assert request["body"]["type"] == "enrolment.created"
        assert request["body"]["data"]["enrolment_id"] == enrollment.pk
        assert request["body"]["data"]["username"] == "ada"
        delivery = WebhookDelivery.objects.get()
        assert request["delivery"] == str(delivery.pk)
        assert (delivery.status, delivery.attempts) == ("delivered", 1)
        assert delivery.log.get().status_code == 200

    def test_a_receiver_with_another_secret_refuses_it(self, receiver, committed):
        receiver.secret_of = lambda: "whsec_not-the-one"

        enrol(committed)

        assert [request["signed"] for request in receiver.requests] == [False]
        assert WebhookDelivery.objects.get().status == "pending"


class TestRetries:
    def test_delivered_on_the_third_attempt_after_two_failures(self, receiver, committed):
        receiver.answers = [503, 503]

        enrol(committed)
        delivery = WebhookDelivery.objects.get()
        first_wait = delivery.next_attempt_at - delivery.log.get().started_at
        time_passes()
        tasks.sweep.apply()
        delivery.refresh_from_db()
        second_wait = delivery.next_attempt_at - delivery.log.last().started_at
        time_passes()
        tasks.sweep.apply()

        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("delivered", 3)
        assert [a.status_code for a in delivery.log.all()] == [503, 503, 200]
        assert len({request["event_id"] for request in receiver.requests}) == 1
        # Exponential backoff: about a minute, then about two.
        assert timedelta(seconds=59) < first_wait < timedelta(seconds=62)
        assert timedelta(seconds=119) < second_wait < timedelta(seconds=122)

    def test_a_delivery_past_its_retry_period_fails(self, receiver, committed):
        receiver.answers = [500, 500]
        enrol(committed)
        WebhookDelivery.objects.update(retry_until=timezone.now())
        time_passes()

        tasks.sweep.apply()

        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.next_attempt_at) == ("failed", None)
        assert delivery.attempts == 2
        time_passes()
        tasks.sweep.apply()
        assert len(receiver.requests) == 2  # a failed delivery is not tried again


class TestNothingLost:
    def test_a_receiver_that_is_down_gets_the_event_later(self, receiver, committed, httpserver):
        httpserver.stop()
        try:
            enrol(committed)
            delivery = WebhookDelivery.objects.get()
            assert delivery.status == "pending"
            assert delivery.next_attempt_at > timezone.now()
            attempt = delivery.log.get()
            assert attempt.status_code is None
            assert "refused" in attempt.error.lower() or "URLError" in attempt.error
        finally:
            httpserver.start()

        tasks.sweep.apply()  # not yet due: nothing is sent before the backoff
        assert receiver.requests == []
        time_passes()
        tasks.sweep.apply()

        assert receiver.events == ["enrolment.created"]
        assert WebhookDelivery.objects.get().status == "delivered"

    def test_a_lost_hand_over_is_sent_by_the_sweep(
        self, receiver, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):  # the broker was down
            learner_services.enrollment_request(
                user=UserFactory(username="ada"), course=CoursePageFactory()
            )
        assert receiver.requests == []

        call_command("sweep", stdout=StringIO())  # beat's per-minute sweeps, or cron's

        assert receiver.events == ["enrolment.created"]

    def test_a_redirect_is_a_failed_attempt_and_is_not_followed(
        self, subscribe, committed, httpserver
    ):
        subscribe(url=httpserver.url_for("/moved"))
        httpserver.expect_request("/moved").respond_with_data(
            "", status=301, headers={"Location": httpserver.url_for("/elsewhere")}
        )

        enrol(committed)

        assert [request.path for request, _ in httpserver.log] == ["/moved"]
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending"
        assert WebhookAttempt.objects.get().status_code == 301


class TestNoDuplicates:
    def test_a_task_run_again_after_a_worker_restart_sends_nothing_more(self, receiver, committed):
        enrol(committed)
        delivery = WebhookDelivery.objects.get()

        tasks.deliver.apply(args=[delivery.pk])  # the broker hands the job out again
        time_passes()
        tasks.sweep.apply()

        assert len(receiver.requests) == 1
        assert WebhookDelivery.objects.get().attempts == 1

    def test_a_delivery_claimed_by_a_worker_is_not_sent_by_another(
        self, receiver, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            learner_services.enrollment_request(
                user=UserFactory(username="ada"), course=CoursePageFactory()
            )
        delivery = WebhookDelivery.objects.get()
        assert claim(delivery_id=delivery.pk, now=timezone.now()) is not None  # worker 1

        tasks.deliver.apply(args=[delivery.pk])  # worker 2, at the same moment
        tasks.sweep.apply()

        assert receiver.requests == []
        # Worker 1 was killed mid-POST: once its claim lapses, the event goes out once.
        time_passes()
        tasks.sweep.apply()
        tasks.sweep.apply()
        assert len(receiver.requests) == 1


class TestRolledBack:
    def test_nothing_is_written_or_sent_for_a_change_rolled_back(self, receiver, committed):
        with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
            learner_services.enrollment_request(
                user=UserFactory(username="ada"), course=CoursePageFactory()
            )
            raise RuntimeError("the request failed after enrolling")

        assert callbacks == []
        assert not Enrollment.objects.exists()
        assert not WebhookEvent.objects.exists()
        assert not WebhookDelivery.objects.exists()
        tasks.sweep.apply()
        assert receiver.requests == []

    def test_an_inactive_subscription_gets_nothing(self, receiver, committed):
        receiver.subscription.active = False
        receiver.subscription.save()

        enrol(committed)

        assert not WebhookEvent.objects.exists()
        assert receiver.requests == []
