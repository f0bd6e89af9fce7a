"""Ratio benchmarks on the generated data: ``make bench`` (``python -m bench.run
[--postgres] [--quick] [--only pages,reports,export,sweep,certificates,submit]``).

Every figure is a ratio of medians, measured in one run on the same data against a
baseline taken in the same run, interleaved with it so that a busy machine slows both:

- **pages** (catalog, a 50-lesson course, a lesson with a 10-question quiz, the
  dashboard of ``bench-learner``): time per request through the full middleware stack
  (``django.test.Client`` on :mod:`bench.urls`) ÷ a trivial view behind the same stack,
  and the queries per request (``CaptureQueriesContext``);
- **reports** (the compliance summary and the first page of the by-person report, as
  the Wagtail admin serves them, over every assignment) ÷ one hand-written SQL query
  giving the same figures (checked equal);
- **CSV export** of the whole by-person report (the streamed export of
  :mod:`compliance.reports` through the admin view) ÷ fetching the same rows with raw
  SQL, and its peak memory (``tracemalloc``) at a quarter of the rows and at all of
  them: flat means the peak does not grow with the rows;
- **daily sweep** (:func:`compliance.services.assignments_sync` and
  :func:`compliance.notifications.queue_reminders`, then sending) ÷ one
  ``INSERT … SELECT`` of the same outbox rows (checked equal), each inside a
  transaction that is rolled back; then the same sweep again, which must queue and
  send nothing;
- **certificates**: :mod:`bench.certificates` (a real certificate ÷ a minimal PDF);
- **submit**: :mod:`bench.submit`, the final quiz submit that completes a course, to
  its response ÷ the trivial view (the page's time budget and a query budget of its
  own), with the work deferred until after the response shown beside it.

The settings are production's (``DJANGO_DEBUG=0``, a generated secret key, manifest
static files collected into ``bench/.staticfiles``) except that nothing redirects to
HTTPS, mail stays in memory and tasks run in-process. A table is printed and written
to ``bench/results.json``; pages over their query budget get their query list and the
slowest measures a cProfile listing in ``bench/profiles/``.
"""

import argparse
import cProfile
import io
import pstats
import re
import secrets
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock

from . import common, submit

PROFILES = common.BENCH_DIR / "profiles"
STATIC_ROOT = common.BENCH_DIR / ".staticfiles"

#: Targets (from the "Performance" issue).
PAGE_RATIO = 15.0
PAGE_QUERIES = 12
#: The final quiz submit writes seven rows, so it has a query budget of its own
#: (bench/README.md, "The final quiz submit's budget"); its time is held to the page's.
SUBMIT_QUERIES = 16
REPORT_RATIO = 5.0
SWEEP_RATIO = 3.0
#: The export's peak memory at all rows may be at most this times that at a quarter.
FLAT_MEMORY = 1.5
SECTIONS = ("pages", "reports", "export", "sweep", "certificates", "submit")


# --- Environment -----------------------------------------------------------------------


def bench_env(redis_url: str | None) -> dict[str, str]:
    """Production settings, minus TLS (the test client and loopback have none), with
    mail in memory and tasks in-process."""
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        "DJANGO_LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "CACHE_KEY_PREFIX": "fledge-bench",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def collect_static(env: dict[str, str]) -> float:
    """``collectstatic`` for the manifest storage that DJANGO_DEBUG=0 uses."""
    import os

    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=common.ROOT,
        env={**os.environ, **env},
        check=True,
    )
    return time.perf_counter() - started


# --- Measuring ---------------------------------------------------------------------------


def paired_medians(
    target: Callable, baseline: Callable, runs: int, warmup: int = 2, baseline_samples: int = 1
):
    """Medians (ms) of ``target`` and ``baseline`` run alternately ``runs`` times (the
    baseline ``baseline_samples`` times per round: a cheap baseline is noisier)."""
    for _ in range(warmup):
        baseline()
        target()
    target_ms, baseline_ms = [], []
    for _ in range(runs):
        for _ in range(baseline_samples):
            started = time.perf_counter()
            baseline()
            baseline_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        target()
        target_ms.append((time.perf_counter() - started) * 1000)
    return statistics.median(target_ms), statistics.median(baseline_ms)


