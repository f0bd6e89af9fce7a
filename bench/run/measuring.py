"""How ``bench.run`` takes its figures: the targets, medians paired with a baseline,
a signed-in client, and the cProfile listings and query lists kept in
``bench/profiles/`` for what misses its target."""

import cProfile
import io
import pstats
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable

from .. import common

PROFILES = common.BENCH_DIR / "profiles"

#: Targets (from the "Performance" issue).
PAGE_RATIO = 15.0
PAGE_QUERIES = 12
#: The final quiz submit writes seven rows, so it has a query budget of its own
#: (bench/README.md, "The final quiz submit's budget"); its time is held to the page's.
#: Plus its three audit entries, at most four statements each (on PostgreSQL).
SUBMIT_QUERIES = 16 + 3 * 4
REPORT_RATIO = 5.0
#: An API read against a trivial DRF view (the "REST API v1" issue).
API_RATIO = 10.0
SWEEP_RATIO = 3.0
#: The export's peak memory at all rows may be at most this times that at a quarter.
FLAT_MEMORY = 1.5


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


def signed_in_client(user):
    """A test client with ``user`` signed in through the project's own user backend (the
    first one that is not django-axes, which only counts failures)."""
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.mfa import MFA_SESSION_KEY

    from ..urls import TRIVIAL_PATH

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())
    client = Client()
    client.force_login(user, backend=backend)
    # Staff must show a second factor before the admin opens (FLEDGE_MFA_REQUIRED_FOR_
    # STAFF): the session says they did, as after a real sign-in with one.
    session = client.session
    session[MFA_SESSION_KEY] = {"user": str(user.pk), "method": "bench", "at": 0}
    session.save()
    with override_settings(ROOT_URLCONF="bench.urls"):
        answer = client.get(TRIVIAL_PATH).content.decode()
    if answer != str(user.pk):
        raise SystemExit(f"Could not sign {user} in through {backend} (got {answer!r})")
    return client


def admin_client():
    from django.contrib.auth import get_user_model

    return signed_in_client(get_user_model().objects.get(username=common.ADMIN))
