"""Changing webhooks: subscriptions (audited), a new secret, and a resend.

The admin's views call these; each runs in one transaction with its audit entry.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import record
from base.errors import FledgeError

from .events import retry_until
from .models import WebhookDelivery, WebhookSubscription, new_secret
from .tasks import hand_over

WEBHOOK_CREATED = "fledge.api.webhook_create"
WEBHOOK_CHANGED = "fledge.api.webhook_change"
WEBHOOK_DELETED = "fledge.api.webhook_delete"
WEBHOOK_SECRET_CHANGED = "fledge.api.webhook_secret"  # noqa: S105 - an audit action
WEBHOOK_RESENT = "fledge.api.webhook_resend"
#: Audit action → label in *Site history* (registered by :mod:`api.webhooks.admin`).
AUDIT_ACTIONS = {
    WEBHOOK_CREATED: "Webhook: created",
    WEBHOOK_CHANGED: "Webhook: changed",
    WEBHOOK_DELETED: "Webhook: deleted",
    WEBHOOK_SECRET_CHANGED: "Webhook: new secret drawn",
    WEBHOOK_RESENT: "Webhook: delivery resent",
}


class WebhookError(FledgeError):
    """A webhook change the rules do not allow; the message is shown as is."""


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot receive webhooks, or None: http(s) only, https unless
    ``FLEDGE_WEBHOOK_ALLOW_HTTP``, a host, and no user name or password in it."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"}:
        return "Use an https:// URL."
    if parts.scheme == "http" and not settings.FLEDGE_WEBHOOK_ALLOW_HTTP:
        return "Use an https:// URL: plain http is switched off (FLEDGE_WEBHOOK_ALLOW_HTTP)."
    if not parts.hostname:
        return "The URL needs a host name."
    if parts.username or parts.password:
        return "Leave the user name and password out of the URL: the signature proves the sender."
    return None


def _payload(subscription: WebhookSubscription) -> dict:
    # The host only: a receiver's path or query may carry its own token, and the
    # hashed payload can never be erased.
    return {
        "webhook_id": subscription.pk,
        "host": urlsplit(subscription.url).hostname or "",
        "events": sorted(subscription.events or []),
        "active": subscription.active,
    }


def _check(subscription: WebhookSubscription) -> None:
    problem = url_problem(subscription.url)
    if problem:
        raise WebhookError(problem)


@transaction.atomic
def subscription_save(*, subscription: WebhookSubscription, by) -> WebhookSubscription:
    """Create or change a subscription, audited. A new one gets a fresh secret."""
    _check(subscription)
    created = subscription.pk is None
    if created:
        subscription.created_by = by
        subscription.secret = new_secret()
    subscription.save()
    action = WEBHOOK_CREATED if created else WEBHOOK_CHANGED
    record(actor=by, action=action, obj=subscription, payload=_payload(subscription))
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription, by) -> None:
    """Delete a subscription with its deliveries and their attempts, audited first."""
    record(actor=by, action=WEBHOOK_DELETED, obj=subscription, payload=_payload(subscription))
    subscription.delete()


@transaction.atomic
def subscription_new_secret(*, subscription: WebhookSubscription, by) -> str:
    """Draw a new secret and return it (shown once). Deliveries from now on, retries
    included, are signed with it."""
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    record(
        actor=by, action=WEBHOOK_SECRET_CHANGED, obj=subscription, payload=_payload(subscription)
    )
    return subscription.secret


@transaction.atomic
def delivery_resend(*, delivery: WebhookDelivery, by) -> WebhookDelivery:
    """Send a delivery again, now, with the same event id and body (a delivered one
    too: the receiver asked for it), retried for another retry period if it fails."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not delivery.subscription.active:
        raise WebhookError("The webhook is inactive: make it active to resend.")
    now = timezone.now()
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = now
    delivery.retry_until = retry_until(now)
    delivery.save(update_fields=["status", "next_attempt_at", "retry_until"])
    record(
        actor=by,
        action=WEBHOOK_RESENT,
        obj=delivery.subscription,
        payload={"webhook_id": delivery.subscription_id, "delivery_id": delivery.pk},
    )
    hand_over([delivery.pk])
    return delivery
