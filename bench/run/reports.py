"""Reports: the compliance summary and the first page of the by-person report, as the
Wagtail admin serves them (signed in as ``bench-admin``, over every assignment), each
against one hand-written SQL query giving the same figures or the same count and rows,
checked equal before they are timed.

The hand-written SQL (:func:`raw_current`) is each person's current cycle on each active
requirement with its status; the export (:mod:`bench.run.export`) reads it too.
"""

from datetime import datetime, timedelta
from datetime import time as clock

from .measuring import REPORT_RATIO, admin_client, paired_medians, profile
from .results import Table, ms


def current_cycles_sql(vendor: str) -> str:
    """Each person's current cycle on each active requirement, with its status: the
    same rules as compliance.selectors.statuses, written by hand."""
    date_cast = "CAST(%(until_{n})s AS date)" if vendor == "postgresql" else "%(until_{n})s"
    return (
        """
        SELECT a.id, a.requirement_id, a.user_id, a.cycle, a.assigned_on, a.due_on,
               a.completed_on, a.expires_on,
          CASE
            WHEN a.exempt AND a.exempted_on <= %(as_of)s THEN 'exempt'
            WHEN a.completed_on <= %(as_of)s
                 AND (a.expires_on IS NULL OR a.expires_on >= %(as_of)s) THEN 'compliant'
            WHEN a.completed_on <= %(as_of)s THEN 'expired'
            WHEN a.previous_expires_on >= %(as_of)s THEN 'compliant'
            WHEN a.previous_expires_on IS NOT NULL THEN 'expired'
            WHEN a.due_on < %(as_of)s THEN 'overdue'
            WHEN a.due_on <= s.until THEN 'due_soon'
            WHEN started.user_id IS NOT NULL THEN 'in_progress'
            ELSE 'not_started'
          END AS status
        FROM compliance_assignment a
        JOIN compliance_trainingrequirement r ON r.id = a.requirement_id AND r.active
        JOIN ({soon}) s ON s.requirement_id = a.requirement_id
        LEFT JOIN (
          SELECT DISTINCT user_id, course_id FROM learner_enrollment
          WHERE activated_at < %(day_end)s AND (ended_at IS NULL OR ended_at >= %(day_end)s)
        ) started ON started.user_id = a.user_id AND started.course_id = r.course_id
        WHERE a.assigned_on <= %(as_of)s AND a.opens_on <= %(as_of)s
          AND (a.closed_on IS NULL OR a.closed_on > %(as_of)s)
          AND NOT EXISTS (
            SELECT 1 FROM compliance_assignment l
            WHERE l.user_id = a.user_id AND l.requirement_id = a.requirement_id
              AND l.cycle > a.cycle AND l.opens_on <= %(as_of)s AND l.assigned_on <= %(as_of)s
          )
    """,
        date_cast,
    )


def raw_current(as_of):
    """The SQL text and parameters of :func:`current_cycles_sql` for ``as_of``."""
    from django.db import connection
    from django.utils import timezone

    from compliance.models import TrainingRequirement

    sql, date_cast = current_cycles_sql(connection.vendor)
    ops = connection.ops
    params = {
        "as_of": ops.adapt_datefield_value(as_of),
        "day_end": ops.adapt_datetimefield_value(
            timezone.make_aware(datetime.combine(as_of + timedelta(days=1), clock()))
        ),
    }
    selects = []
    for n, requirement in enumerate(TrainingRequirement.objects.filter(active=True)):
        params[f"r_{n}"] = requirement.pk
        params[f"until_{n}"] = ops.adapt_datefield_value(
            as_of + timedelta(days=requirement.rule.due_soon_days)
        )
        selects.append(f"SELECT %(r_{n})s AS requirement_id, {date_cast.format(n=n)} AS until")
    return sql.replace("{soon}", " UNION ALL ".join(selects)), params


STATUSES = ("compliant", "due_soon", "overdue", "expired", "exempt", "in_progress", "not_started")


