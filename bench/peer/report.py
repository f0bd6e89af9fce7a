"""What the peer benchmark reports: medians, minimums and ratios from the interleaved
samples, the table in the issue's shape (markdown, so it can be pasted), and the
``"peer"`` section of ``bench/results.json``, merged into what is there."""

import re
import statistics

from .. import common

#: (page, cache) in the order of the table.
ROWS = (("course", "warm"), ("lesson", "warm"), ("course", "cold"), ("lesson", "cold"))
CACHE_LABELS = {"warm": "warm", "cold": "cold cache"}


def label(page: str, cache: str) -> str:
    return f"{page}, enrolled learner, {CACHE_LABELS[cache]}"


def shorten(sql: str) -> str:
    """A statement without its first column list, cut at 300 characters."""
    return re.sub(r"^SELECT .+? FROM ", "SELECT … FROM ", sql, count=1)[:300]


def summarise(page_ms: list[float], trivial_ms: list[float], queries: list[str]) -> dict:
    """One system's figures for one row: the page's and the trivial view's median and
    minimum (ms), the ratio of the medians, and the page's queries."""
    page_median = statistics.median(page_ms)
    trivial_median = statistics.median(trivial_ms)
    return {
        "ratio": round(page_median / trivial_median, 2),
        "queries": len(queries),
        "page_median_ms": round(page_median, 2),
        "page_min_ms": round(min(page_ms), 2),
        "trivial_median_ms": round(trivial_median, 3),
        "trivial_min_ms": round(min(trivial_ms), 3),
        "samples": len(page_ms),
        "sql": [shorten(sql) for sql in queries],
    }


def ratio_table(rows: list[dict], systems: list[tuple[str, str]]) -> str:
    """The issue's table: page | <system> ratio (queries) | …"""
    lines = [
        "| page | " + " | ".join(f"{name} ratio (queries)" for _, name in systems) + " |",
        "| --- |" + " --- |" * len(systems),
    ]
    for row in rows:
        cells = [
            f"{row['systems'][key]['ratio']:.1f}× ({row['systems'][key]['queries']})"
            for key, _ in systems
        ]
        lines.append(f"| {row['label']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def times_table(rows: list[dict], systems: list[tuple[str, str]]) -> str:
    """Milliseconds behind the ratios: page and trivial view, median / minimum."""
    heads = []
    for _, name in systems:
        heads += [f"{name} page ms", f"{name} trivial ms"]
    lines = ["| page | " + " | ".join(heads) + " |", "| --- |" + " --- |" * len(heads)]
    for row in rows:
        cells = []
        for key, _ in systems:
            figures = row["systems"][key]
            cells.append(f"{figures['page_median_ms']:.1f} / {figures['page_min_ms']:.1f}")
            cells.append(f"{figures['trivial_median_ms']:.2f} / {figures['trivial_min_ms']:.2f}")
        lines.append(f"| {row['label']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write(section: dict) -> None:
    """Merge ``section`` into ``bench/results.json`` under ``"peer"``."""
    results = common.read_results()
    results["peer"] = section
    common.write_results(results)


def _queries(count: int) -> str:
    return f"{count} quer{'y' if count == 1 else 'ies'}"


def print_summary(section: dict, systems: list[tuple[str, str]]) -> None:
    """The heading, the issue's table and the milliseconds, on stdout."""
    machine = section["machine"]
    course = section["course"]
    print(
        f"\nPeer benchmark of {section['code']}, {section['measured_at']} on "
        f"{machine['cpus']} CPUs ({machine['cpu_model']}, load average at the start "
        f"{machine['load_average_at_start']}), Python {machine['python']}; "
        + "; ".join(
            f"{section['systems'][key]['name']} "
            + ", ".join(
                f"{package} {release}"
                for package, release in section["systems"][key]["versions"].items()
                if package != "python"
            )
            for key, _ in systems
        )
    )
    floors = ", ".join(
        f"{name} {_queries(section['systems'][key]['trivial_queries'])}" for key, name in systems
    )
    print(
        f"Course of {course['modules']} modules × {course['lessons_per_module']} lessons; "
        f"{section['rounds']} rounds × {section['pairs']} requests per row and system, the "
        "systems alternating; ratio = median page ÷ median trivial view of the same system "
        f"(trivial view: {floors}).\n"
    )
    print(ratio_table(section["rows"], systems))
    print("\nMilliseconds, median / minimum:\n")
    print(times_table(section["rows"], systems))
    print(f'\nWritten to {common.RESULTS.relative_to(common.ROOT)} under "peer".')
