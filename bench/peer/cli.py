"""Fledge beside wagtail-lms 0.11.1, its closest peer, on the same course in one run.

``make bench-peer`` (``python -m bench.peer [--rounds N] [--pairs N] [--quick]
[--reinstall]``): the command, which makes the peer's virtualenv, starts both workers,
alternates them and reports (see :mod:`bench.peer`).
"""

import argparse
import os
import secrets
import sys
import tempfile
import time

from .. import common
from ..run.environment import bench_env, collect_static
from . import content, venv
from .driver import Worker
from .report import ROWS, label, print_summary, summarise, write

#: (worker key, name in the table), in the table's column order.
SYSTEMS = [("lms", "wagtail-lms"), ("fledge", "Fledge")]


def _fledge_env(folder: str) -> dict[str, str]:
    """``bench.run``'s settings (production's, per-process memory cache) on a new SQLite
    database in ``folder``."""
    path = os.path.join(folder, "fledge.sqlite3")
    # No REDIS_URL from the shell: the cache is per-process memory, as wagtail-lms's.
    inherited = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    return {
        **inherited,
        **bench_env(None),
        "DATABASE_URL": f"sqlite:///{path}",
        "FLEDGE_SQLITE_PATH": path,
    }


def _lms_env(folder: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env["PEER_LMS_DIR"] = os.path.join(folder, "lms")
    env["PEER_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.makedirs(env["PEER_LMS_DIR"])
    return env


def _measure(workers: dict[str, Worker], rounds: int, pairs: int) -> dict:
    """Every row, ``rounds`` times, each system in turn (which goes first alternates),
    ``pairs`` trivial + page requests per turn; the samples by system and row."""
    samples = {key: {row: {"page": [], "trivial": []} for row in ROWS} for key in workers}
    progress = common.Progress("interleaved rounds", rounds * len(ROWS))
    keys = list(workers)
    for number in range(rounds):
        for index, (page, cache) in enumerate(ROWS):
            order = keys if (number + index) % 2 == 0 else keys[::-1]
            for key in order:
                answer = workers[key].ask(op="batch", page=page, cold=cache == "cold", pairs=pairs)
                samples[key][(page, cache)]["page"] += answer["page"]
                samples[key][(page, cache)]["trivial"] += answer["trivial"]
            progress.update()
    progress.close()
    return samples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.peer", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rounds", type=int, default=30, help="turns per system and row")
    parser.add_argument("--pairs", type=int, default=5, help="trivial + page requests a turn")
    parser.add_argument("--quick", action="store_true", help="3 rounds, for a smoke check")
    parser.add_argument("--reinstall", action="store_true", help="make bench/.peer-venv again")
    options = parser.parse_args(argv)
    if options.quick:
        options.rounds = 3
    started = time.perf_counter()
    peer_python = venv.ensure(reinstall=options.reinstall)
    fledge_env = bench_env(None)
    common.log(f"== collectstatic ({collect_static(fledge_env):.1f}s)")
    machine = common.machine()
    with tempfile.TemporaryDirectory(prefix="bench-peer-") as folder:
        common.log("== building the course in both (migrations first; about a minute)")
        workers = {
            "lms": Worker("lms", "wagtail-lms", peer_python, _lms_env(folder)),
            "fledge": Worker("fledge", "Fledge", sys.executable, _fledge_env(folder)),
        }
        try:
            for worker in workers.values():
                ready = worker.wait_ready()
                common.log(
                    f"   {worker.label}: ready in {ready['setup_seconds']}s, "
                    f"course {ready['paths']['course']} ({ready['bytes']['course']:,} bytes), "
                    f"lesson {ready['paths']['lesson']} ({ready['bytes']['lesson']:,} bytes)"
                )
            queries = {
                key: {
                    row: worker.ask(op="queries", page=row[0], cold=row[1] == "cold")["queries"]
                    for row in ROWS
                }
                for key, worker in workers.items()
            }
            trivial_queries = {
                key: len(worker.ask(op="queries", page="trivial", cold=False)["queries"])
                for key, worker in workers.items()
            }
            samples = _measure(workers, options.rounds, options.pairs)
        finally:
            for worker in workers.values():
                worker.close()
    rows = [
        {
            "page": page,
            "cache": cache,
            "label": label(page, cache),
            "systems": {
                key: summarise(
                    samples[key][(page, cache)]["page"],
                    samples[key][(page, cache)]["trivial"],
                    queries[key][(page, cache)],
                )
                for key in workers
            },
        }
        for page, cache in ROWS
    ]
    section = {
        "measured_at": common.now_iso(),
        "code": common.code_version(),
        "command": " ".join(
            ["python -m bench.peer", *(argv if argv is not None else sys.argv[1:])]
        ),
        "machine": machine,
        "rounds": options.rounds,
        "pairs": options.pairs,
        "course": {
            "modules": content.MODULES,
            "lessons_per_module": content.LESSONS_PER_MODULE,
            "lesson": f"lesson {content.MEASURED_LESSON} of module {content.MEASURED_MODULE}",
            "paragraph_blocks_per_lesson": content.BLOCKS,
        },
        "settings": (
            "DEBUG off, manifest static files, SQLite in a temporary folder, per-process "
            "memory cache; Fledge under bench.run's settings, wagtail-lms in Wagtail's "
            "project template with its production settings"
        ),
        "systems": {
            key: {
                "name": worker.label,
                "versions": worker.ready["versions"],
                "paths": worker.ready["paths"],
                "bytes": worker.ready["bytes"],
                "trivial_queries": trivial_queries[key],
                "settings": worker.ready["settings"],
            }
            for key, worker in workers.items()
        },
        "rows": rows,
        "seconds": round(time.perf_counter() - started, 1),
    }
    write(section)
    print_summary(section, SYSTEMS)
