# The system Python may be old: keep str.format and stdout=PIPE (3.6 parses this file).
# ruff: noqa: UP022, UP032
"""Check what ``make run`` and ``make test`` need before they build anything.

Run by the Makefile with the system's Python, before the virtualenv exists::

    python3 scripts/check_prereqs.py --venv .venv

It needs nothing but the standard library and parses on old Pythons (3.6 and later,
hence no type hints and no newer syntax), so that an old ``python3`` hears that it is
too old instead of failing with a syntax error. It checks:

- Python 3.11 or newer, with the ``venv`` module able to install pip (``ensurepip``;
  Debian and Ubuntu ship it apart, as ``python3-venv``);
- Pango, which WeasyPrint draws certificate PDFs with (``libpango-1.0``,
  ``libpangoft2-1.0``), found the way WeasyPrint loads it; HarfBuzz's subsetting
  library (``libharfbuzz-subset``) only warns: without it fonts are subset in Python,
  more slowly.

When something is missing it says what, prints the one install command for
Debian/Ubuntu, Fedora and macOS, and exits with status 1. With ``--venv`` it then
looks at the virtualenv: a half-made one (no ``bin/python``, a Python that cannot
import pip or is too old, or an install that started and never finished) is removed so
that make builds it again.
"""

import argparse
import ctypes
import ctypes.util
import importlib.util
import os
import shutil
import subprocess
import sys

MINIMUM_PYTHON = (3, 11)

#: The one command per platform that installs everything a fresh machine lacks. The
#: README's set-up and the Makefile's "python3 not found" message repeat these lines
#: (a test keeps the three in step).
INSTALL_COMMANDS = (
    (
        "Debian/Ubuntu",
        "sudo apt-get install python3 python3-venv make"
        " libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
    ),
    ("Fedora", "sudo dnf install python3 make pango"),
    ("macOS", "brew install python pango"),
)

#: Library names to try, as WeasyPrint tries them (``weasyprint/text/ffi.py``).
PANGO = ("pango-1.0", "libpango-1.0-0", "libpango-1.0.so.0", "libpango-1.0.dylib")
PANGOFT2 = (
    "pangoft2-1.0",
    "libpangoft2-1.0-0",
    "libpangoft2-1.0.so.0",
    "libpangoft2-1.0.dylib",
)
HARFBUZZ_SUBSET = (
    "harfbuzz-subset",
    "libharfbuzz-subset-0",
    "libharfbuzz-subset.so.0",
    "libharfbuzz-subset.0.dylib",
)
#: Where Homebrew keeps libraries (Apple silicon, then Intel); the macOS loader does
#: not look in the first one unless told to.
HOMEBREW_LIB_DIRS = ("/opt/homebrew/lib", "/usr/local/lib")

#: Written by the Makefile before ``pip install`` and removed after it succeeds.
INSTALLING_MARKER = ".installing"
INSTALLED_MARKER = ".installed"


def python_problem(version=None, executable=None):
    """Why this Python will not do, or None.

    >>> python_problem((3, 11, 2)) is None
    True
    >>> python_problem((3, 9, 6), "/usr/bin/python3")
    'Python 3.11 or newer (/usr/bin/python3 is 3.9.6)'
    """
    version = tuple(version or sys.version_info[:3])
    if version[:2] >= MINIMUM_PYTHON:
        return None
    return "Python {}.{} or newer ({} is {})".format(
        MINIMUM_PYTHON[0],
        MINIMUM_PYTHON[1],
        executable or sys.executable,
        ".".join(str(part) for part in version[:3]),
    )


def venv_problem(find_spec=importlib.util.find_spec):
    """Why ``python -m venv`` would fail, or None. Debian's python3 has ``venv`` but
    not ``ensurepip``, so the venv is created without pip and the install fails."""
    missing = [name for name in ("venv", "ensurepip") if find_spec(name) is None]
    if not missing:
        return None
    return "Python's venv module with pip ({} missing; on Debian/Ubuntu: python3-venv)".format(
        " and ".join(missing)
    )


def load_library(names, search_dirs=()):
    """The path or name a library loaded from, or None.

    Tries each name through ``ctypes.util.find_library`` and the system loader, as
    WeasyPrint does, then each name inside ``search_dirs``.
    """
    candidates = []
    for name in names:
        found = ctypes.util.find_library(name)
        if found:
            candidates.append(found)
        candidates.append(name)
    for directory in search_dirs:
        candidates.extend(os.path.join(directory, name) for name in names if "." in name)
    for candidate in candidates:
        try:
            ctypes.CDLL(candidate)
        except OSError:
            continue
        return candidate
    return None


