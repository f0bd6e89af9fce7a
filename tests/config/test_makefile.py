"""``make run`` serves where HOST and PORT say, and absolute links follow it.

The calendar link, the certificate's QR code and verification URL and the links in
emails are built on ``WAGTAILADMIN_BASE_URL``; ``make run`` (and the ``load_demo`` it
runs, which renders the demo certificate) pass it as ``http://$(HOST):$(PORT)``
unless it is set.
"""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="GNU make is not installed")

#: Prints the absolute URLs features build (one helper, base.links), with the settings of
#: the environment.
PROBE = """
import django
django.setup()
from certificates.rendering import verification_url
from base.links import absolute_url
print(verification_url("CODE"), absolute_url("/compliance/calendar/t.ics"), absolute_url("/x/"))
"""


def dry_run(*args: str, **env: str) -> list[str]:
    """The commands ``make -n`` would run, with the environment given (and no
    WAGTAILADMIN_BASE_URL or make flags from the one running the tests)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k != "WAGTAILADMIN_BASE_URL" and not k.startswith(("MAKE", "MFLAGS"))
    }
    result = subprocess.run(  # noqa: S603 - fixed command
        [MAKE, "-n", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def command(lines: list[str], needle: str) -> list[str]:
    [line] = [line for line in lines if needle in line]
    return shlex.split(line)


def environment_of(words: list[str]) -> dict[str, str]:
    """The ``NAME=value`` words in front of a command."""
    env = {}
    for word in words:
        name, equals, value = word.partition("=")
        if not equals or not name.isidentifier():
            break
        env[name] = value
    return env


def test_port_reaches_runserver_and_the_base_url_of_runserver_and_load_demo():
    lines = dry_run("run", "PORT=8101")
    runserver = command(lines, "manage.py runserver")
    load_demo = command(lines, "manage.py load_demo")
    assert runserver[-1] == "127.0.0.1:8101"
    for words in (runserver, load_demo):
        assert environment_of(words)["WAGTAILADMIN_BASE_URL"] == "http://127.0.0.1:8101"


def test_host_and_port_together():
    runserver = command(dry_run("run", "HOST=localhost", "PORT=9000"), "runserver")
    assert runserver[-1] == "localhost:9000"
    assert environment_of(runserver)["WAGTAILADMIN_BASE_URL"] == "http://localhost:9000"


@pytest.mark.parametrize("how", ["environment", "command line"])
def test_a_base_url_the_user_set_wins(how):
    url = "https://learn.example.org"
    if how == "environment":
        lines = dry_run("run", "PORT=8101", WAGTAILADMIN_BASE_URL=url)
    else:
        lines = dry_run("run", "PORT=8101", f"WAGTAILADMIN_BASE_URL={url}")
    for needle in ("runserver", "load_demo"):
        assert environment_of(command(lines, needle))["WAGTAILADMIN_BASE_URL"] == url


def test_the_links_built_by_the_served_site_carry_the_port():
    """End to end: the environment ``make run PORT=8101`` gives runserver, read by the
    settings, makes the verification, calendar and email links."""
    env = environment_of(command(dry_run("run", "PORT=8101"), "runserver"))
    clean = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    verification, calendar, email = result.stdout.split()
    assert verification == "http://127.0.0.1:8101/certificates/verify/CODE/"
    assert calendar == "http://127.0.0.1:8101/compliance/calendar/t.ics"
    assert email == "http://127.0.0.1:8101/x/"
