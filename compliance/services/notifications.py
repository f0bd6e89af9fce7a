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

Queueing is one ``INSERT … SELECT`` (:func:`queue_reminders`); sending works in
batches. The number of queries grows with the number of messages sent (a few per batch
of 500, and one per message to stamp it), never with the number of assignments scanned.
"""

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections
from django.db.models import QuerySet
from django.db.models.constants import OnConflict
from django.template.loader import render_to_string
from django.utils import timezone

from base.links import absolute_url
from notifications import outbox
from notifications.sending import lease

from .. import audit_events
from ..models import AWAITING_COMPLETION, Assignment, NotificationLog
from ..selectors.assignments import local_today
from ..selectors.reminders import DUE_STEP_COLUMNS, due_reminder_steps

logger = logging.getLogger(__name__)
Kind = NotificationLog.Kind

#: Rows scanned, inserted or sent per batch.
BATCH = 500


def due_messages(as_of: date) -> Iterable[NotificationLog]:
    """The reminder and overdue messages due on ``as_of`` (unsaved log rows, by
    assignment): only the latest step of each, so missed days never cause a burst. The
    rows :func:`queue_reminders` inserts, read from the same queryset."""
    now = timezone.now()
    steps = due_reminder_steps(as_of=as_of).order_by("pk")
    for due in steps.iterator(chunk_size=2000):
        yield NotificationLog(
            key=f"a{due['assignment_id']}:{due['kind']}:{due['step']}",
            created_at=now,
            **due,
        )


def _insert_due_steps(steps: QuerySet) -> int:
    """``INSERT … SELECT`` the log rows of ``steps`` (:func:`due_reminder_steps`),
    skipping keys already in the log; return how many were inserted.

    Hand-compiled because the ORM has no ``INSERT … SELECT``: the SELECT is the
    queryset's own SQL, compiled by Django; around it go only the log's column names,
    the key (``'a' || assignment || ':' || kind || ':' || step``, the format of
    ``f"a{pk}:{kind}:{step}"``) and Django's own conflict clause for the vendor (``INSERT
    OR IGNORE`` on SQLite, ``ON CONFLICT DO NOTHING`` on PostgreSQL), the same that
    ``bulk_create(ignore_conflicts=True)`` writes. Every other column gets its model
    default, as a parameter. A second run, or one running at the same time, inserts
    nothing twice: the unique key decides.
    """
    connection = connections[steps.db]
    quote = connection.ops.quote_name
    select, params = steps.query.get_compiler(connection=connection).as_sql()
    key = " || ".join(
        ["'a'", "CAST(due.assignment_id AS VARCHAR(20))", "':'", "due.kind", "':'"]
        + ["CAST(due.step AS VARCHAR(11))"]
    )
    columns, values, defaults = ["key"], [key], []
    columns += DUE_STEP_COLUMNS
    values += [f"due.{column}" for column in DUE_STEP_COLUMNS]
    now = timezone.now()
    for field in NotificationLog._meta.concrete_fields:
        if field.primary_key or field.column in columns:
            continue
        value = now if field.name == "created_at" else field.get_default()
        if value is None and field.null:
            continue  # the column's NULL
        columns.append(field.column)
        values.append("%s")
        defaults.append(field.get_db_prep_save(value, connection))
    on_conflict = OnConflict.IGNORE
    fields = [NotificationLog._meta.get_field("key")]
    insert = connection.ops.insert_statement(on_conflict=on_conflict)
    table = quote(NotificationLog._meta.db_table)
    names, selected = ", ".join(map(quote, columns)), ", ".join(values)
    conflict = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    # Only names, constants and Django-compiled SQL are formatted in; values are params.
    sql = f"{insert} {table} ({names}) SELECT {selected} FROM ({select}) due {conflict}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, (*defaults, *params))
        return cursor.rowcount


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
    were new.

    Set-based: two queries however many assignments are open (the requirements'
    reminder days, then one ``INSERT … SELECT``; :func:`_insert_due_steps`)."""
    return _insert_due_steps(due_reminder_steps(as_of=local_today(as_of=as_of)))


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
