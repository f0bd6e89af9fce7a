"""Fixtures for the webhook tests: a subscription pointed at a real HTTP receiver on
127.0.0.1 (pytest-httpserver) that checks each signature as an integrator would."""

import hashlib
import hmac
import json
import time

import pytest
from werkzeug import Request, Response

from api.webhooks.models import EventType, WebhookSubscription
from api.webhooks.services import subscription_save
from tests.learner.factories import UserFactory

#: How old a signature's timestamp may be before the receiver refuses it.
TOLERANCE_SECONDS = 300


def verify_signature(*, secret: str, header: str, body: bytes) -> bool:
    """The check a receiver makes (README's example): the v1 HMAC-SHA256 of
    ``"<t>.<body>"`` with the secret, and a recent ``t``."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    fresh = abs(time.time() - timestamp) <= TOLERANCE_SECONDS
    return fresh and hmac.compare_digest(expected.hexdigest(), parts["v1"])


class Receiver:
    """What the receiver got: each request's event id, type and body, and whether its
    signature was good. Answers ``answers`` in turn (then 200)."""

    def __init__(self, httpserver, secret_of):
        self.httpserver = httpserver
        self.secret_of = secret_of
        self.answers: list[int] = []
        self.requests: list[dict] = []
        httpserver.expect_request("/hook", method="POST").respond_with_handler(self.handle)

    def handle(self, request: Request) -> Response:
        body = request.get_data()
        good = verify_signature(
            secret=self.secret_of(), header=request.headers["Fledge-Signature"], body=body
        )
        self.requests.append(
            {
                "event_id": request.headers["Fledge-Event-Id"],
                "event": request.headers["Fledge-Event"],
                "delivery": request.headers["Fledge-Delivery"],
                "signed": good,
                "body": json.loads(body),
            }
        )
        status = self.answers.pop(0) if self.answers else 200
        return Response("bad signature" if not good else "ok", status=status if good else 400)

    @property
    def events(self) -> list[str]:
        return [request["event"] for request in self.requests]


@pytest.fixture
def allow_http(settings):
    settings.FLEDGE_WEBHOOK_ALLOW_HTTP = True


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def subscribe(allow_http, admin_user, httpserver):
    """``subscribe(*events)``: an active subscription to the receiver's ``/hook``."""

    def make(*events: str, url: str | None = None) -> WebhookSubscription:
        subscription = WebhookSubscription(
            name="HR system",
            url=url or httpserver.url_for("/hook"),
            events=list(events or EventType.values),
        )
        return subscription_save(subscription=subscription, by=admin_user)

    return make


@pytest.fixture
def receiver(httpserver, subscribe):
    """The receiver and the subscription to every event that it verifies against."""
    subscription = subscribe()
    # The secret as the integrator copied it (the receiver's thread reads no database).
    box = Receiver(httpserver, lambda: subscription.secret)
    box.subscription = subscription
    return box


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block and then its on-commit hand-overs, as a
    real commit would (the test's own transaction never commits)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
