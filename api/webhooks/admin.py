"""The webhook admin (subscriptions, deliveries, resend), registered by api.wagtail_hooks.

The *Webhooks* menu lists the subscriptions (create, edit, draw a new secret, delete)
and their deliveries (filter by status or webhook; each with its attempts and *Resend*).
Access is Wagtail's model permissions: superusers, and anyone given the
``api`` webhook subscription or delivery permissions; a learner is refused.
"""

from django.urls import path

from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import admin_views, erasure
from .models import WebhookDelivery, WebhookSubscription
from .services import AUDIT_ACTIONS


class SubscriptionViewSet(ModelViewSet):
    model = WebhookSubscription
    name = "api_webhooks"
    url_prefix = "webhooks"
    icon = "link-external"
    menu_label = "Subscriptions"
    form_class = admin_views.WebhookSubscriptionForm
    index_view_class = admin_views.SubscriptionIndexView
    add_view_class = admin_views.SubscriptionCreateView
    edit_view_class = admin_views.SubscriptionEditView
    delete_view_class = admin_views.SubscriptionDeleteView
    copy_view_enabled = False
    list_display = [
        "name",
        "url",
        Column("events", label="Events", accessor=lambda s: ", ".join(s.events or [])),
        "active",
        Column("secret", label="Secret", accessor="masked_secret"),
    ]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return self.form_class


class DeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = "api_webhook_deliveries"
    url_prefix = "webhooks/deliveries"
    icon = "list-ul"
    menu_label = "Deliveries"
    add_to_reference_index = False  # outbox rows, written in bulk (see the models)
    index_view_class = admin_views.DeliveryIndexView
    inspect_view_class = admin_views.DeliveryInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_display = [
        TitleColumn(
            "event",
            label="Event",
            accessor="event.type",
            url_name="api_webhook_deliveries:inspect",
        ),
        "subscription",
        "status",
        "attempts",
        DateColumn("next_attempt_at", label="Next attempt"),
        DateColumn("created_at", label="Created"),
    ]
    list_filter = ["status", "subscription"]

    def get_urlpatterns(self):
        """Listing, results, a delivery's page and *Resend*: deliveries are made by
        events, never added, edited or deleted by hand."""
        keep = {"index", "index_results", "inspect"}
        return [
            *(pattern for pattern in super().get_urlpatterns() if pattern.name in keep),
            path("resend/<int:pk>/", admin_views.ResendView.as_view(), name="resend"),
        ]


class WebhookViewSetGroup(ModelViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link-external"
    menu_order = 8000  # after the content and people menus, before Reports and Settings
    items = (SubscriptionViewSet, DeliveryViewSet)


@hooks.register("register_admin_viewset")
def register_webhook_admin():
    return WebhookViewSetGroup()


@hooks.register("register_log_actions")
def register_webhook_actions(actions) -> None:
    """Label the webhook audit entries in *Site history*."""
    for action, label in AUDIT_ACTIONS.items():
        actions.register_action(action, label, label)


# The webhooks' part of a person's records (records.hooks).
hooks.register("register_person_erasure", erasure.erase_person)
hooks.register("register_retention_purge", erasure.purge_before)