def raw_summary(as_of) -> dict[int, dict[str, int]]:
    """Per requirement, the people in each status: one GROUP BY (requirement, status),
    turned into columns here."""
    from django.db import connection

    current, params = raw_current(as_of)
    sql = (
        "SELECT requirement_id, status, COUNT(*) "  # noqa: S608 - constants only
        f"FROM ({current}) cur GROUP BY requirement_id, status"
    )
    figures: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for requirement_id, status, count in cursor.fetchall():
            row = figures.setdefault(requirement_id, dict.fromkeys(("assigned", *STATUSES), 0))
            row[status] = count
            row["assigned"] += count
    return figures


def raw_first_page(as_of, per_page: int) -> tuple[int, list[int]]:
    from django.db import connection

    current, params = raw_current(as_of)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({current}) cur", params)  # noqa: S608
        total = cursor.fetchone()[0]
        cursor.execute(
            f"""SELECT cur.id, cur.status, u.first_name, u.last_name, u.email, u.username,
                       r.name, p.title, cur.cycle, cur.assigned_on, cur.due_on,
                       cur.completed_on, cur.expires_on
                FROM ({current}) cur
                JOIN auth_user u ON u.id = cur.user_id
                JOIN compliance_trainingrequirement r ON r.id = cur.requirement_id
                JOIN wagtailcore_page p ON p.id = r.course_id
                ORDER BY r.name, u.last_name, cur.id
                LIMIT {int(per_page)}""",  # noqa: S608 - an int
            params,
        )
        return total, [row[0] for row in cursor.fetchall()]


def bench_reports(table: Table, runs: int, detail: dict, as_of) -> None:
    from django.urls import reverse

    from compliance import selectors
    from compliance.models import Assignment
    from compliance.selectors import reports
    from compliance.viewsets.report_views import PersonReportView

    client = admin_client()
    summary_url = f"{reverse('compliance_summary:index')}?as_of={as_of.isoformat()}"
    report_url = f"{reverse('compliance_report:index')}?as_of={as_of.isoformat()}"
    per_page = PersonReportView.paginate_by or 50

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")

    # The hand-written SQL must give the same answers as the real code.
    real = {
        row.requirement.pk: row.figures
        for row in reports.summary(as_of=as_of, assignments=Assignment.objects.all())
    }
    raw = raw_summary(as_of)
    for requirement_id, figures in real.items():
        mine = raw.get(requirement_id, {})
        if figures.assigned != mine.get("assigned", 0) or any(
            figures.count(status) != mine.get(status.value, 0) for status in figures.counts
        ):
            raise SystemExit(f"raw summary differs for requirement {requirement_id}: {mine}")
    queryset = (
        selectors.statuses(as_of=as_of, queryset=Assignment.objects.all())
        .select_related("user", "requirement__course")
        .order_by("requirement__name", "user__last_name", "pk")
    )
    total, ids = raw_first_page(as_of, per_page)
    real_ids = [row.pk for row in queryset[:per_page]]
    if total != queryset.count() or ids != real_ids:
        raise SystemExit("raw first page differs from the report's")
    detail["checked"] = "raw SQL summary and first page equal the real ones"
    detail["current_cycles"] = total

    measures = [
        (
            "summary_view",
            "Compliance summary (admin view)",
            lambda: get(summary_url),
            lambda: raw_summary(as_of),
            True,
        ),
        (
            "summary_selector",
            "  of which reports.summary() alone",
            lambda: reports.summary(as_of=as_of, assignments=Assignment.objects.all()),
            lambda: raw_summary(as_of),
            False,
        ),
        (
            "report_view",
            f"By-person report, first page of {per_page} (admin view)",
            lambda: get(report_url),
            lambda: raw_first_page(as_of, per_page),
            True,
        ),
        (
            "report_queryset",
            "  of which count + first page of the queryset",
            lambda: (queryset.count(), list(queryset[:per_page])),
            lambda: raw_first_page(as_of, per_page),
            False,
        ),
    ]
    for key, label, target, baseline, has_target in measures:
        value, floor = paired_medians(target, baseline, runs, warmup=1)
        ratio = value / floor
        table.add_ratio(
            "reports",
            label,
            value,
            f"{ms(floor)} raw SQL",
            ratio,
            REPORT_RATIO if has_target else None,
        )
        detail[key] = {"median_ms": round(value, 1), "raw_ms": round(floor, 1), "ratio": ratio}
        if has_target and ratio > REPORT_RATIO:
            detail[key]["profile"] = profile(key, target, runs=3)
