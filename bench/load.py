"""Load run: ``make load`` (``python -m bench.load [--clients 50] [--duration 60]``).

Starts gunicorn (``config.wsgi`` with ``deploy/gunicorn.conf.py`` when present: gthread
workers, 2 × CPUs + 1 of them, 4 threads each) on 127.0.0.1 and a free port, with
production settings (``DJANGO_DEBUG=0``, a generated secret key, manifest static files,
Redis for the cache) against the PostgreSQL benchmark database — except HTTPS, which
loopback does not have (``DJANGO_SECURE_SSL_REDIRECT=0``, ``DJANGO_SECURE_COOKIES=0``).

Then ``--clients`` learners (threads, one ``requests.Session`` each, each a different
generated learner with an active enrolment in a course) sign in through the login form
(with its CSRF token). Signing in is slow on purpose (the password hash), so it is its
own phase, reported on its own: the measured window of ``--duration`` seconds opens
when the last client has signed in, and in it every client repeats: dashboard,
course page, a lesson with a quiz, a quiz submission (answers that fail, so the quiz
stays open for the next round) and its result page, then, as the learner's phone app
would with its own API token and no session, ``/api/v1/me/`` and the progress of the
enrolment. Traffic goes to 127.0.0.1 only,
the run stops by itself and gunicorn is stopped whatever happens.

It prints requests per second, p50/p95/p99 latency per step and overall, and the
errors, and merges them into ``bench/results.json`` under ``"load"``.
"""

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape

from . import common
from .run import bench_env, collect_static

HOST = "127.0.0.1"
GUNICORN_CONF = common.ROOT / "deploy" / "gunicorn.conf.py"
LOG = common.BENCH_DIR / "profiles" / "gunicorn.log"
STEPS = ("login form", "sign in", "dashboard", "course page", "lesson page", "quiz submit")
STEPS += ("quiz result", "api me", "api progress")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_INPUT = re.compile(r'name="submission_token" value="([^"]+)"')
#: The first paragraph of an error page, to say why a request was refused.
MESSAGE = re.compile(r'role="alert">(.*?)</', re.S)


@dataclass
class Plan:
    """What one client does: who signs in and which pages it visits."""

    username: str
    course_url: str
    lesson_url: str
    submit_url: str
    answers: dict[str, list[str]]
    enrolment_id: int = 0
    api_token: str = ""


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, step: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times[step].append(seconds * 1000)
            if error:
                self.errors[step] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{step}: {error}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def failing_answers(quiz) -> dict[str, list[str]]:
    """Form fields answering every question wrongly (so the attempt fails)."""
    fields: dict[str, list[str]] = {}
    for question in quiz.value["questions"]:
        name = f"q-{question.id}"
        kind = question.block_type
        if kind == "short_answer":
            fields[name] = ["no idea"]
        elif kind == "true_false":
            fields[name] = ["false" if question.value["correct_answer"] == "true" else "true"]
        else:
            wrong = [
                str(o.id)
                for o in question.value["options"].bound_blocks
                if not o.value["is_correct"]
            ]
            fields[name] = [wrong[0], ""] if kind == "multiple_choice" else [wrong[0]]
    return fields