def library_problems(loader=load_library, platform=None):
    """Problems with the libraries WeasyPrint needs, and warnings about optional ones:
    ``(problems, warnings)``."""
    platform = platform or sys.platform
    problems, warnings, missing = [], [], []
    for label, names in (("libpango-1.0", PANGO), ("libpangoft2-1.0", PANGOFT2)):
        if loader(names):
            continue
        if platform == "darwin" and loader(names, HOMEBREW_LIB_DIRS):
            problems.append(
                "{} is installed but the loader does not look there: add"
                " `export DYLD_FALLBACK_LIBRARY_PATH=/opt/homebrew/lib` to your"
                " shell profile".format(label)
            )
        else:
            missing.append(label)
    if missing:
        problems.append(
            "Pango, which draws the certificate PDFs ({} not found)".format(" and ".join(missing))
        )
    if not loader(HARFBUZZ_SUBSET):
        warnings.append(
            "libharfbuzz-subset is missing: certificate PDFs still work, with slower"
            " font subsetting (Debian/Ubuntu: libharfbuzz-subset0)"
        )
    return problems, warnings


def other_pythons(minimum=MINIMUM_PYTHON):
    """``python3.X`` commands on PATH that are new enough, newest first."""
    names = ["python3.{}".format(minor) for minor in range(20, minimum[1] - 1, -1)]
    return [name for name in names if shutil.which(name)]


def venv_rebuild_reason(venv):
    """Why the virtualenv at ``venv`` is half-made and must be built again, or None
    (also None when it does not exist yet)."""
    if not os.path.isdir(venv):
        return None
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):  # also a dangling link to a removed Python
        return "it has no working bin/python"
    try:
        result = subprocess.run(  # noqa: S603 - the venv's own interpreter
            [python, "-c", "import sys, pip; sys.exit(sys.version_info < (3, 11))"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    except OSError:
        return "its bin/python does not run"
    except subprocess.TimeoutExpired:
        return "its bin/python does not answer"
    if result.returncode:
        return "its Python is older than 3.11 or cannot import pip"
    if os.path.exists(os.path.join(venv, INSTALLING_MARKER)) and not os.path.exists(
        os.path.join(venv, INSTALLED_MARKER)
    ):
        return "its first install did not finish"
    return None


def looks_like_venv(venv):
    """Whether ``venv`` is safe to delete: a virtualenv, or the empty folders that
    ``python -m venv`` creates before it writes anything."""
    if os.path.exists(os.path.join(venv, "pyvenv.cfg")):
        return True
    return set(os.listdir(venv)) <= {"bin", "include", "lib", "lib64", INSTALLING_MARKER}


def install_lines():
    width = max(len(platform) for platform, _ in INSTALL_COMMANDS) + 1
    return [
        "  {} {}".format((platform + ":").ljust(width), command)
        for platform, command in INSTALL_COMMANDS
    ]


def report(problems, warnings, out=sys.stdout):
    """Print the warnings and, when something is missing, what and how to install it;
    returns the exit status."""
    if problems:
        print("Fledge needs these first, and this machine lacks them:", file=out)
        for problem in problems:
            print("  - " + problem, file=out)
        print("Install them with the one command for your system, then run make again:", file=out)
        for line in install_lines():
            print(line, file=out)
    for warning in warnings:
        print("Note: " + warning, file=out)
    return 1 if problems else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", help="the virtualenv make builds; rebuilt when half-made")
    args = parser.parse_args(argv)

    problems = []
    too_old = python_problem()
    if too_old:
        newer = other_pythons()
        if newer:
            too_old += "; {0} is here too: make run PYTHON={0}".format(newer[0])
        problems.append(too_old)
    else:
        venv = venv_problem()
        if venv:
            problems.append(venv)
    library, warnings = library_problems()
    problems.extend(library)
    status = report(problems, warnings)
    if status or not args.venv:
        return status

    reason = venv_rebuild_reason(args.venv)
    if reason is None:
        return 0
    if not looks_like_venv(args.venv):
        print(
            "{} exists but is not a virtualenv ({}): move it away or set VENV=".format(
                args.venv, reason
            ),
            file=sys.stdout,
        )
        return 1
    print("Removing the half-made {} ({}); building it again.".format(args.venv, reason))
    shutil.rmtree(args.venv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
