"""The broker down when a course is completed: the learner's final quiz POST answers
its normal redirect, and once the broker is back the certificate PDF and the completion
email arrive, once each, through the per-minute sweeps.

The web side is this test process (Django's test client) with the project's Celery app
publishing through a TCP proxy the test switches off; the jobs side is a real worker
with an embedded beat (``celery -A config worker --beat``) whose sweeps run every second
(``FLEDGE_SWEEP_SECONDS=1``; every minute in production). Nothing is published during
the outage, so everything the worker does afterwards comes from the sweeps finding the
work recorded in the database with the completion.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

import pytest
from celery import Celery
from kombu import pools

from certificates.models import Certificate
from compliance import services as compliance_services
from compliance.models import NotificationLog, TrainingRequirement
from config.celery_app import app as project_app
from learner.models import Enrollment, QuizAttempt
from tests.faults.conftest import BROKER_DB
from tests.faults.workers import emails, wait_for
from tests.learner.factories import EnrollmentFactory, answer_key, small_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def forget_connections(app: Celery) -> None:
    """Drop every pooled broker connection, so the next publish connects afresh to
    whatever the configuration now says. kombu keeps its pools process-wide, keyed by
    broker URL (the app's pool is one of them): closing only the app's would leave a
    closed pool behind for the next test that publishes to the same URL ("Acquire on
    closed pool"), so every pool is closed and forgotten."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def web_publishes_to(monkeypatch) -> Iterator[Callable[[str], None]]:
    """``web_publishes_to(url)``: from now on the project's Celery app, in this process,
    publishes jobs to ``url`` instead of running them eagerly (undone after the test)."""

    def switch(url: str) -> None:
        # Celery prefers CELERY_BROKER_URL from the environment to its configuration.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        monkeypatch.setitem(project_app.conf, "broker_url", url)
        monkeypatch.setitem(project_app.conf, "task_always_eager", False)
        forget_connections(project_app)

    yield switch
    forget_connections(project_app)


def learner_ready_for_the_final_quiz():
    """A learner with a required course (so completing it confirms by email), every
    lesson done but the quiz; (client, course, enrolment)."""
    course = small_course(title="Fire Safety")
    enrollment = EnrollmentFactory(course=course.course)
    staff = Group.objects.create(name="Staff")
    staff.user_set.add(enrollment.user)
    with mock.patch("compliance.receivers._enqueue_sync"):  # synced here, not on commit
        requirement = TrainingRequirement.objects.create(
            name="Fire safety", course=course.course, due_rule="relative", due_days=30
        )
        requirement.audience_groups.add(staff)
    compliance_services.assignments_sync(requirement=requirement)
    client = Client()
    client.force_login(enrollment.user)
    for lesson in (course.reading, course.last):
        assert client.post(f"/learn/lessons/{lesson.pk}/complete/").status_code == 302
    return client, course, enrollment


def test_a_completion_while_the_broker_is_down_gets_its_pdf_and_email_from_the_sweeps(
    broker, redis_proxy, web_publishes_to, start_worker, tmp_path, caplog
):
    client, course, enrollment = learner_ready_for_the_final_quiz()
    web_publishes_to(f"redis://127.0.0.1:{redis_proxy.port}/{BROKER_DB}")
    lesson = course.quiz_lesson
    payload = {**answer_key(lesson), "submission_token": [str(uuid.uuid4())]}

    caplog.set_level(logging.ERROR)
    with redis_proxy.outage():
        started = time.perf_counter()
        response = client.post(f"/learn/lessons/{lesson.pk}/quiz/", payload)
        seconds = time.perf_counter() - started

    attempt = QuizAttempt.objects.get(enrollment=enrollment)
    assert response.status_code == 302
    assert response["Location"] == reverse("learner:attempt", args=[attempt.pk])
    assert client.get(response["Location"]).status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert not certificate.pdf, "the render job could not be handed over"
    confirmation = NotificationLog.objects.get(kind=NotificationLog.Kind.COMPLETED)
    assert confirmation.sent_at is None, "nor could the email job"
    assert broker.idle(), "nothing was published during the outage"
    failed = [r.getMessage() for r in caplog.records if r.name == "django.db.backends.base"]
    assert failed, "a lost hand-over is logged"

    back = time.monotonic()
    start_worker(concurrency=2, beat=True, FLEDGE_SWEEP_SECONDS="1")
    mail = tmp_path / "mail"
    subject = "Completed: Fire Safety"
    wait_for(
        "the completion email",
        lambda: any(message["Subject"] == subject for message in emails(mail)),
        seconds=45,
    )
    wait_for(
        "the certificate's PDF",
        lambda: Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists(),
        seconds=45,
    )
    arrived = time.monotonic()
    time.sleep(3)  # three more rounds of sweeps: nothing more may arrive
    sent = [message for message in emails(mail) if message["Subject"] == subject]
    assert [message["To"] for message in sent] == [enrollment.user.email]
    assert len(sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.pdf"))) == 1
    print(
        f"\nbroker down at commit: quiz POST answered 302 in {seconds:.2f} s; PDF and "
        f"email {arrived - back:.1f} s after the worker and beat started"
    )
