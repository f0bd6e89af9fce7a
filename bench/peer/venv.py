"""The throwaway virtualenv ``bench/.peer-venv`` (git-ignored) for wagtail-lms, with
the same Django and Wagtail releases as Fledge's, so the frameworks under both are one
and the same code and only the applications differ."""

import json
import subprocess
import sys
from importlib.metadata import version

from .. import common

PEER_VENV = common.BENCH_DIR / ".peer-venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
WAGTAIL_LMS = "wagtail-lms==0.11.1"
#: Written when the install has finished: what was asked for (a half-made or outdated
#: virtualenv is made again).
MARKER = PEER_VENV / ".bench-peer.json"


def requirements() -> list[str]:
    """wagtail-lms 0.11.1 (it supports Django 4.2–6.1 and Wagtail 6.0–8.0) on Fledge's
    own Django and Wagtail releases."""
    return [WAGTAIL_LMS, f"Django=={version('Django')}", f"wagtail=={version('wagtail')}"]


def ensure(*, reinstall: bool = False) -> str:
    """The peer virtualenv's interpreter, creating the virtualenv first when it is
    missing, half-made, or was made for other releases."""
    wanted = requirements()
    try:
        done = json.loads(MARKER.read_text())
    except (OSError, ValueError):
        done = None
    if done == wanted and PEER_PYTHON.exists() and not reinstall:
        return str(PEER_PYTHON)
    common.log(f"== {PEER_VENV.relative_to(common.ROOT)}: {' '.join(wanted)}")
    MARKER.unlink(missing_ok=True)
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "venv", "--clear", str(PEER_VENV)], check=True
    )
    subprocess.run(  # noqa: S603 - the virtualenv's pip, from the package index
        [str(PEER_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + wanted,
        check=True,
    )
    MARKER.write_text(json.dumps(wanted))
    return str(PEER_PYTHON)
