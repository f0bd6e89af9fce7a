"""Reminders go out once each: reruns, parallel workers and crashes send nothing twice."""

import io
import threading
import time
from datetime import date, timedelta
from unittest import mock

from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from accounts.models import Profile
from compliance import services
from compliance.models import Assignment, NotificationLog, TrainingRequirement
from compliance.services import notifications
from notifications import outbox
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory

D = date.fromisoformat


def setup_requirement(people: int = 1, **fields) -> TrainingRequirement:
    staff, _ = Group.objects.get_or_create(name="Staff")
    users = [UserFactory() for _ in range(people)]
    # Sync explicitly below, as of a fixed date, not through the on-commit task.
    with mock.patch("compliance.receivers._enqueue_sync"):
        return _create_and_sync(staff, users, fields)


def _create_and_sync(staff, users, fields) -> TrainingRequirement:
    staff.user_set.add(*users)
    req = TrainingRequirement.objects.create(
        name="Security",
        course=CoursePageFactory(title="Security basics"),
        due_rule="relative",
        due_days=30,
        recurrence_months=12,
        reminder_days="14, 7, 1",
        overdue_every_days=7,
        **fields,
    )
    req.audience_groups.add(staff)
    services.assignments_sync(requirement=req, as_of=D("2026-06-01"))  # due 2026-07-01
    return req


def run(day: str) -> int:
    return notifications.run_reminders(as_of=D(day))[1]


@pytest.mark.django_db
class TestReminderSchedule:
    def test_before_due_reminders_on_each_reminder_day(self):
        setup_requirement()
        sent = {day: run(day) for day in ["2026-06-16", "2026-06-17", "2026-06-24", "2026-06-30"]}
        assert sent == {"2026-06-16": 0, "2026-06-17": 1, "2026-06-24": 1, "2026-06-30": 1}
        assert [m.subject for m in mail.outbox] == [
            "Reminder: Security basics is due by 1 July 2026"
        ] * 3
        body = mail.outbox[0].body
        assert "Security basics" in body and "1 July 2026" in body and "/courses/" in body
        assert mail.outbox[0].alternatives[0][1] == "text/html"

    def test_running_twice_sends_nothing_more(self):
        setup_requirement(people=3)
        assert run("2026-06-17") == 3
        assert run("2026-06-17") == 0
        call_command("compliance_daily", "--as-of", "2026-06-17", stdout=io.StringIO())
        assert len(mail.outbox) == 3

    def test_missed_days_send_only_the_latest_reminder(self):
        setup_requirement()
        assert run("2026-06-28") == 1  # the 14- and 7-day reminders were missed
        log = NotificationLog.objects.get()
        assert (log.kind, log.step) == ("before_due", 7)

    def test_overdue_then_every_seven_days_with_the_manager_copied(self):
        req = setup_requirement()
        learner = Assignment.objects.get(requirement=req).user
        manager = UserFactory(username="boss")
        Profile.objects.create(user=learner, manager=manager)
        sent = [run(day) for day in ["2026-07-02", "2026-07-03", "2026-07-09", "2026-07-20"]]
        assert sent == [1, 0, 1, 1]
        overdue = [m for m in mail.outbox if m.subject.startswith("Overdue")]
        assert len(overdue) == 3
        assert overdue[0].cc == ["boss@example.com"]

    def test_completed_and_exempt_people_get_no_reminders(self):
        req = setup_requirement(people=2)
        first, second = Assignment.objects.filter(requirement=req)
        Assignment.objects.filter(pk=first.pk).update(completed_on=D("2026-06-10"))
        Assignment.objects.filter(pk=second.pk).update(exempt=True)
        assert run("2026-06-17") == 0
        assert run("2026-07-05") == 0

    def test_weekly_digest_lists_each_managers_overdue_people(self):
        req = setup_requirement(people=2)
        manager = UserFactory(username="lead")
        for row in Assignment.objects.filter(requirement=req):
            Profile.objects.create(user=row.user, manager=manager)
        assert notifications.queue_manager_digests(as_of=D("2026-07-06")) == 1
        assert notifications.send_pending(as_of=D("2026-07-06")) == 1
        assert notifications.queue_manager_digests(as_of=D("2026-07-07")) == 1  # same week
        assert notifications.send_pending(as_of=D("2026-07-07")) == 0
        digest = mail.outbox[-1]
        assert digest.to == ["lead@example.com"]
        assert digest.body.count("Security, due 1 Jul 2026") == 2


