"""Daily sweep: :func:`compliance.services.assignments_sync` and
:func:`compliance.services.notifications.queue_reminders`, then sending, against one
``INSERT … SELECT`` of the same outbox rows (checked equal), each inside a transaction
that is rolled back; then the same sweep again, which must queue and send nothing."""

import statistics
import time

from .. import common
from .measuring import SWEEP_RATIO, profile
from .results import Table, ms, verdict


def raw_queue_sql(vendor: str) -> str:
    if vendor == "postgresql":
        days_left = "(a.due_on - CAST(%(as_of)s AS date))"
        insert, conflict = "INSERT INTO", "ON CONFLICT DO NOTHING"
    else:
        days_left = "CAST(julianday(a.due_on) - julianday(%(as_of)s) AS INTEGER)"
        insert, conflict = "INSERT OR IGNORE INTO", ""
    # Only constants and the vendor's date arithmetic are formatted in; values are parameters.
    return f"""
        {insert} compliance_notificationlog
            (key, kind, step, assignment_id, recipient_id, cc_manager, created_at,
             lease_token, attempts, error)
        SELECT 'a' || id || ':' || kind || ':' || step, kind, step, id, user_id,
               kind = 'overdue' AND manager_id IS NOT NULL, %(now)s, '', 0, ''
        FROM (
          SELECT a.id, a.user_id, p.manager_id,
            CASE WHEN {days_left} < 0 THEN 'overdue' ELSE 'before_due' END AS kind,
            CASE WHEN {days_left} < 0 THEN
                   CASE WHEN r.overdue_every_days > 0
                        THEN (-{days_left} - 1) / r.overdue_every_days ELSE 0 END
                 ELSE (SELECT MIN(d.day) FROM ({{days}}) d
                       WHERE d.requirement_id = a.requirement_id AND d.day >= {days_left})
            END AS step
          FROM compliance_assignment a
          JOIN compliance_trainingrequirement r ON r.id = a.requirement_id
          LEFT JOIN accounts_profile p ON p.user_id = a.user_id
          WHERE r.active AND a.completed_on IS NULL AND a.closed_on IS NULL
            AND NOT a.exempt AND a.opens_on <= %(as_of)s AND a.assigned_on <= %(as_of)s
        ) due
        WHERE step IS NOT NULL
        {conflict}
    """  # noqa: S608


