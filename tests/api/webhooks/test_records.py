"""The webhooks' part of erasure and of the retention purge."""

from datetime import timedelta

from django.utils import timezone

import pytest

from api.webhooks.models import WebhookDelivery, WebhookEvent
from records import services as records_services
from records.hooks import retention_parts
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestErasure:
    def test_erasing_a_person_removes_their_username_from_events(
        self, subscribe, httpserver, admin_user
    ):
        subscribe("enrolment.created")
        ada = UserFactory(username="ada")
        EnrollmentFactory(user=ada)
        EnrollmentFactory(user=UserFactory(username="bob"))

        records_services.erase_person(ada, actor=admin_user)

        names = {
            event.payload["data"]["user_id"]: event.payload["data"]["username"]
            for event in WebhookEvent.objects.all()
        }
        assert "ada" not in str(list(WebhookEvent.objects.values_list("payload", flat=True)))
        assert names[ada.pk] == "[erased]"
        assert "bob" in names.values()


class TestRetentionPurge:
    def test_old_finished_events_go_and_pending_ones_stay(self, subscribe, httpserver):
        subscribe("enrolment.created")
        EnrollmentFactory()
        EnrollmentFactory()
        long_ago = timezone.now() - timedelta(days=400)
        WebhookEvent.objects.update(created_at=long_ago)
        done, waiting = WebhookDelivery.objects.order_by("pk")
        WebhookDelivery.objects.filter(pk=done.pk).update(status="delivered")

        counts = retention_parts(cutoff=timezone.now() - timedelta(days=365))

        assert counts["api.webhook_event"] == 1
        assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [waiting.pk]
