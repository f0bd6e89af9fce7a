"""Tasks handed over on commit during a request run after its response, when tasks run
in-process (no broker): the final quiz submit answers first, then the certificate PDF
is drawn and the completion email sent.

``base.transactions`` holds the rule; the server's ``request_finished`` signal (fired by
the test client inside ``client.post``, as by a WSGI server after the body went out)
runs the queue.
"""

import logging
import threading
import uuid
from contextlib import contextmanager

from django.core import mail
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, transaction
from django.http.response import HttpResponseBase

import pytest
from celery import shared_task

from base.transactions import after_commit
from certificates import services as certificate_services
from certificates.models import Certificate
from compliance.services import notifications
from learner import services as learner_services
from learner.models import Enrollment
from tests.compliance.factories import AssignmentFactory, TrainingRequirementFactory
from tests.learner.factories import EnrollmentFactory, UserFactory, answer_key, small_course

#: What the test tasks below did, in order.
CALLS: list[str] = []


@shared_task
def note(label: str) -> None:
    """A task that records that it ran."""
    CALLS.append(label)


@shared_task
def fail(label: str) -> None:
    raise RuntimeError(f"{label} broke")


@pytest.fixture(autouse=True)
def no_calls():
    CALLS.clear()
    yield
    CALLS.clear()


