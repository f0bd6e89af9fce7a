"""Export: the full CSV export of the by-person report (the streamed export of
:mod:`compliance.exports` through the admin view) against fetching the same rows with
raw SQL, and its peak memory (``tracemalloc``) at a quarter of the rows and at all of
them: flat means the peak does not grow with the rows."""

import tracemalloc

from .measuring import FLAT_MEMORY, admin_client, paired_medians, profile
from .reports import raw_current
from .results import Table, ms, verdict


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


def bench_export(table: Table, runs: int, detail: dict, as_of) -> None:
    from django.urls import reverse

    from compliance import selectors
    from compliance.models import Assignment
    from compliance.viewsets.report_views import PersonReportView

    client = admin_client()
    base = f"{reverse('compliance_report:index')}?as_of={as_of.isoformat()}&export=csv"
    due = sorted(
        selectors.statuses(as_of=as_of, queryset=Assignment.objects.all()).values_list(
            "due_on", flat=True
        )
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
    table.add_ratio(
        "export",
        f"CSV export, {rows:,} rows ({size / 1e6:.1f} MB)",
        value,
        f"{ms(floor)} raw SQL fetch",
        ratio,
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
