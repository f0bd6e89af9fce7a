"""Ratio benchmarks on the generated data: ``make bench`` (``python -m bench.run
[--postgres] [--quick] [--only pages,api,reports,export,sweep,certificates,submit]``).

Every figure is a ratio of medians, measured in one run on the same data against a
baseline taken in the same run, interleaved with it so that a busy machine slows both:

- **pages** (catalog, a 50-lesson course, a lesson with a 10-question quiz, the
  dashboard of ``bench-learner``): time per request through the full middleware stack
  (``django.test.Client`` on :mod:`bench.urls`) ÷ a trivial view behind the same stack,
  and the queries per request (``CaptureQueriesContext``);
- **api** (the REST API's main reads with a bearer token: me, the course list, one
  course with its outline, own enrolments and progress, the first page of the
  compliance status, public verification) ÷ a trivial DRF view behind the same stack and
  token (:mod:`~bench.run.api`), and the queries per request;
- **reports** (the compliance summary and the first page of the by-person report, as
  the Wagtail admin serves them, over every assignment) ÷ one hand-written SQL query
  giving the same figures (checked equal);
- **CSV export** of the whole by-person report (the streamed export of
  :mod:`compliance.exports` through the admin view) ÷ fetching the same rows with raw
  SQL, and its peak memory (``tracemalloc``) at a quarter of the rows and at all of
  them: flat means the peak does not grow with the rows;
- **daily sweep** (:func:`compliance.services.assignments_sync` and
  :func:`compliance.services.notifications.queue_reminders`, then sending) ÷ one
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

One module per section (:mod:`~bench.run.pages`, :mod:`~bench.run.reports`,
:mod:`~bench.run.export`, :mod:`~bench.run.sweep`, :mod:`~bench.run.certificates`; the
submit is :mod:`bench.submit`), over :mod:`~bench.run.environment` (the settings),
:mod:`~bench.run.measuring` (targets, paired medians, profiles) and
:mod:`~bench.run.results` (the table and the JSON); :mod:`~bench.run.cli` is the command.
"""

from .cli import SECTIONS, main
from .environment import STATIC_ROOT, bench_env, collect_static
from .measuring import (
    API_RATIO,
    FLAT_MEMORY,
    PAGE_QUERIES,
    PAGE_RATIO,
    PROFILES,
    REPORT_RATIO,
    SUBMIT_QUERIES,
    SWEEP_RATIO,
    paired_medians,
    profile,
    query_report,
    signed_in_client,
)
from .results import Table, ms, verdict

__all__ = [
    "API_RATIO",
    "FLAT_MEMORY",
    "PAGE_QUERIES",
    "PAGE_RATIO",
    "PROFILES",
    "REPORT_RATIO",
    "SECTIONS",
    "STATIC_ROOT",
    "SUBMIT_QUERIES",
    "SWEEP_RATIO",
    "Table",
    "bench_env",
    "collect_static",
    "main",
    "ms",
    "paired_medians",
    "profile",
    "query_report",
    "signed_in_client",
    "verdict",
]