def make_plans(clients: int) -> list[Plan]:
    """One learner per client, each with an active enrolment in a course whose lessons
    are not sequential, and the first quiz of that course they have not passed (a passed
    quiz refuses new attempts)."""
    from django.urls import reverse

    from learner.models import Enrollment, QuizAttempt
    from lessons.models import LessonPage

    enrolments = (
        Enrollment.objects.filter(
            status=Enrollment.Status.ACTIVE,
            course__sequential_lessons=False,
            user__username__startswith=common.USER_PREFIX,
        )
        .select_related("user", "course")
        .order_by("user_id", "pk")
    )
    plans, seen, quizzes = [], set(), {}
    for enrollment in enrolments.iterator():
        if enrollment.user_id in seen:
            continue
        course = enrollment.course
        if course.pk not in quizzes:
            quizzes[course.pk] = [
                (
                    page.pk,
                    page.url,
                    reverse("learner:submit_quiz", args=[page.pk]),
                    failing_answers(page.quiz),
                )
                for page in LessonPage.objects.live().descendant_of(course).order_by("path")
                if page.quiz is not None
            ]
        passed = set(
            QuizAttempt.objects.filter(enrollment=enrollment, passed=True).values_list(
                "lesson_id", flat=True
            )
        )
        quiz = next((q for q in quizzes[course.pk] if q[0] not in passed), None)
        if quiz is None:
            continue
        seen.add(enrollment.user_id)
        plans.append(Plan(enrollment.user.username, course.url, *quiz[1:], enrollment.pk))
        if len(plans) == clients:
            return plans
    raise SystemExit(f"Only {len(plans)} learners with an active enrolment; need {clients}.")


def give_tokens(plans: list[Plan]) -> list:
    """A ``read`` API token for each client's learner (revoked after the run)."""
    from django.contrib.auth import get_user_model

    from api.services import access_token_create

    users = get_user_model().objects.in_bulk([p.username for p in plans], field_name="username")
    tokens = []
    for plan in plans:
        token, plan.api_token = access_token_create(
            user=users[plan.username], name="load run", scopes=["read"]
        )
        tokens.append(token)
    return tokens


def start_gunicorn(port: int, env: dict[str, str], workers: int | None):
    command = [str(common.ROOT / ".venv" / "bin" / "gunicorn")]
    if not os.path.exists(command[0]):
        command = [sys.executable, "-m", "gunicorn"]
    server_env = {**os.environ, **env, "GUNICORN_BIND": f"{HOST}:{port}"}
    if GUNICORN_CONF.exists():
        command += ["-c", str(GUNICORN_CONF)]
        if workers:
            server_env["GUNICORN_WORKERS"] = str(workers)
    else:
        command += [
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers or 2 * (os.cpu_count() or 1) + 1),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
        ]
    command.append("config.wsgi")
    LOG.parent.mkdir(exist_ok=True)
    log = LOG.open("w")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, loopback only
        command, cwd=common.ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT
    )
    return process, log


