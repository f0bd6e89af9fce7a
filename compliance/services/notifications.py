"""Compliance messages: queued as NotificationLog rows, then sent.

Two phases make each message go out once:

1. **Queue** — compute which messages are due on ``as_of`` and insert one log row per
   message with a unique key, ignoring rows that already exist. Re-running, or running
   in two workers at once, inserts nothing new.
2. **Send** — claim unsent rows with a lease (one UPDATE that only one worker can win
   per row), send them one by one and stamp each ``sent_at`` right after it went out. A
   run that crashed after queueing leaves rows unsent, and one killed mid-send leaves
   unsent all but what it had sent (the one in flight may have gone out unstamped); the
   next run sends them once their lease expires, so a crash duplicates at most one.

Both phases work in batches: the number of queries grows with the number of messages
sent (a few per batch of 500, and one per message to stamp it), never with the number
of assignments scanned.
"""

import logging
from collections.abc import Iterable, Iterator
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from base.links import absolute_url
from notifications import outbox
from notifications.sending import lease

from .. import audit_events, scheduling
from ..models import AWAITING_COMPLETION, Assignment, NotificationLog, parse_reminder_days
from ..selectors.assignments import local_today

logger = logging.getLogger(__name__)
Kind = NotificationLog.Kind

#: Rows scanned, inserted or sent per batch.
BATCH = 500


def _open_assignments(as_of: date):
    return (
        Assignment.objects.filter(
            AWAITING_COMPLETION,
            opens_on__lte=as_of,
            assigned_on__lte=as_of,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "user_id",
            "due_on",
            "requirement__reminder_days",
            "requirement__overdue_every_days",
            "user__profile__manager_id",
        )
    )


def due_messages(as_of: date) -> Iterable[NotificationLog]:
    """The reminder and overdue messages due on ``as_of`` (unsaved log rows): only the
    latest step of each, so missed days never cause a burst."""
    now = timezone.now()
    for due in _due_steps(as_of):
        yield _log_row(due, now)


def _log_row(due: tuple[str, str, int, int, int, bool], now) -> NotificationLog:
    key, kind, step, pk, user_id, cc_manager = due
    return NotificationLog(
        key=key,
        kind=kind,
        step=step,
        assignment_id=pk,
        recipient_id=user_id,
        cc_manager=cc_manager,
        created_at=now,
    )


def _due_steps(as_of: date) -> Iterator[tuple[str, str, int, int, int, bool]]:
    """``(key, kind, step, assignment id, user id, cc manager)`` of each message due."""
    rules: dict[str, scheduling.Rule] = {}
    for pk, user_id, due_on, reminder_days, every, manager_id in _open_assignments(as_of).iterator(
        chunk_size=2000
    ):
        if as_of > due_on:
            step = scheduling.overdue_step(as_of=as_of, due=due_on, every_days=every)
            kind = Kind.OVERDUE
        else:
            if reminder_days not in rules:
                rules[reminder_days] = scheduling.Rule.relative(
                    0, reminder_days=parse_reminder_days(reminder_days)
                )
            step = scheduling.reminder_step(rules[reminder_days], as_of=as_of, due=due_on)
            kind = Kind.BEFORE_DUE
        if step is not None:
            cc = kind == Kind.OVERDUE and manager_id is not None
            yield f"a{pk}:{kind}:{step}", kind, step, pk, user_id, cc


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _queue_new_steps(steps: Iterable[tuple[str, str, int, int, int, bool]]) -> int:
    """Insert the messages whose keys are not in the log yet; return how many.

    On a site whose job runs every day most due steps were queued on an earlier day, so
    each batch first asks which of its keys exist (one indexed lookup) and builds rows
    only for the rest; the insert still skips conflicts, for a job running twice at once.
    """
    now = timezone.now()
    queued = 0
    for batch in _batches(steps, BATCH):
        known = set(
            NotificationLog.objects.filter(key__in=[step[0] for step in batch]).values_list(
                "key", flat=True
            )
        )
        rows = [_log_row(due, now) for due in batch if due[0] not in known]
        if rows:
            NotificationLog.objects.bulk_create(rows, ignore_conflicts=True)
            queued += len(rows)
    return queued


def _insert(rows: Iterable[NotificationLog]) -> int:
    """Insert log rows, skipping keys that exist; return how many were offered."""
    batch: list[NotificationLog] = []
    offered = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            NotificationLog.objects.bulk_create(batch, ignore_conflicts=True)
            offered += len(batch)
            batch = []
    if batch:
        NotificationLog.objects.bulk_create(batch, ignore_conflicts=True)
        offered += len(batch)
    return offered


def queue_reminders(*, as_of: date | None = None) -> int:
    """Queue every before-due and overdue reminder due on ``as_of``; return how many
    were new."""
    return _queue_new_steps(_due_steps(local_today(as_of=as_of)))


