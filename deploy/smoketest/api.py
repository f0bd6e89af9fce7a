"""Smoke step of the REST API and its webhooks, under production settings: a token
made for the demo learner, the API over gunicorn (401 without it), an enrolment through
the API, and the signed ``enrolment.created`` webhook that the Celery worker delivers
to a receiver on 127.0.0.1, checked with the subscription's secret."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .base import LEARNER, SmokeBase
from .support import Service, check, free_port, wait_for

#: Made in the site's own process (``manage.py shell``): a token and a subscription.
SET_UP = """
import json
from django.contrib.auth import get_user_model
from api.services import access_token_create
from api.webhooks.models import WebhookSubscription
user = get_user_model().objects.get(username={learner!r})
_, token = access_token_create(user=user, name="smoke", scopes=["read", "learn"])
hook = WebhookSubscription.objects.create(name="smoke", url={url!r}, events=["enrolment.created"])
print("SMOKE-API " + json.dumps({{"token": token, "secret": hook.secret}}))
"""


class Receiver:
    """An HTTP receiver on 127.0.0.1 that keeps every POST (headers and body)."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                posts.append((dict(self.headers.items()), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/fledge-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def signature_valid(secret: str, header: str, body: bytes) -> bool:
    """The README's check: HMAC-SHA256 of "<t>.<body>" with the secret equals v1."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts.get("v1", ""))


class ApiSteps(SmokeBase):
    """The API over HTTP and a webhook delivered by the worker."""

    def api_and_webhook(self, worker: Service) -> None:
        step = "REST API with a token; a signed webhook from the worker"
        with self.step(step) as notes, Receiver() as receiver:
            output = self.manage(
                "shell", "-c", SET_UP.format(learner=LEARNER, url=receiver.url), env=self.env
            )
            made = json.loads(output.split("SMOKE-API ", 1)[1].splitlines()[0])
            session = self.http()
            refused = self.get(session, "/api/v1/me/", status=401)
            check(
                refused.headers.get("Content-Type") == "application/problem+json",
                f"401 without a token is not problem+json: {refused.headers}",
            )
            session.headers["Authorization"] = f"Bearer {made['token']}"
            me = self.get(session, "/api/v1/me/").json()
            check(me["profile"]["username"] == LEARNER, f"/api/v1/me/ answered {me['profile']}")
            open_statuses = {"active", "pending", "waitlisted"}
            enrolled = {
                row["course_id"] for row in me["enrolments"] if row["status"] in open_statuses
            }
            courses = self.get(session, "/api/v1/courses/").json()["results"]
            # No open enrolment in it (a completed course is taken again): a new one.
            taking = [c for c in courses if c["enrollment_policy"] != "closed"]
            course = next((c for c in taking if c["id"] not in enrolled), None)
            check(course, f"no course {LEARNER} could enrol in: {courses}")
            answer = session.post(
                f"{self.base_url}/api/v1/enrolments/", json={"course_id": course["id"]}, timeout=30
            )
            check(answer.status_code == 201, f"enrol through the API: {answer.status_code}")
            enrolment = answer.json()["id"]

            def delivered() -> bool:
                return any(
                    json.loads(body)["data"].get("enrolment_id") == enrolment
                    for _, body in receiver.posts
                )

            wait_for(
                "the enrolment.created webhook",
                delivered,
                timeout=60,
                log=worker.log,
                alive=worker.assert_running,
            )
            headers, body = next(
                (h, b)
                for h, b in receiver.posts
                if json.loads(b)["data"].get("enrolment_id") == enrolment
            )
            event = json.loads(body)
            check(
                signature_valid(made["secret"], headers.get("Fledge-Signature", ""), body),
                f"the webhook's signature does not check out: {headers}",
            )
            check(
                headers.get("Fledge-Event-Id") == event["id"]
                and event["type"] == headers.get("Fledge-Event") == "enrolment.created",
                f"the webhook's headers and body disagree: {headers} {event}",
            )
            rows = self.query(
                "SELECT d.status, d.attempts FROM api_webhookdelivery d "
                "JOIN api_webhookevent e ON e.id = d.event_id WHERE e.event_id = %s::uuid",
                (event["id"],),
            )
            check(rows == [("delivered", 1)], f"the delivery's row: {rows}")
            notes.append(
                f"401 without a token; enrolled in “{course['title']}” through the API; "
                f"enrolment.created delivered once by the worker, signature valid"
            )