def profile(name: str, function: Callable, runs: int = 3) -> str:
    """cProfile ``function`` over ``runs`` calls into bench/profiles/<name>.txt; return
    the path and the ten costliest project functions (by cumulative time)."""
    PROFILES.mkdir(exist_ok=True)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        function()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(45)
    own = io.StringIO()
    project = re.escape(str(common.ROOT)) + r"/(accounts|catalog|compliance|certificates|home|"
    pstats.Stats(profiler, stream=own).sort_stats("cumulative").print_stats(
        project + r"learner|lessons|config)/", 25
    )
    path = PROFILES / f"{name}.txt"
    path.write_text(
        f"cProfile of {runs} calls of {name}, sorted by cumulative time\n\n"
        + out.getvalue()
        + "\n\nThe same, project code only:\n"
        + own.getvalue().split("\n", 2)[-1]
    )
    return str(path.relative_to(common.ROOT))


def normalise_sql(sql: str) -> str:
    sql = re.sub(r"'[^']*'", "?", sql)
    return re.sub(r"\b\d+\b", "N", sql)


def query_report(name: str, queries: list[dict]) -> dict:
    """The queries of one request, and which statements repeat (N+1 suspects)."""
    PROFILES.mkdir(exist_ok=True)
    shapes = Counter(normalise_sql(q["sql"]) for q in queries)
    repeated = [
        {"times": times, "sql": sql[:300]} for sql, times in shapes.most_common() if times > 1
    ]
    path = PROFILES / f"{name}-queries.txt"
    lines = [f"{len(queries)} queries for one request of {name}\n"]
    lines += [f"{i:>3}. [{q['time']}s] {q['sql']}\n" for i, q in enumerate(queries, 1)]
    path.write_text("".join(lines))
    return {
        "file": str(path.relative_to(common.ROOT)),
        "repeated": repeated,
        "queries": [q["sql"][:240] for q in queries],
    }