def queue_completion_confirmations(assignments: Iterable[Assignment]) -> int:
    now = timezone.now()
    return _insert(
        NotificationLog(
            key=f"a{a.pk}:{Kind.COMPLETED}:0",
            kind=Kind.COMPLETED,
            assignment_id=a.pk,
            recipient_id=a.user_id,
            created_at=now,
        )
        for a in assignments
    )


def queue_manager_digests(*, as_of: date | None = None) -> int:
    """Queue this week's digest for every manager with someone overdue or expired."""
    today = local_today(as_of=as_of)
    year, week, _ = today.isocalendar()
    managers = (
        Assignment.objects.filter(
            AWAITING_COMPLETION,
            due_on__lt=today,
            user__profile__manager__isnull=False,
        )
        .order_by()
        .values_list("user__profile__manager_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    return _insert(
        NotificationLog(
            key=f"digest:{manager_id}:{year}-W{week:02d}",
            kind=Kind.DIGEST,
            step=year * 100 + week,
            recipient_id=manager_id,
            created_at=now,
        )
        for manager_id in managers
    )


# --- Sending ------------------------------------------------------------------------


def _overdue_people(manager_id: int, today: date) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            AWAITING_COMPLETION, user__profile__manager_id=manager_id, due_on__lt=today
        )
        .select_related("user", "requirement")
        .order_by("due_on")
    )


def build_message(log: NotificationLog, today: date) -> EmailMultiAlternatives | None:
    """The email for a log row, or None when there is nobody to send it to."""
    recipient = log.recipient
    if not recipient.email:
        return None
    context = {
        "log": log,
        "user": recipient,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "dashboard_url": absolute_url("/dashboard/"),
        "today": today,
    }
    cc = []
    if log.kind == Kind.DIGEST:
        people = _overdue_people(recipient.pk, today)
        if not people:
            return None
        context["people"] = people
        subject = f"Weekly digest: {len(people)} overdue training item(s) in your team"
    else:
        assignment = log.assignment
        course = assignment.requirement.course
        context.update(
            {
                "assignment": assignment,
                "requirement": assignment.requirement,
                "course": course,
                "course_url": absolute_url(course.url or "/"),
                "days_left": (assignment.due_on - today).days,
                "days_over": (today - assignment.due_on).days,
            }
        )
        if assignment.is_renewal:
            # A renewal past its due date is a lapsed certification: "expired", as its
            # status says, on the last day the previous completion counted.
            expired_on = assignment.previous_expires_on
            lapsed = f"Expired: {course.title} expired on {expired_on:%-d %B %Y}"
        else:
            lapsed = f"Overdue: {course.title} was due on {assignment.due_on:%-d %B %Y}"
        subjects = {
            Kind.BEFORE_DUE: f"Reminder: {course.title} is due by {assignment.due_on:%-d %B %Y}",
            Kind.OVERDUE: lapsed,
            Kind.COMPLETED: f"Completed: {course.title}",
        }
        subject = subjects[log.kind]
        manager = getattr(getattr(recipient, "profile", None), "manager", None)
        if log.cc_manager and manager and manager.email:
            cc = [manager.email]
    text = render_to_string(f"compliance/emails/{log.kind}.txt", context)
    html = render_to_string(f"compliance/emails/{log.kind}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email], cc=cc)
    message.attach_alternative(html, "text/html")
    return message


def send_pending(*, as_of: date | None = None, seconds: float | None = None) -> int:
    """Send the queued messages that no other sender holds; return how many went out.

    Each is stamped sent as soon as the mail server took it, so a run killed mid-batch
    sends again at most the one in flight; a slow run renews its lease; ``seconds``
    bounds the run (a job inside the worker's time limit) and hands back what is left
    for the next; one that fails keeps its error and is retried after the lease. These
    are the rules of every outbox: :mod:`notifications.outbox`. ``None``: until none
    are left.
    """
    today = local_today(as_of=as_of)
    connection = get_connection()

    def send(log: NotificationLog) -> bool:
        message = build_message(log, today)
        if message is None:  # nobody to send it to: done, nothing went out
            return False
        message.connection = connection
        message.send()
        audit_events.notification_sent(log)
        return True

    queryset = NotificationLog.objects.select_related(
        "recipient", "recipient__profile__manager", "assignment__requirement__course"
    )
    return outbox.drain(queryset, send=send, lease=lease(), seconds=seconds, batch=BATCH)


def run_reminders(*, as_of: date | None = None, seconds: float | None = None) -> tuple[int, int]:
    """The daily reminder job: queue what is due, then send (for at most ``seconds``:
    the sweep sends the rest). Returns (queued, sent)."""
    queued = queue_reminders(as_of=as_of)
    return queued, send_pending(as_of=as_of, seconds=seconds)