def wait_until_up(base: str, process, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {LOG}")
        try:
            if requests.get(f"{base}/accounts/login/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f}s; see {LOG}")


#: Steps of the measured window (after every client has signed in).
STEADY_STEPS = ("dashboard", "course page", "lesson page", "quiz submit", "quiz result")
STEADY_STEPS += ("api me", "api progress")
#: The longest the sign-in phase may take before the run gives up waiting for it.
SIGN_IN_TIMEOUT = 600


def client(
    base: str,
    plan: Plan,
    window: dict[str, float],
    signed_in_all: threading.Barrier,
    tally: Tally,
    think: float,
) -> None:
    """Sign in, wait until every client has (the sign-in phase), then run the learner
    flow until the measured window ends."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util import Retry

    session = requests.Session()
    # Like a browser: a GET whose kept-alive connection the server had just closed (a
    # recycled worker) is sent again once. POSTs are never repeated.
    session.mount(base, HTTPAdapter(max_retries=Retry(total=1, allowed_methods={"GET"})))

    def call(step: str, method: str, path: str, expect: int, **kwargs):
        started = time.perf_counter()
        try:
            response = session.request(
                method, base + path, allow_redirects=False, timeout=60, **kwargs
            )
        except requests.RequestException as error:
            tally.record(step, time.perf_counter() - started, type(error).__name__)
            return None
        elapsed = time.perf_counter() - started
        error = ""
        if response.status_code != expect:
            message = MESSAGE.search(response.text or "")
            hint = f": {unescape(message.group(1)).strip()[:120]}" if message else ""
            error = f"HTTP {response.status_code} {path}{hint}"
        tally.record(step, elapsed, error)
        return None if error else response

    form = call("login form", "GET", "/accounts/login/", 200)
    signed_in = None
    if form is not None:
        token = CSRF_INPUT.search(form.text)
        signed_in = call(
            "sign in",
            "POST",
            "/accounts/login/",
            302,
            data={
                "login": plan.username,
                "password": common.PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "next": "/dashboard/",
            },
        )
    try:
        signed_in_all.wait(timeout=SIGN_IN_TIMEOUT)
    except threading.BrokenBarrierError:
        return
    if signed_in is None:
        return
    deadline = window["deadline"]
    pause = random.Random(plan.username)

    def page(step: str, method: str, path: str, expect: int, **kwargs):
        response = call(step, method, path, expect, **kwargs)
        if think:  # a person reads the page before the next click (think ± 50%)
            time.sleep(min(think * pause.uniform(0.5, 1.5), max(0.0, deadline - time.monotonic())))
        return response

    while time.monotonic() < deadline:
        page("dashboard", "GET", "/dashboard/", 200)
        page("course page", "GET", plan.course_url, 200)
        lesson = page("lesson page", "GET", plan.lesson_url, 200)
        if lesson is not None and time.monotonic() < deadline:
            csrf = CSRF_INPUT.search(lesson.text)
            submission = TOKEN_INPUT.search(lesson.text)
            data = {
                **plan.answers,
                "csrfmiddlewaretoken": csrf.group(1) if csrf else "",
                "submission_token": unescape(submission.group(1)) if submission else "",
            }
            result = page("quiz submit", "POST", plan.submit_url, 302, data=data)
            if result is not None and time.monotonic() < deadline:
                page("quiz result", "GET", result.headers.get("Location", "/"), 200)
        # The same learner's phone app: its own token, no session cookie.
        bearer = {"Authorization": f"Bearer {plan.api_token}", "Cookie": ""}
        if time.monotonic() < deadline:
            page("api me", "GET", "/api/v1/me/", 200, headers=bearer)
        if time.monotonic() < deadline:
            path = f"/api/v1/enrolments/{plan.enrolment_id}/progress/"
            page("api progress", "GET", path, 200, headers=bearer)


def percentiles(values: list[float]) -> dict:
    if len(values) < 2:
        value = values[0] if values else 0.0
        return {"p50": value, "p95": value, "p99": value}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_database_arguments(parser)
    parser.add_argument("--clients", type=int, default=50, help="concurrent learners (50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 × CPUs + 1)")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds a client pauses after each page, ± 50%% (1; 0: none, to saturate)",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        help="Redis URL for the cache",
    )
    parser.add_argument(
        "--key", default="load", help="where in bench/results.json to store the figures"
    )
    options = parser.parse_args(argv)
    if not 1 <= options.clients <= 500 or not 1 <= options.duration <= 1800:
        parser.error("--clients must be 1–500 and --duration 1–1800 seconds")
    url = common.database_url(options, postgres=True)
    if not common.is_postgres(url):
        parser.error("the load run uses PostgreSQL: drop --sqlite or pass a postgres:// URL")
    env = bench_env(options.redis)
    env["DJANGO_ALLOWED_HOSTS"] = HOST
    env["DJANGO_LOG_LEVEL"] = "INFO"  # one JSON line per request, as in production
    env["DATABASE_URL"] = url
    common.log(f"Load run against {common.describe(url)}")
    common.log(f"== collectstatic ({collect_static(env):.1f}s)")
    common.setup_django(url, **env)
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username=common.LEARNER).exists():
        raise SystemExit(f"No benchmark data in {common.describe(url)}: run `make bench-data`.")
    plans = make_plans(options.clients)
    tokens = give_tokens(plans)
    from django.db import connections

    connections.close_all()  # this process only plans; gunicorn does the work

    port = free_port()
    base = f"http://{HOST}:{port}"
    process, log = start_gunicorn(port, env, options.workers)
    tally = Tally()
    try:
        wait_until_up(base, process)
        import requests

        for _ in range(20):  # let every worker import and warm up its templates
            requests.get(base + plans[0].course_url, timeout=30)
        common.log(
            f"== {options.clients} clients for {options.duration:g}s on {base} (gunicorn "
            f"pid {process.pid})"
        )
        window: dict[str, float] = {}

        def open_window() -> None:  # runs once, when the last client has signed in
            window["start"] = time.monotonic()
            window["deadline"] = window["start"] + options.duration

        signed_in_all = threading.Barrier(options.clients, action=open_window)
        sign_in_started = time.monotonic()
        threads = [
            threading.Thread(
                target=client,
                args=(base, plan, window, signed_in_all, tally, options.think),
                daemon=True,
            )
            for plan in plans
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SIGN_IN_TIMEOUT + options.duration + 120)
        if "start" not in window:
            raise SystemExit("The clients did not all sign in within the time allowed.")
        sign_in_phase = window["start"] - sign_in_started
        elapsed = time.monotonic() - window["start"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        from api.services import access_token_revoke

        for token in tokens:
            access_token_revoke(token=token)

    all_times = [t for step in STEADY_STEPS for t in tally.times.get(step, [])]
    total = len(all_times)
    errors = sum(tally.errors.values())
    steps = {}
    rows = []
    for step in STEPS:
        times = tally.times.get(step, [])
        if not times:
            continue
        cut = percentiles(times)
        steps[step] = {
            "requests": len(times),
            "errors": tally.errors.get(step, 0),
            **{k: round(v, 1) for k, v in cut.items()},
            "mean": round(statistics.fmean(times), 1),
        }
        rows.append((step, steps[step]))
    overall = {
        "requests": total,
        "errors": errors,
        **{k: round(v, 1) for k, v in percentiles(all_times).items()},
        "mean": round(statistics.fmean(all_times), 1) if all_times else 0,
    }
    rows.append(("overall", overall))
    gunicorn = {
        "config": str(GUNICORN_CONF.relative_to(common.ROOT)) if GUNICORN_CONF.exists() else "",
        "workers": options.workers or 2 * len(os.sched_getaffinity(0)) + 1,
        "worker_class": "gthread",
        "threads": 4,
        "log": str(LOG.relative_to(common.ROOT)),
    }
    result = {
        "measured_at": common.now_iso(),
        "machine": common.machine(),
        "database": common.describe(url),
        "cache": options.redis,
        "clients": options.clients,
        "duration_s": round(elapsed, 1),
        "sign_in_phase_s": round(sign_in_phase, 1),
        "think_s": options.think,
        "conn_max_age": os.environ.get("DATABASE_CONN_MAX_AGE", "60 (settings default)"),
        "gunicorn": gunicorn,
        "requests_per_second": round(total / elapsed, 1),
        "errors": errors,
        "error_samples": tally.samples,
        "steps": steps,
        "overall": overall,
    }
    results = common.read_results()
    results[options.key] = result
    common.write_results(results)

    print(
        f"\nLoad: {options.clients} clients for {elapsed:.0f}s against gunicorn "
        f"({gunicorn['workers']} workers × 4 threads) on {HOST}, {common.describe(url)}"
    )
    print(f"{total:,} requests, {total / elapsed:.1f} requests/s, {errors} errors\n")
    header = ("step", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "mean ms")
    print(f"{header[0]:<14}" + "".join(f"{h:>10}" for h in header[1:]))
    for name, row in rows:
        cells = [row["requests"], row["errors"], row["p50"], row["p95"], row["p99"], row["mean"]]
        print(
            f"{name:<14}"
            + "".join(f"{c:>10,}" if isinstance(c, int) else f"{c:>10,.1f}" for c in cells)
        )
    for sample in tally.samples:
        print(f"  error: {sample}")
    print(
        f"\nMerged into {common.RESULTS.relative_to(common.ROOT)} under {options.key!r}; "
        f"log in {LOG}"
    )


if __name__ == "__main__":
    main()