def raw_queue(as_of) -> int:
    """One INSERT … SELECT of the reminders due on ``as_of``; the rows inserted."""
    from django.db import connection
    from django.utils import timezone

    from compliance.models import TrainingRequirement, parse_reminder_days

    ops = connection.ops
    params = {
        "as_of": ops.adapt_datefield_value(as_of),
        "now": ops.adapt_datetimefield_value(timezone.now()),
    }
    selects = []
    for requirement in TrainingRequirement.objects.filter(active=True):
        for day in parse_reminder_days(requirement.reminder_days):
            n = len(selects)
            params[f"dr_{n}"], params[f"dd_{n}"] = requirement.pk, day
            selects.append(f"SELECT %(dr_{n})s AS requirement_id, %(dd_{n})s AS day")
    sql = raw_queue_sql(connection.vendor).replace("{days}", " UNION ALL ".join(selects))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def bench_sweep(table: Table, runs: int, detail: dict, as_of) -> None:
    from django.core import mail
    from django.db import transaction

    from compliance import services
    from compliance.models import NotificationLog
    from compliance.services import notifications

    class Rollback(Exception):
        pass

    def rolled_back(function):
        result = {}
        try:
            with transaction.atomic():
                result = function()
                raise Rollback
        except Rollback:
            pass
        mail.outbox = []
        return result

    def sweep() -> dict:
        before = NotificationLog.objects.count()
        timings = {}
        started = time.perf_counter()
        synced = services.assignments_sync(as_of=as_of)
        timings["sync_ms"] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        notifications.queue_reminders(as_of=as_of)
        timings["queue_ms"] = (time.perf_counter() - started) * 1000
        queued = NotificationLog.objects.count() - before
        keys = set(
            NotificationLog.objects.filter(sent_at__isnull=True).values_list("key", flat=True)
        )
        started = time.perf_counter()
        sent = notifications.send_pending(as_of=as_of)
        timings["send_ms"] = (time.perf_counter() - started) * 1000
        # The same day again: nothing new may be queued or sent.
        before = NotificationLog.objects.count()
        started = time.perf_counter()
        synced_again = services.assignments_sync(as_of=as_of)
        notifications.queue_reminders(as_of=as_of)
        sent_again = notifications.send_pending(as_of=as_of)
        timings["again_ms"] = (time.perf_counter() - started) * 1000
        return {
            **timings,
            "synced": str(synced),
            "queued": queued,
            "keys": keys,
            "sent": sent,
            "synced_again": str(synced_again),
            "queued_again": NotificationLog.objects.count() - before,
            "sent_again": sent_again,
        }

    def raw() -> dict:
        started = time.perf_counter()
        inserted = raw_queue(as_of)
        elapsed = (time.perf_counter() - started) * 1000
        keys = set(
            NotificationLog.objects.filter(sent_at__isnull=True).values_list("key", flat=True)
        )
        return {"ms": elapsed, "inserted": inserted, "keys": keys}

    real_runs, raw_runs = [], []
    for _ in range(runs):
        raw_runs.append(rolled_back(raw))
        real_runs.append(rolled_back(sweep))
        common.log(
            f"   sweep: sync {real_runs[-1]['sync_ms']:.0f} ms, queue "
            f"{real_runs[-1]['queue_ms']:.0f} ms, send {real_runs[-1]['send_ms']:.0f} ms; "
            f"raw {raw_runs[-1]['ms']:.0f} ms"
        )
    first = real_runs[0]
    if first["keys"] != raw_runs[0]["keys"]:
        raise SystemExit(
            f"raw INSERT … SELECT queued {len(raw_runs[0]['keys'])} rows, "
            f"queue_reminders {len(first['keys'])}: not the same rows"
        )

    def median(key, source=real_runs):
        return statistics.median(run[key] for run in source)

    raw_ms = median("ms", raw_runs)
    queue_ms, sync_ms, send_ms = median("queue_ms"), median("sync_ms"), median("send_ms")
    raw_label = f"{ms(raw_ms)} INSERT…SELECT"
    new = f", {first['queued']:,} new messages"
    # The target is the issue's: the reminder sweep against an INSERT … SELECT of the
    # same outbox rows. The assignment sync is a separate job (a requirement or group
    # change, and the daily run) with no SQL twin; it is shown beside it, untargeted.
    rows = [
        ("Reminder sweep: queue_reminders()" + new, queue_ms, True),
        ("Daily job without sending: sync + sweep" + new, sync_ms + queue_ms, False),
        ("  of which assignments_sync(), 20 requirements", sync_ms, False),
    ]
    for label, value, has_target in rows:
        ratio = value / raw_ms
        table.add_ratio(
            "sweep", label, value, raw_label, ratio, SWEEP_RATIO if has_target else None
        )
    table.add(
        "sweep",
        f"Sending them: send_pending(), {first['sent']:,} emails",
        value=ms(send_ms),
        baseline="",
        ratio=f"{send_ms / max(first['sent'], 1):.2f} ms per email",
    )
    again_ok = first["queued_again"] == 0 and first["sent_again"] == 0
    table.add(
        "sweep",
        "Same day again: sync + queue + send",
        value=ms(median("again_ms")),
        baseline=raw_label,
        ratio=(
            f"{median('again_ms') / raw_ms:.1f}×: {first['queued_again']} queued, "
            f"{first['sent_again']} sent"
        ),
        target="0 queued, 0 sent",
        result=verdict(again_ok),
    )
    detail.update(
        {
            "runs": runs,
            "raw_ms": raw_ms,
            "queue_ms": queue_ms,
            "sync_ms": sync_ms,
            "send_ms": send_ms,
            "again_ms": median("again_ms"),
            "queued": first["queued"],
            "sent": first["sent"],
            "synced": first["synced"],
            "queued_again": first["queued_again"],
            "sent_again": first["sent_again"],
            "checked": "raw INSERT…SELECT queues exactly the keys queue_reminders queues",
        }
    )
    if queue_ms / raw_ms > SWEEP_RATIO or (sync_ms + queue_ms) / raw_ms > SWEEP_RATIO:

        def sync_and_queue():
            return rolled_back(
                lambda: (
                    services.assignments_sync(as_of=as_of),
                    notifications.queue_reminders(as_of=as_of),
                    {},
                )[-1]
            )

        detail["profile"] = profile("sweep-sync-and-queue", sync_and_queue, runs=1)
