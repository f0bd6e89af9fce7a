"""Jobs outlive killed workers: each is done exactly once (an email at most twice).

Real ``celery -A config worker`` subprocesses (prefork) on the test database and the
test's own Redis run the project's own tasks, and the tests kill them with SIGKILL:

- a pool process killed mid-job: the job goes back to the queue at once
  (``task_reject_on_worker_lost``) and the next pool process does it, once;
- a whole worker killed while it holds a job: the job stays unacknowledged in Redis and
  a worker started afterwards gets it once the visibility timeout has passed;
- ``send_pending`` killed mid-batch: every message is sent, at most one of them twice.

A render job is caught mid-run without any hook in the code: the test holds the
certificate's row lock, so the job renders the PDF and then waits, in PostgreSQL, to
store it (``pg_stat_activity`` shows it waiting). The tests print what they measured.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

import pytest

from certificates import tasks as certificate_tasks
from certificates.models import Certificate
from compliance import services
from compliance.models import NotificationLog, TrainingRequirement
from compliance.services import notifications
from tests.catalog.factories import CoursePageFactory
from tests.certificates.factories import completed_enrollment
from tests.faults.workers import Broker, emails, wait_for
from tests.learner.factories import UserFactory

# serialized_rollback: a transactional test empties every table, Wagtail's locale and root
# page too; this puts them back for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RENDER = "certificates.tasks.render_certificate"
SEND_PENDING = "compliance.tasks.send_pending"


def unrendered_certificate(monkeypatch) -> Certificate:
    """A certificate issued by a real completion, whose render job is left to the test."""
    monkeypatch.setattr(certificate_tasks.render_certificate, "delay", lambda *a, **k: None)
    certificate = Certificate.objects.get(enrollment=completed_enrollment(title="Fire Safety"))
    assert not certificate.pdf
    return certificate


def waiting_backends() -> set[int]:
    """The PostgreSQL backends of this database waiting for a lock (other than ours)."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing its first snapshot of the view.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


@contextlib.contextmanager
def row_locked(certificate: Certificate) -> Iterator[None]:
    """Hold the certificate's row lock: a render job draws the PDF, then waits here to
    store it, until the block ends."""
    with transaction.atomic():
        Certificate.objects.select_for_update().get(pk=certificate.pk)
        yield


def rendered_files() -> list[Path]:
    return sorted(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.pdf"))


def wait_until_rendered(certificate: Certificate, *, seconds: float) -> float:
    """Wait for the certificate's PDF; return when it appeared (monotonic clock)."""
    wait_for(
        "the certificate's PDF",
        lambda: Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").exists(),
        seconds=seconds,
    )
    return time.monotonic()


def assert_rendered_once(certificate: Certificate, broker: Broker) -> None:
    """The PDF exists, one file was written, and no copy of the job is left to run."""
    wait_for("the broker to have no job left", broker.idle, seconds=10)
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.rendered_version
    assert [path.name for path in rendered_files()] == [Path(certificate.pdf.name).name]


class TestKilledWorkers:
    def test_a_pool_process_killed_mid_job_hands_it_to_the_next_once(
        self, broker, start_worker, monkeypatch
    ):
        certificate = unrendered_certificate(monkeypatch)
        worker = start_worker()
        with row_locked(certificate):
            broker.send(RENDER, certificate.pk)
            first = wait_for("the render job to wait on the lock", waiting_backends, seconds=30)
            worker.kill_pool_child()
            killed = time.monotonic()
            # The job is back at once: a new pool process runs it and waits on the lock.
            wait_for(
                "the job to be handed out again",
                lambda: waiting_backends() - first,
                seconds=20,
            )
            redelivered = time.monotonic()
        done = wait_until_rendered(certificate, seconds=30)
        assert done - killed < 60, worker.log_tail()
        assert_rendered_once(certificate, broker)
        print(
            f"\npool process killed: job running again after {redelivered - killed:.1f} s, "
            f"done {done - killed:.1f} s after the kill"
        )

    def test_a_whole_worker_killed_holding_a_job_leaves_it_to_the_next_worker(
        self, broker, start_worker, monkeypatch
    ):
        certificate = unrendered_certificate(monkeypatch)
        first = start_worker()
        with row_locked(certificate):
            broker.send(RENDER, certificate.pk)
            wait_for("the render job to wait on the lock", waiting_backends, seconds=30)
            first.kill()
            killed = time.monotonic()
        assert broker.unacked() == 1, "the killed worker's job is held, unacknowledged"
        start_worker()
        done = wait_until_rendered(certificate, seconds=45)
        assert done - killed < 60
        assert_rendered_once(certificate, broker)
        print(f"\nwhole worker killed: done {done - killed:.1f} s after the kill")


def queue_reminders(people: int) -> None:
    """``people`` reminders queued in the compliance outbox, one per person."""
    staff = Group.objects.create(name="Staff")
    staff.user_set.add(*[UserFactory() for _ in range(people)])
    # Synced below, as of a fixed date, not by the on-commit task.
    with mock.patch("compliance.receivers._enqueue_sync"):
        requirement = TrainingRequirement.objects.create(
            name="Security",
            course=CoursePageFactory(title="Security basics"),
            due_rule="relative",
            due_days=30,
            reminder_days="14",
        )
        requirement.audience_groups.add(staff)
    services.assignments_sync(requirement=requirement, as_of=date(2026, 6, 1))
    assert notifications.queue_reminders(as_of=date(2026, 6, 17)) == people


def leases_over() -> bool:
    return not NotificationLog.objects.filter(
        sent_at__isnull=True, lease_until__gt=timezone.now()
    ).exists()


def test_send_pending_killed_mid_batch_sends_each_message_at_most_twice(
    broker, start_worker, tmp_path
):
    people = 12
    queue_reminders(people)
    worker = start_worker(
        EMAIL_BACKEND="tests.faults.mailbox.SlowFileBackend",
        FAULTS_MAIL_PAUSE_SECONDS="0.3",
        FLEDGE_OUTBOX_LEASE_SECONDS="2",
    )
    mail = tmp_path / "mail"
    broker.send(SEND_PENDING)
    wait_for("four emails", lambda: len(emails(mail)) >= 4, seconds=30)
    worker.kill_pool_child()
    killed = time.monotonic()
    sent_by_then = len(emails(mail))
    # The killed run's messages are free once its lease is over; then the next run
    # (the per-minute sweep's, published here) sends what is left.
    wait_for("the killed run's lease to end", leases_over, seconds=10)
    broker.send(SEND_PENDING)
    wait_for(
        "every message to be sent",
        lambda: not NotificationLog.objects.filter(sent_at__isnull=True).exists(),
        seconds=30,
    )
    done = time.monotonic()
    wait_for("the broker to have no job left", broker.idle, seconds=10)
    recipients = [message["To"] for message in emails(mail)]
    assert len(set(recipients)) == people, worker.log_tail()
    duplicates = len(recipients) - people
    assert duplicates <= 1, f"{duplicates} emails sent twice"
    print(
        f"\nsend_pending killed after {sent_by_then} of {people} emails: "
        f"all sent {done - killed:.1f} s later, {duplicates} sent twice"
    )