class Table:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, section: str, measure: str, **row) -> dict:
        row = {"section": section, "measure": measure, **row}
        self.rows.append(row)
        status = row.get("result", "")
        common.log(
            f"   {measure}: {row.get('value', '')} vs {row.get('baseline', '')} "
            f"→ {row.get('ratio', '')} {status}"
        )
        return row

    def render(self) -> str:
        headers = ("Measure", "Value", "Baseline", "Ratio / figure", "Target", "Result")
        keys = ("measure", "value", "baseline", "ratio", "target", "result")
        lines = [[str(row.get(key, "")) for key in keys] for row in self.rows]
        widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
        out = []
        section = None
        for row, line in zip(self.rows, lines, strict=True):
            if row["section"] != section:
                section = row["section"]
                if out:
                    out.append("")
                out.append(section.upper())
                out.append(
                    "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
                )
            out.append("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        return "\n".join(out)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


# --- Pages ---------------------------------------------------------------------------------


def bench_pages(table: Table, runs: int, detail: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings

    from catalog.models import CatalogPage, CoursePage
    from lessons.models import LessonPage

    from .generate import LEARNER_LESSON_COURSE
    from .urls import TRIVIAL_PATH

    learner = get_user_model().objects.get(username=common.LEARNER)
    course = CoursePage.objects.live().order_by("path")[LEARNER_LESSON_COURSE]
    lesson = next(
        page
        for page in LessonPage.objects.live().descendant_of(course).order_by("path")
        if page.quiz is not None
    )
    pages = {
        "catalog": CatalogPage.objects.live().order_by("path").first().url,
        "course": course.url,
        "lesson": lesson.url,
        "dashboard": "/dashboard/",
    }
    labels = {
        "catalog": "Catalog page",
        "course": "Course page (50 lessons)",
        "lesson": "Lesson page, 10-question quiz",
        "dashboard": "Dashboard (20 enrolments, 10 assignments)",
    }
    client = signed_in_client(learner)

    def fetch(path: str) -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}, not 200")
        return len(response.content)

    with override_settings(ROOT_URLCONF="bench.urls"):
        fetch(TRIVIAL_PATH)
        for key, path in pages.items():
            size = fetch(path)
            # Each request starts by emptying the connection's query log (the
            # request_started signal), so the log is emptied first for the counts to line up.
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                fetch(path)
            # captured_queries reads the connection's log, which the next request empties.
            queries = list(captured.captured_queries)
            reset_queries()
            with CaptureQueriesContext(connection) as floor:
                fetch(TRIVIAL_PATH)
            floor_count = len(floor.captured_queries)
            page_ms, trivial_ms = paired_medians(
                lambda path=path: fetch(path), lambda: fetch(TRIVIAL_PATH), runs, 2, 5
            )
            ratio = page_ms / trivial_ms
            count = len(queries)
            info = {
                "path": path,
                "bytes": size,
                "median_ms": round(page_ms, 2),
                "trivial_ms": round(trivial_ms, 3),
                "ratio": round(ratio, 1),
                "queries": count,
                "trivial_queries": floor_count,
                "runs": runs,
            }
            table.add(
                "pages",
                labels[key] + ": time",
                value=ms(page_ms),
                baseline=f"{ms(trivial_ms)} trivial view",
                ratio=f"{ratio:.1f}×",
                target=f"≤ {PAGE_RATIO:g}×",
                result=verdict(ratio <= PAGE_RATIO),
            )
            table.add(
                "pages",
                labels[key] + ": queries",
                value=str(count),
                baseline=f"{floor_count} trivial view",
                ratio=f"{count} queries",
                target=f"≤ {PAGE_QUERIES}",
                result=verdict(count <= PAGE_QUERIES),
            )
            if count > PAGE_QUERIES:
                info["query_report"] = query_report(f"page-{key}", queries)
            if ratio > PAGE_RATIO or count > PAGE_QUERIES:
                info["profile"] = profile(f"page-{key}", lambda path=path: fetch(path), runs=10)
            detail[key] = info


# --- Reports -------------------------------------------------------------------------------


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


def raw_export_rows(as_of, fetch: int = 2000) -> int:
    from django.db import connection

    current, params = raw_current(as_of)
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT u.first_name, u.last_name, u.username, u.email, r.name, p.title,
                       cur.cycle, cur.status, cur.assigned_on, cur.due_on,
                       cur.completed_on, cur.expires_on
                FROM ({current}) cur
                JOIN auth_user u ON u.id = cur.user_id
                JOIN compliance_trainingrequirement r ON r.id = cur.requirement_id
                JOIN wagtailcore_page p ON p.id = r.course_id
                ORDER BY r.name, u.last_name, cur.id""",  # noqa: S608 - constants only
            params,
        )
        while rows := cursor.fetchmany(fetch):
            count += len(rows)
    return count


def signed_in_client(user):
    """A test client with ``user`` signed in through the project's own user backend (the
    first one that is not django-axes, which only counts failures)."""
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from .urls import TRIVIAL_PATH

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())
    client = Client()
    client.force_login(user, backend=backend)
    with override_settings(ROOT_URLCONF="bench.urls"):
        answer = client.get(TRIVIAL_PATH).content.decode()
    if answer != str(user.pk):
        raise SystemExit(f"Could not sign {user} in through {backend} (got {answer!r})")
    return client


def admin_client():
    from django.contrib.auth import get_user_model

    return signed_in_client(get_user_model().objects.get(username=common.ADMIN))


def bench_reports(table: Table, runs: int, detail: dict, as_of) -> None:
    from django.urls import reverse

    from compliance import reports, selectors
    from compliance.models import Assignment
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
        row.requirement.pk: row.figures for row in reports.summary(as_of, Assignment.objects.all())
    }
    raw = raw_summary(as_of)
    for requirement_id, figures in real.items():
        mine = raw.get(requirement_id, {})
        if figures.assigned != mine.get("assigned", 0) or any(
            figures.count(status) != mine.get(status.value, 0) for status in figures.counts
        ):
            raise SystemExit(f"raw summary differs for requirement {requirement_id}: {mine}")
    queryset = (
        selectors.statuses(as_of, Assignment.objects.all())
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
            lambda: reports.summary(as_of, Assignment.objects.all()),
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
        table.add(
            "reports",
            label,
            value=ms(value),
            baseline=f"{ms(floor)} raw SQL",
            ratio=f"{ratio:.1f}×",
            target=f"≤ {REPORT_RATIO:g}×" if has_target else "",
            result=verdict(ratio <= REPORT_RATIO) if has_target else "",
        )
        detail[key] = {"median_ms": round(value, 1), "raw_ms": round(floor, 1), "ratio": ratio}
        if has_target and ratio > REPORT_RATIO:
            detail[key]["profile"] = profile(key, target, runs=3)


# --- Export -------------------------------------------------------------------------------


def bench_export(table: Table, runs: int, detail: dict, as_of) -> None:
    from django.urls import reverse

    from compliance import selectors
    from compliance.models import Assignment
    from compliance.viewsets.report_views import PersonReportView

    client = admin_client()
    base = f"{reverse('compliance_report:index')}?as_of={as_of.isoformat()}&export=csv"
    due = sorted(
        selectors.statuses(as_of, Assignment.objects.all()).values_list("due_on", flat=True)
    )
    quarter_due = due[len(due) // 4]
    quarter_url = f"{base}&due_to={quarter_due.isoformat()}"

    def export(url: str) -> tuple[int, int]:
        response = client.get(url)
        if response.status_code != 200 or not response.streaming:
            raise SystemExit(f"GET {url} answered {response.status_code}, not a stream")
        size = lines = 0
        for block in response.streaming_content:
            size += len(block)
            lines += block.count(b"\n")
        response.close()
        return lines - 1, size  # without the heading

    rows, size = export(base)
    quarter_rows, _ = export(quarter_url)
    if raw_export_rows(as_of) != rows:
        raise SystemExit("raw export row count differs from the CSV's")
    value, floor = paired_medians(lambda: export(base), lambda: raw_export_rows(as_of), runs, 1)
    ratio = value / floor
    table.add(
        "export",
        f"CSV export, {rows:,} rows ({size / 1e6:.1f} MB)",
        value=ms(value),
        baseline=f"{ms(floor)} raw SQL fetch",
        ratio=f"{ratio:.1f}×",
        target="",
        result="",
    )

    def peak(url: str) -> tuple[int, int]:
        tracemalloc.start()
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        export(url)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top - start

    quarter_peaks = [peak(quarter_url) for _ in range(2)]
    all_peaks = [peak(base) for _ in range(2)]
    quarter_peak, all_peak = min(quarter_peaks), min(all_peaks)
    growth = all_peak / quarter_peak
    # Below a few fetches of export_chunk_size rows there is nothing to be flat over.
    enough = quarter_rows >= 4 * PersonReportView.export_chunk_size
    table.add(
        "export",
        "CSV export: peak memory, quarter → all rows",
        value=f"{all_peak / 2**20:.1f} MiB at {rows:,}",
        baseline=f"{quarter_peak / 2**20:.1f} MiB at {quarter_rows:,}",
        ratio=f"{growth:.2f}× for {rows / quarter_rows:.1f}× rows",
        target=f"flat (≤ {FLAT_MEMORY:g}×)",
        result=verdict(growth <= FLAT_MEMORY) if enough else "n/a: too few rows",
    )
    detail.update(
        {
            "rows": rows,
            "bytes": size,
            "median_ms": round(value, 1),
            "raw_ms": round(floor, 1),
            "ratio": ratio,
            "quarter_rows": quarter_rows,
            "quarter_peak_bytes": quarter_peak,
            "all_peak_bytes": all_peak,
            "peak_growth": growth,
        }
    )
    detail["profile"] = profile("export-csv", lambda: export(base), runs=1)


# --- Daily sweep ------------------------------------------------------------------------------


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

    from compliance import notifications, services
    from compliance.models import NotificationLog

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
        table.add(
            "sweep",
            label,
            value=ms(value),
            baseline=raw_label,
            ratio=f"{ratio:.1f}×",
            target=f"≤ {SWEEP_RATIO:g}×" if has_target else "",
            result=verdict(ratio <= SWEEP_RATIO) if has_target else "",
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


# --- Certificates ---------------------------------------------------------------------------


def bench_certificates(table: Table, runs: int, detail: dict) -> None:
    from . import certificates

    real_ms, real_size = certificates.median_ms(certificates.render_real, runs)
    minimal_ms, _ = certificates.median_ms(certificates.render_minimal, runs)
    per_second = certificates.throughput(2, max(20, runs * 4))
    table.add(
        "certificates",
        "Certificate PDF (real template), median",
        value=ms(real_ms),
        baseline=f"{ms(minimal_ms)} minimal PDF",
        ratio=f"{real_ms / minimal_ms:.1f}×",
    )
    table.add(
        "certificates",
        "Certificates with 2 processes",
        value=f"{per_second:.1f} PDF/s",
        ratio=f"{1000 / real_ms:.1f} PDF/s in one process",
    )
    detail.update(
        {
            "certificate_median_ms": round(real_ms, 1),
            "certificate_pdf_bytes": real_size,
            "minimal_median_ms": round(minimal_ms, 1),
            "ratio": real_ms / minimal_ms,
            "pdfs_per_second_2_workers": round(per_second, 2),
            "runs": runs,
        }
    )


# --- Main -----------------------------------------------------------------------------------


def data_sizes() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from catalog.models import CoursePage
    from certificates.models import Certificate
    from compliance.models import Assignment, NotificationLog, TrainingRequirement
    from learner.models import Enrollment, LessonProgress, QuizAttempt
    from lessons.models import LessonPage

    return {
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "courses": CoursePage.objects.live().count(),
        "lessons": LessonPage.objects.live().count(),
        "enrolments": Enrollment.objects.count(),
        "lesson_progress": LessonProgress.objects.count(),
        "quiz_attempts": QuizAttempt.objects.count(),
        "requirements": TrainingRequirement.objects.count(),
        "assignments": Assignment.objects.count(),
        "certificates": Certificate.objects.count(),
        "notification_log": NotificationLog.objects.count(),
    }


def database_info(url: str) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version, "database": common.describe(url)}


def main(argv: list[str] | None = None) -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.add_argument("--runs", type=int, default=30, help="requests per page median")
    parser.add_argument("--report-runs", type=int, default=7)
    parser.add_argument("--sweep-runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke check")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL", ""),
        help="Redis URL for the cache (default: REDIS_URL; none: per-process memory)",
    )
    # `make bench-data` and `make bench` share BENCH_ARGS: accept the generator's options.
    for name in ("--scale", "--seed"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    parser.add_argument("--reset", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.quick:
        options.runs, options.report_runs, options.sweep_runs = 8, 3, 1
    sections = [s.strip() for s in options.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    url = common.database_url(options)
    env = bench_env(options.redis or None)
    common.log(f"Benchmarks on {common.describe(url)}")
    common.log(f"== collectstatic ({collect_static(env):.1f}s)")
    common.setup_django(url, **env)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)  # code newer than the data

    if not get_user_model().objects.filter(username=common.LEARNER).exists():
        raise SystemExit(f"No benchmark data in {common.describe(url)}: run `make bench-data`.")
    as_of = timezone.localdate()
    table = Table()
    results = common.read_results()
    load = results.get("load")
    results = {
        "measured_at": common.now_iso(),
        "code": common.code_version(),
        "as_of": as_of.isoformat(),
        "machine": common.machine(),
        "database": database_info(url),
        "cache": settings.CACHES["default"]["BACKEND"],
        "settings": "DJANGO_DEBUG=0, manifest static files, no HTTPS redirect, mail in memory",
        "data": data_sizes(),
        "targets": {
            "page_ratio": PAGE_RATIO,
            "page_queries": PAGE_QUERIES,
            "submit_queries": SUBMIT_QUERIES,
            "report_ratio": REPORT_RATIO,
            "export_memory_growth": FLAT_MEMORY,
            "sweep_ratio": SWEEP_RATIO,
        },
    }
    common.log("Data: " + ", ".join(f"{k} {v:,}" for k, v in results["data"].items()))
    runners = {
        "pages": lambda detail: bench_pages(table, options.runs, detail),
        "reports": lambda detail: bench_reports(table, options.report_runs, detail, as_of),
        "export": lambda detail: bench_export(
            table, max(3, options.report_runs // 2), detail, as_of
        ),
        "sweep": lambda detail: bench_sweep(table, options.sweep_runs, detail, as_of),
        "certificates": lambda detail: bench_certificates(table, options.runs, detail),
        "submit": lambda detail: submit.bench_submit(
            table, max(5, options.runs // 3), detail, (PAGE_RATIO, SUBMIT_QUERIES)
        ),
    }
    for section in sections:
        common.log(f"== {section}")
        started = time.perf_counter()
        detail: dict = {}
        runners[section](detail)
        detail["seconds"] = round(time.perf_counter() - started, 1)
        results[section] = detail
    results["table"] = table.rows
    if load is not None:
        results["load"] = load
    common.write_results(results)

    machine = results["machine"]
    database = results["database"]
    print(
        f"\nFledge benchmarks of {results['code']}, {results['measured_at']} on "
        f"{machine['cpus']} CPUs "
        f"({machine['cpu_model']}), Python {machine['python']}, "
        f"{database['vendor']} {database['version']}, cache {results['cache'].rsplit('.', 1)[-1]}"
    )
    print(
        "Data: "
        + ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in results["data"].items())
    )
    print()
    print(table.render())
    failed = [row for row in table.rows if row.get("result") == "FAIL"]
    print(f"\n{len(failed)} of {sum(1 for r in table.rows if r.get('result'))} targets failed.")
    print(f"Written to {common.RESULTS.relative_to(common.ROOT)}; profiles in bench/profiles/")


if __name__ == "__main__":
    main()