@contextmanager
def connections_kept():
    """Leave Django's connection closing out of the request signals, as the test client
    does, so the test's transaction stays open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextmanager
def a_request():
    """What a WSGI server does around one request: ``request_started``, then, once the
    response has gone out, ``request_finished``."""
    with connections_kept():
        request_started.send(sender=None, environ={})
        yield
        request_finished.send(sender=None)


def deferred_errors(caplog) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno == logging.ERROR and "after the response" in r.getMessage()
    ]


class TestTheRule:
    def test_a_task_runs_after_the_response_not_at_the_commit(
        self, db, django_capture_on_commit_callbacks
    ):
        with a_request():
            with django_capture_on_commit_callbacks(execute=True):
                after_commit(note.delay, "render")
            assert CALLS == []  # committed, but the response is not out yet
        assert CALLS == ["render"]

    def test_other_callbacks_still_run_at_the_commit(self, db, django_capture_on_commit_callbacks):
        with a_request():
            with django_capture_on_commit_callbacks(execute=True):
                after_commit(CALLS.append, "plain")
                after_commit(note.delay, "task")
            assert CALLS == ["plain"]
        assert CALLS == ["plain", "task"]

    def test_only_committed_work_is_queued(self, db, django_capture_on_commit_callbacks):
        with a_request():
            with django_capture_on_commit_callbacks(execute=True):
                with pytest.raises(RuntimeError), transaction.atomic():
                    after_commit(note.delay, "rolled back")
                    raise RuntimeError("the view failed")
                after_commit(note.delay, "committed")
            assert CALLS == []
        assert CALLS == ["committed"]

    def test_a_failure_is_logged_by_name_and_the_next_call_still_runs(
        self, db, django_capture_on_commit_callbacks, caplog
    ):
        with a_request(), django_capture_on_commit_callbacks(execute=True):
            after_commit(fail.delay, "first")
            after_commit(note.delay, "second")
        assert CALLS == ["second"]
        [record] = deferred_errors(caplog)
        assert "tests.base.test_after_response.fail.delay(…) after the response" in (
            record.getMessage()
        )
        assert "first broke" in record.getMessage()

    def test_each_call_runs_once_and_nothing_reaches_the_next_request(
        self, db, django_capture_on_commit_callbacks
    ):
        with a_request():
            with django_capture_on_commit_callbacks(execute=True):
                after_commit(note.delay, "once")
            assert CALLS == []
        assert CALLS == ["once"]
        with a_request():
            pass
        # After the request, work is back to running at the commit.
        with django_capture_on_commit_callbacks(execute=True):
            after_commit(note.delay, "outside")
        assert CALLS == ["once", "outside"]

    def test_only_a_task_that_runs_here_waits_a_broker_gets_it_at_the_commit(
        self, db, django_capture_on_commit_callbacks, monkeypatch
    ):
        with a_request():
            with django_capture_on_commit_callbacks(execute=True):
                after_commit(note.delay, "in-process")
            assert CALLS == []
        assert CALLS == ["in-process"]

        monkeypatch.setitem(note.app.conf, "task_always_eager", False)
        published = []
        monkeypatch.setattr(note, "apply_async", lambda *a, **k: published.append(a))
        with a_request():
            with django_capture_on_commit_callbacks(execute=True):
                after_commit(note.delay, "published")
            assert published == [(("published",), {})]

    def test_a_request_left_unclosed_hands_its_work_to_the_next(
        self, db, django_capture_on_commit_callbacks, caplog
    ):
        with connections_kept():
            request_started.send(sender=None, environ={})
            with django_capture_on_commit_callbacks(execute=True):
                after_commit(note.delay, "left")
            assert CALLS == []
            request_started.send(sender=None, environ={})  # its response was never closed
            assert CALLS == ["left"]
            request_finished.send(sender=None)
        assert CALLS == ["left"]
        assert "without closing its response" in caplog.text

    def test_each_thread_has_its_own_queue(self, db):
        """gthread workers and runserver serve requests on threads: one thread's end
        of request runs only its own work."""
        queued, other_done = threading.Event(), threading.Event()
        seen = {}

        def first() -> None:
            request_started.send(sender=None, environ={})
            after_commit(note.delay, "first thread")  # no transaction: "committed" at once
            queued.set()
            other_done.wait(5)
            seen["before its end"] = list(CALLS)
            request_finished.send(sender=None)
            connections.close_all()

        def second() -> None:
            queued.wait(5)
            request_started.send(sender=None, environ={})
            after_commit(note.delay, "second thread")
            request_finished.send(sender=None)
            seen["second"] = list(CALLS)
            other_done.set()
            connections.close_all()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert seen["second"] == ["second thread"]
        assert seen["before its end"] == ["second thread"]
        assert CALLS == ["second thread", "first thread"]


def submit(client, lesson):
    data = {**answer_key(lesson), "submission_token": [str(uuid.uuid4())]}
    return client.post(f"/learn/lessons/{lesson.pk}/quiz/", data)


@pytest.fixture
def learner(client):
    """A learner with one quiz left to finish a certificate course that counts toward
    required training (so completing it sends a confirmation)."""
    course = small_course(title="Phishing basics", issues_certificate=True)
    user = UserFactory()
    requirement = TrainingRequirementFactory(course=course.course)
    AssignmentFactory(requirement=requirement, user=user)
    EnrollmentFactory(user=user, course=course.course)
    client.force_login(user)
    for lesson in (course.reading, course.last):
        client.post(f"/learn/lessons/{lesson.pk}/complete/")
    mail.outbox = []
    return user, course


@pytest.fixture
def events(monkeypatch):
    """Records when the server closed a response (after sending it) and when the
    certificate was drawn."""
    log = []
    close, render = HttpResponseBase.close, certificate_services.render_pdf

    def closing(response):
        log.append(f"response {response.status_code} sent")
        close(response)

    def rendering(document):
        log.append("certificate drawn")
        return render(document)

    monkeypatch.setattr(HttpResponseBase, "close", closing)
    monkeypatch.setattr(certificate_services, "render_pdf", rendering)
    return log


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestTheFinalQuizSubmit:
    """Real commits, as on a site without a broker (``make run``)."""

    def test_the_answer_comes_before_the_certificate_and_the_email(self, client, learner, events):
        user, course = learner
        response = submit(client, course.quiz_lesson)

        assert response.status_code == 302
        assert events == ["response 302 sent", "certificate drawn"]
        enrollment = Enrollment.objects.get(user=user)
        assert enrollment.status == Enrollment.Status.COMPLETED
        certificate = Certificate.objects.get(enrollment=enrollment)
        assert certificate.pdf.read().startswith(b"%PDF")
        assert [m.subject for m in mail.outbox] == ["Completed: Phishing basics"]
        assert mail.outbox[0].to == [user.email]

    def test_a_failing_email_is_logged_and_the_certificate_still_renders(
        self, client, learner, events, monkeypatch, caplog
    ):
        user, course = learner

        def smtp_down(**kwargs):
            raise ConnectionRefusedError("SMTP server down")

        monkeypatch.setattr(notifications, "send_pending", smtp_down)
        response = submit(client, course.quiz_lesson)

        assert response.status_code == 302
        [record] = deferred_errors(caplog)
        assert "compliance.tasks.send_pending.delay() after the response" in record.getMessage()
        assert "SMTP server down" in record.getMessage()
        assert events == ["response 302 sent", "certificate drawn"]
        assert Certificate.objects.get(user=user).pdf


@pytest.mark.django_db
def test_outside_a_request_the_certificate_is_drawn_at_the_commit(
    client, learner, events, django_capture_on_commit_callbacks
):
    """A command or a worker completing a course (here the service, called after a
    request has come and gone) still renders at the commit."""
    user, _ = learner
    client.get("/")
    events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        learner_services.course_complete(enrollment=Enrollment.objects.get(user=user))
        assert events == []
    assert events == ["certificate drawn"]
    assert Certificate.objects.get(user=user).pdf
    assert [m.subject for m in mail.outbox] == ["Completed: Phishing basics"]
