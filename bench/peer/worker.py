"""A measuring worker: ``python -m bench.peer.worker fledge|lms``, started by the driver
(:mod:`bench.peer.cli`) in the system's own virtualenv with the system's settings in its
environment. It builds the course, then answers one JSON command a line on stdin with
one JSON answer a line on stdout:

- ``{"op": "batch", "page": "course", "cold": false, "pairs": 5}`` → ``{"trivial":
  [ms, …], "page": [ms, …]}`` (see :meth:`bench.peer.sites.Measurer.batch`);
- ``{"op": "queries", "page": "lesson", "cold": true}`` → ``{"queries": [sql, …]}``;
- ``{"op": "quit"}`` → ``{}``, and the worker exits.

The first line it writes is ``{"ready": …}`` with its versions, paths and page sizes;
an answer ``{"error": …}`` means the command failed. Anything else the process prints
goes to stderr, so it cannot break the protocol.
"""

import argparse
import contextlib
import importlib
import json
import os
import sys
import time
from importlib.metadata import PackageNotFoundError, version

import django
from django.conf import settings

from .. import common

SYSTEMS = ("fledge", "lms")
LMS_SETTINGS = "bench.peer.lms_project.settings"


def _setup(system: str) -> None:
    if system == "fledge":
        # The driver sets DATABASE_URL and bench.run's settings in the environment.
        common.setup_django(os.environ["DATABASE_URL"])
        return
    os.environ["DJANGO_SETTINGS_MODULE"] = LMS_SETTINGS
    django.setup()


def _versions() -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for name in ("Django", "wagtail", "wagtail-lms"):
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peer.worker")
    parser.add_argument("system", choices=SYSTEMS)
    system = parser.parse_args(argv).system
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def send(answer: dict) -> None:
        protocol.write(json.dumps(answer) + "\n")

    started = time.perf_counter()
    _setup(system)
    # Only now: the modules below import models, which need Django set up.
    sites = importlib.import_module("bench.peer.sites")
    prepared = importlib.import_module(f"bench.peer.{system}_site").prepare()
    measurer = sites.Measurer(prepared)
    send(
        {
            "ready": True,
            "versions": _versions(),
            "paths": prepared.paths,
            "bytes": measurer.check(),
            "settings": {
                "debug": settings.DEBUG,
                "cache": settings.CACHES["default"]["BACKEND"],
                "sessions": settings.SESSION_ENGINE,
                "database": settings.DATABASES["default"]["ENGINE"],
                "middleware": len(settings.MIDDLEWARE),
            },
            "setup_seconds": round(time.perf_counter() - started, 1),
        }
    )
    for line in sys.stdin:
        command = json.loads(line)
        op = command.get("op")
        try:
            if op == "batch":
                answer = measurer.batch(command["page"], command["cold"], command["pairs"])
            elif op == "queries":
                answer = {"queries": measurer.queries(command["page"], command["cold"])}
            elif op == "quit":
                send({})
                return
            else:
                answer = {"error": f"unknown command {op!r}"}
        except Exception as error:  # noqa: BLE001 - reported to the driver, which stops
            answer = {"error": f"{type(error).__name__}: {error}"}
        send(answer)


if __name__ == "__main__":
    main()
