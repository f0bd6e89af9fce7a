"""The webhook admin: subscriptions (the secret shown once), deliveries with their
attempts, *Resend*, and who may use it."""

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

import pytest

from api.webhooks.models import WebhookDelivery, WebhookSubscription
from audit.models import AuditEntry
from learner import services as learner_services
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX_URL = "/admin/webhooks/"
ADD_URL = "/admin/webhooks/new/"
DELIVERIES_URL = "/admin/webhooks/deliveries/"


def form_data(url: str, **changes) -> dict:
    return {
        "name": "HR system",
        "url": url,
        "events": ["enrolment.created", "certificate.issued"],
        "active": "on",
        **changes,
    }


def delivered(receiver, committed) -> WebhookDelivery:
    with committed():
        learner_services.enrollment_request(
            user=UserFactory(username="ada"), course=CoursePageFactory()
        )
    return WebhookDelivery.objects.get()


class TestSubscriptions:
    def test_create_shows_the_secret_once_and_lists_it_masked(
        self, client, admin_user, allow_http, httpserver
    ):
        client.force_login(admin_user)

        response = client.post(ADD_URL, form_data(httpserver.url_for("/hook")))

        subscription = WebhookSubscription.objects.get()
        assert response.status_code == 200
        assert subscription.secret in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert subscription.events == ["enrolment.created", "certificate.issued"]
        assert subscription.created_by == admin_user
        listing = client.get(INDEX_URL).content.decode()
        assert "HR system" in listing
        assert subscription.masked_secret in listing
        assert subscription.secret not in listing
        edit = client.get(f"/admin/webhooks/edit/{subscription.pk}/").content.decode()
        assert subscription.secret not in edit
        assert AuditEntry.objects.filter(action="fledge.api.webhook_create").count() == 1

    def test_a_plain_http_url_is_refused_unless_allowed(self, client, admin_user, settings):
        settings.FLEDGE_WEBHOOK_ALLOW_HTTP = False
        client.force_login(admin_user)

        response = client.post(ADD_URL, form_data("http://hooks.example.com/in"))

        assert response.status_code == 200
        assert "Use an https:// URL" in response.content.decode()
        assert not WebhookSubscription.objects.exists()

    @pytest.mark.parametrize(
        "url", ["ftp://hooks.example.com/in", "https://user:pw@hooks.example.com/in"]
    )
    def test_a_bad_url_is_a_form_error(self, client, admin_user, url):
        client.force_login(admin_user)

        response = client.post(ADD_URL, form_data(url))

        assert response.status_code == 200
        assert "error" in response.content.decode().lower()
        assert not WebhookSubscription.objects.exists()

    def test_edit_can_draw_a_new_secret_and_delete_is_audited(self, client, admin_user, subscribe):
        subscription = subscribe("enrolment.created")
        old = subscription.secret
        client.force_login(admin_user)
        data = form_data(subscription.url, new_secret="on")

        response = client.post(f"/admin/webhooks/edit/{subscription.pk}/", data)

        subscription.refresh_from_db()
        assert subscription.secret != old
        assert subscription.secret in response.content.decode()
        client.post(f"/admin/webhooks/delete/{subscription.pk}/")
        assert not WebhookSubscription.objects.exists()
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"fledge.api.webhook_change", "fledge.api.webhook_secret"} <= actions
        assert "fledge.api.webhook_delete" in actions


class TestDeliveries:
    def test_listing_filters_by_status_and_shows_attempts(
        self, client, admin_user, receiver, committed
    ):
        receiver.answers = [503]
        delivery = delivered(receiver, committed)
        client.force_login(admin_user)

        pending = client.get(DELIVERIES_URL, {"status": "pending"}).content.decode()
        done = client.get(DELIVERIES_URL, {"status": "delivered"}).content.decode()
        page = client.get(f"{DELIVERIES_URL}inspect/{delivery.pk}/").content.decode()

        assert f"inspect/{delivery.pk}/" in pending
        assert f"inspect/{delivery.pk}/" not in done
        assert "503" in page
        assert str(delivery.event.event_id) in page
        assert "Resend" in page

    def test_resend_sends_the_same_event_again(self, client, admin_user, receiver, committed):
        delivery = delivered(receiver, committed)
        client.force_login(admin_user)

        with committed():
            response = client.post(f"{DELIVERIES_URL}resend/{delivery.pk}/")

        assert response.status_code == 302
        assert len(receiver.requests) == 2
        assert receiver.requests[0]["event_id"] == receiver.requests[1]["event_id"]
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("delivered", 2)
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("same event id" in m for m in messages)

    def test_resend_of_an_inactive_webhook_is_refused_with_a_reason(
        self, client, admin_user, receiver, committed
    ):
        delivery = delivered(receiver, committed)
        WebhookSubscription.objects.update(active=False)
        client.force_login(admin_user)

        response = client.post(f"{DELIVERIES_URL}resend/{delivery.pk}/", follow=True)

        assert "make it active to resend" in response.content.decode()
        assert len(receiver.requests) == 1

    def test_resend_needs_a_post(self, client, admin_user, receiver, committed):
        delivery = delivered(receiver, committed)
        client.force_login(admin_user)

        response = client.get(f"{DELIVERIES_URL}resend/{delivery.pk}/")

        assert response.status_code == 405
        assert len(receiver.requests) == 1


class TestAccess:
    def test_a_learner_is_refused(self, client, receiver, committed):
        delivery = delivered(receiver, committed)
        client.force_login(UserFactory(username="learner"))

        for url in (INDEX_URL, ADD_URL, DELIVERIES_URL):
            response = client.get(url)
            assert response.status_code == 302
            assert "login" in response["Location"]
        response = client.post(f"{DELIVERIES_URL}resend/{delivery.pk}/")
        assert response.status_code in {302, 403}
        assert len(receiver.requests) == 1

    def test_staff_with_the_model_permissions_may_manage_webhooks(self, client, subscribe):
        user = UserFactory(username="integrator")
        user.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            *Permission.objects.filter(
                content_type__app_label="api",
                codename__in=["add_webhooksubscription", "change_webhooksubscription"],
            ),
        )
        subscribe("enrolment.created")
        client.force_login(user)

        assert client.get(INDEX_URL).status_code == 200
        assert client.get(DELIVERIES_URL).status_code in {302, 403}  # no delivery permission
        menu = client.get("/admin/").content.decode()
        assert INDEX_URL in menu
        assert DELIVERIES_URL not in menu

    def test_the_admin_menu_offers_both_pages_to_a_superuser(self, client, admin_user):
        client.force_login(admin_user)

        menu = client.get("/admin/").content.decode()

        assert INDEX_URL in menu
        assert DELIVERIES_URL in menu
