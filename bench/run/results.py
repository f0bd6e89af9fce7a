"""What ``bench.run`` reports: the table printed at the end and ``bench/results.json``
(when, on what code, machine, database and data, the targets, each section's detail,
the table's rows, and the last load run's figures kept as they were)."""

from .. import common
from .measuring import (
    FLAT_MEMORY,
    PAGE_QUERIES,
    PAGE_RATIO,
    REPORT_RATIO,
    SUBMIT_QUERIES,
    SWEEP_RATIO,
)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


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

    def add_ratio(
        self,
        section: str,
        measure: str,
        value: float,
        baseline: str,
        ratio: float,
        limit: float | None = None,
    ) -> dict:
        """A time (ms) against its baseline's, held to ``limit`` times it when given
        (else the row's target and result are left empty)."""
        return self.add(
            section,
            measure,
            value=ms(value),
            baseline=baseline,
            ratio=f"{ratio:.1f}×",
            target=f"≤ {limit:g}×" if limit is not None else "",
            result=verdict(ratio <= limit) if limit is not None else "",
        )

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


def new_results(url: str, as_of) -> dict:
    """The head of ``bench/results.json``: when, what and where was measured, on which
    data, against which targets; the sections' details follow it."""
    from django.conf import settings

    return {
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


#: Sections other commands write into bench/results.json, which a ``bench.run`` keeps:
#: the load run's (``bench.load``) and the peer comparison's (``bench.peer``).
KEPT_SECTIONS = ("load", "peer")


def write_results(results: dict, table: Table, kept: dict) -> None:
    """``bench/results.json``: ``results``, the table's rows and, when there were any,
    the last load run's and peer comparison's figures (``kept``, by section)."""
    results["table"] = table.rows
    results.update({key: value for key, value in kept.items() if value is not None})
    common.write_results(results)


def print_summary(results: dict, table: Table) -> None:
    """The heading, the data, the table and how many targets failed, on stdout."""
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