@pytest.mark.django_db
class TestCrashSafety:
    def test_crash_between_log_and_send_is_sent_once_by_the_retry(self):
        setup_requirement(people=2)
        with (
            mock.patch.object(notifications, "send_pending", side_effect=RuntimeError("crash")),
            pytest.raises(RuntimeError),
        ):
            notifications.run_reminders(as_of=D("2026-06-17"))
        assert NotificationLog.objects.filter(sent_at__isnull=True).count() == 2
        assert mail.outbox == []
        assert run("2026-06-17") == 2
        assert run("2026-06-17") == 0
        assert len(mail.outbox) == 2

    def test_a_failed_send_is_retried_after_its_lease(self):
        setup_requirement()
        with mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
        ):
            assert run("2026-06-17") == 0
        log = NotificationLog.objects.get()
        assert log.sent_at is None and "SMTP down" in log.error
        assert notifications.send_pending(as_of=D("2026-06-17")) == 0  # lease still held
        NotificationLog.objects.update(lease_until=None)
        assert notifications.send_pending(as_of=D("2026-06-17")) == 1
        assert len(mail.outbox) == 1


class Killed(BaseException):
    """A kill as the sender sees it: nothing after it runs (it is no ``Exception``)."""


def queue(people: int) -> None:
    setup_requirement(people=people)
    notifications.queue_reminders(as_of=D("2026-06-17"))


def send(**kwargs) -> int:
    return notifications.send_pending(as_of=D("2026-06-17"), **kwargs)


@pytest.mark.django_db
class TestSendingOneByOne:
    def test_a_kill_mid_batch_resends_at_most_the_message_in_flight(self):
        queue(people=6)
        real_send = EmailMultiAlternatives.send

        def killed_after_the_fourth(message, *args, **kwargs):
            result = real_send(message, *args, **kwargs)
            if len(mail.outbox) == 4:
                raise Killed  # the fourth went out; the kill came before its stamp
            return result

        with (
            mock.patch.object(EmailMultiAlternatives, "send", killed_after_the_fourth),
            pytest.raises(Killed),
        ):
            send()
        assert NotificationLog.objects.filter(sent_at__isnull=False).count() == 3
        NotificationLog.objects.update(lease_until=None)  # the killed run's lease ran out
        assert send() == 3
        recipients = [message.to[0] for message in mail.outbox]
        assert len(recipients) == 7 and len(set(recipients)) == 6  # one twice

    def test_a_bounded_run_hands_back_what_it_did_not_send(self):
        queue(people=5)
        # The clock says the bound has passed when the third message is due.
        with mock.patch.object(outbox, "monotonic", side_effect=[0, 0, 0, 100]):
            assert send(seconds=10) == 2
        rest = NotificationLog.objects.filter(sent_at__isnull=True)
        assert rest.count() == 3 and not rest.filter(lease_until__isnull=False).exists()
        assert send() == 3  # at once: no lease to wait out
        assert len(mail.outbox) == 5

    def test_a_slow_mail_server_never_lets_another_sender_take_over(self, settings):
        queue(people=3)
        settings.FLEDGE_OUTBOX_LEASE_SECONDS = 0.6
        real_send = EmailMultiAlternatives.send
        taken = []

        def slow(message, *args, **kwargs):
            time.sleep(0.4)
            # Another sender looks for messages whose lease has run out.
            taken.extend(
                outbox.claim(
                    NotificationLog.objects.all(), now=timezone.now(), lease=timedelta(seconds=5)
                )
            )
            return real_send(message, *args, **kwargs)

        with mock.patch.object(EmailMultiAlternatives, "send", slow):
            assert send() == 3
        assert taken == []
        assert len(mail.outbox) == 3

    def test_each_message_costs_one_query_to_stamp_it(self):
        queue(people=6)
        with CaptureQueriesContext(connection) as queries:
            assert send() == 6
        # Claim (three), the site's root for links (one), then per message one stamp and
        # its audit entry (Wagtail's log row, the chain head, the entry; on PostgreSQL
        # the chain's lock first).
        audit_entry = 4 if connection.vendor == "postgresql" else 3
        assert len(queries.captured_queries) <= 4 + 6 * (1 + audit_entry)


@pytest.mark.django_db
def test_sweep_queries_do_not_grow_with_assignments(django_assert_max_num_queries):
    setup_requirement(people=5)
    with django_assert_max_num_queries(30) as small:
        notifications.queue_reminders(as_of=D("2026-06-17"))
    NotificationLog.objects.all().delete()
    staff = Group.objects.get(name="Staff")
    staff.user_set.add(*[UserFactory() for _ in range(40)])
    services.assignments_sync(as_of=D("2026-06-01"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        notifications.queue_reminders(as_of=D("2026-06-17"))
    assert NotificationLog.objects.count() == 45


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs parallel connections to PostgreSQL (CI runs this with DATABASE_URL set)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_message_once():
    setup_requirement(people=12)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(notifications.run_reminders(as_of=D("2026-06-17"))[1])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(results) == 12
    assert len(mail.outbox) == 12
    assert NotificationLog.objects.filter(sent_at__isnull=False).count() == 12
