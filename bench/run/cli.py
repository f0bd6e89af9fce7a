"""Ratio benchmarks on the generated data: ``make bench`` (``python -m bench.run
[--postgres] [--quick] [--only pages,api,reports,export,sweep,certificates,submit]``): the
command line, which sets Django up on the benchmark database under the measured
settings, runs the sections asked for, and prints and writes what they found.
"""

import argparse
import os
import time

from .. import common, submit
from .api import bench_api
from .certificates import bench_certificates
from .environment import bench_env, collect_static
from .export import bench_export
from .measuring import PAGE_RATIO, SUBMIT_QUERIES
from .pages import bench_pages
from .reports import bench_reports
from .results import KEPT_SECTIONS, Table, new_results, print_summary, write_results
from .sweep import bench_sweep

SECTIONS = ("pages", "api", "reports", "export", "sweep", "certificates", "submit")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0]
    )
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
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)  # code newer than the data

    if not get_user_model().objects.filter(username=common.LEARNER).exists():
        raise SystemExit(f"No benchmark data in {common.describe(url)}: run `make bench-data`.")
    as_of = timezone.localdate()
    table = Table()
    previous = common.read_results()
    kept = {key: previous.get(key) for key in KEPT_SECTIONS}
    results = new_results(url, as_of)
    common.log("Data: " + ", ".join(f"{k} {v:,}" for k, v in results["data"].items()))
    runners = {
        "pages": lambda detail: bench_pages(table, options.runs, detail),
        "api": lambda detail: bench_api(table, options.runs, detail),
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
    write_results(results, table, kept)
    print_summary(results, table)
