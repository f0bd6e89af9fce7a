"""The webhook admin's form and views (:mod:`api.webhooks.admin` registers them).

The secret is shown once: in the answer to the POST that created it (or drew a new
one), never on a page that can be reached again. Those answers reuse Wagtail's
generic *inspect* page, so no template of our own is needed.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views import View

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, Table
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.permissions import policy_registry

from base.errors import FledgeError

from .models import EventType, WebhookDelivery, WebhookSubscription
from .services import (
    delivery_resend,
    subscription_delete,
    subscription_new_secret,
    subscription_save,
    url_problem,
)

INSPECT_TEMPLATE = "wagtailadmin/generic/inspect.html"


class WebhookSubscriptionForm(WagtailAdminModelForm):
    """Name, URL (checked: http(s), https unless allowed), events and active."""

    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where Fledge POSTs each event, e.g. https://hr.example.com/fledge-hook.",
    )
    events = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the receiver is told about.",
    )

    new_secret = forms.BooleanField(
        required=False,
        label="Draw a new secret",
        help_text="The current secret stops working; the new one is shown once, after saving.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:  # a new subscription always gets a new secret
            del self.fields["new_secret"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        problem = url_problem(url)
        if problem:
            raise ValidationError(problem)
        return url


def secret_page(request: HttpRequest, subscription: WebhookSubscription, secret: str):
    """The one page that shows a secret in full, in the answer to the POST."""
    fields = [
        {"label": "Webhook", "value": subscription.name},
        {"label": "URL", "value": subscription.url},
        {"label": "Signing secret", "value": secret},
        {
            "label": "Keep it now",
            "value": "Copy the secret into the receiver: it is not shown again. "
            "The receiver checks the Fledge-Signature header with it.",
        },
    ]
    context = {
        "fields": fields,
        "page_title": "Signing secret",
        "page_subtitle": subscription.name,
        "header_icon": "key",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("api_webhooks:index"), "label": "Webhooks"},
            {"url": "", "label": "Signing secret"},
        ],
    }
    response = TemplateResponse(request, INSPECT_TEMPLATE, context)
    response["Cache-Control"] = "no-store"
    return response


class SubscriptionCreateView(CreateView):
    """Creates the subscription (audited) and answers with its new secret."""

    def save_instance(self):
        return subscription_save(subscription=self.form.instance, by=self.request.user)

    def form_valid(self, form):
        super().form_valid(form)
        return secret_page(self.request, self.object, self.object.secret)


class SubscriptionEditView(EditView):
    """Edits a subscription (audited); the secret stays, shown masked."""

    def save_instance(self):
        return subscription_save(subscription=self.form.instance, by=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_subtitle"] = f"{self.object.name} · secret {self.object.masked_secret}"
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        if not form.cleaned_data.get("new_secret"):
            return response
        secret = subscription_new_secret(subscription=self.object, by=self.request.user)
        return secret_page(self.request, self.object, secret)


class SubscriptionDeleteView(DeleteView):
    def delete_action(self):
        subscription_delete(subscription=self.object, by=self.request.user)


class SubscriptionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("created_by")


# --- Deliveries ---------------------------------------------------------------------


class DeliveryIndexView(IndexView):
    """Deliveries, newest first; a row opens its attempts. Nothing is added or edited
    here: deliveries are made by events."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "subscription")

    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        return self.get_inspect_url(instance)

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None


class ResendButton(Component):
    """The *Resend* form (a POST with the CSRF token) on a delivery's page."""

    def __init__(self, delivery: WebhookDelivery, can_resend: bool):
        self.delivery = delivery
        self.can_resend = can_resend

    def render_html(self, parent_context=None) -> str:
        if not self.can_resend:
            return "Only people who may change webhooks can resend."
        request = parent_context["request"]
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><button type="submit" class="button">Resend</button></form>',
            reverse("api_webhook_deliveries:resend", args=[self.delivery.pk]),
            get_token(request),
        )


def _attempts_table(delivery: WebhookDelivery) -> Table:
    columns = [
        Column("number", label="Attempt"),
        DateColumn("started_at", label="Started"),
        Column("status_code", label="Answer"),
        Column("duration_ms", label="Milliseconds"),
        Column("error", label="Error"),
    ]
    return Table(columns, list(delivery.log.all()))


class DeliveryInspectView(InspectView):
    """A delivery: its event (id, type, body), status, every attempt, and *Resend*."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            WebhookDelivery.objects.select_related("event", "subscription"), pk=self.pk
        )

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None

    def get_fields_context(self):
        delivery = self.object
        policy = policy_registry.get_by_type(WebhookDelivery)
        can_resend = policy.user_has_permission(self.request.user, "change")
        return [
            {"label": "Event id", "value": str(delivery.event.event_id)},
            {"label": "Event", "value": delivery.event.type},
            {"label": "Webhook", "value": f"{delivery.subscription} ({delivery.subscription.url})"},
            {"label": "Status", "value": delivery.get_status_display()},
            {"label": "Next attempt", "value": delivery.next_attempt_at or "—"},
            {"label": "Retried until", "value": delivery.retry_until},
            {"label": "Delivered", "value": delivery.delivered_at or "—"},
            {"label": "Attempts", "component": _attempts_table(delivery)},
            {"label": "Body", "value": delivery.event.payload},
            {"label": "Resend", "component": ResendButton(delivery, can_resend)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fields"] = self.get_fields_context()
        return context


class ResendView(View):
    """POST: send a delivery again with the same event id (needs *change*)."""

    http_method_names = ["post"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Who may comes before which method: a GET by someone refused is refused.
        policy = policy_registry.get_by_type(WebhookDelivery)
        if not policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        delivery = get_object_or_404(WebhookDelivery, pk=pk)
        try:
            delivery_resend(delivery=delivery, by=request.user)
        except FledgeError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Queued to be sent again, with the same event id.")
        return redirect("api_webhook_deliveries:inspect", pk)
