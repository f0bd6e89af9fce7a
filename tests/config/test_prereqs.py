"""``scripts/check_prereqs.py`` and ``make prereqs``: what a fresh machine lacks is named,
with one install command per platform, before anything is built; a half-made
``.venv`` is removed so that make builds it again."""

import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_prereqs.py"
MAKE = shutil.which("make")


def load_script():
    spec = importlib.util.spec_from_file_location("check_prereqs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


prereqs = load_script()
requires_make = pytest.mark.skipif(MAKE is None, reason="GNU make is not installed")


def run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed interpreters and arguments
        args, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120, **kwargs
    )


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    return {**env, **extra}


def old_python(version: str) -> str | None:
    """An interpreter of that version: on PATH, or one pyenv keeps."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [shutil.which(f"python{version}"), *pyenv.glob(f"{version}.*/bin/python3")]
    for candidate in filter(None, candidates):
        if run([str(candidate), "--version"]).returncode == 0:
            return str(candidate)
    return None


def assert_install_help(output: str) -> None:
    for platform, command in prereqs.INSTALL_COMMANDS:
        assert re.search(rf"{re.escape(platform)}:\s+{re.escape(command)}$", output, re.M), output


class TestPython:
    def test_new_enough(self):
        assert prereqs.python_problem((3, 11, 0)) is None
        assert prereqs.python_problem((3, 13, 1)) is None

    def test_too_old_names_the_interpreter_and_its_version(self):
        problem = prereqs.python_problem((3, 10, 13), "/usr/bin/python3")
        assert problem == "Python 3.11 or newer (/usr/bin/python3 is 3.10.13)"

    @pytest.mark.parametrize("version", ["3.6", "3.9", "3.10"])
    def test_an_old_python_runs_the_script_and_hears_what_to_install(self, version):
        """The script parses on old Pythons, so they get the message, not a SyntaxError."""
        python = old_python(version)
        if python is None:
            pytest.skip(f"python{version} is not installed here")
        result = run([python, str(SCRIPT)])
        assert result.returncode == 1, result.stderr
        assert "Python 3.11 or newer" in result.stdout
        assert_install_help(result.stdout)

    def test_venv_without_ensurepip_is_debians_python3_venv(self):
        def find_spec(name):
            return None if name == "ensurepip" else object()

        problem = prereqs.venv_problem(find_spec=find_spec)
        assert "ensurepip missing" in problem
        assert "python3-venv" in problem
        assert prereqs.venv_problem(find_spec=lambda name: object()) is None

    def test_the_script_run_without_ensurepip_stops_with_the_install_lines(self, tmp_path):
        """Hide ``ensurepip`` the way Debian's python3 lacks it without python3-venv."""
        code = (
            "import runpy, sys; sys.modules['ensurepip'] = None; "
            f"sys.argv = [{str(SCRIPT)!r}, '--venv', {str(tmp_path / 'venv')!r}]; "
            f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')"
        )
        result = run([sys.executable, "-c", code])
        assert result.returncode == 1
        assert "python3-venv" in result.stdout
        assert_install_help(result.stdout)


class TestLibraries:
    def test_this_machine_has_pango_as_weasyprint_loads_it(self):
        assert prereqs.load_library(prereqs.PANGO)
        assert prereqs.load_library(prereqs.PANGOFT2)

    def test_an_unknown_library_is_not_found(self, tmp_path):
        assert prereqs.load_library(("libfledge-nothing-1.0.so.0",), [str(tmp_path)]) is None

    def test_missing_pango_is_a_problem_and_missing_harfbuzz_subset_a_note(self):
        problems, warnings = prereqs.library_problems(loader=lambda names, dirs=(): None)
        assert problems == [
            "Pango, which draws the certificate PDFs (libpango-1.0 and libpangoft2-1.0 not found)"
        ]
        [warning] = warnings
        assert "libharfbuzz-subset0" in warning

    def test_only_harfbuzz_subset_missing_does_not_stop_make(self):
        def loader(names, dirs=()):
            return None if names is prereqs.HARFBUZZ_SUBSET else names[0]

        problems, warnings = prereqs.library_problems(loader=loader)
        assert problems == []
        out = io.StringIO()
        assert prereqs.report(problems, warnings, out=out) == 0
        assert out.getvalue().startswith("Note: libharfbuzz-subset is missing")

    def test_homebrew_pango_the_macos_loader_cannot_see_gets_the_fix(self):
        def loader(names, dirs=()):
            return "/opt/homebrew/lib/" + names[-1] if dirs else None

        problems, _ = prereqs.library_problems(loader=loader, platform="darwin")
        assert all("DYLD_FALLBACK_LIBRARY_PATH=/opt/homebrew/lib" in p for p in problems)

    def test_report_lists_what_is_missing_and_one_line_per_platform(self):
        out = io.StringIO()
        assert prereqs.report(["Pango (libpango-1.0 not found)"], [], out=out) == 1
        assert "  - Pango (libpango-1.0 not found)" in out.getvalue()
        assert_install_help(out.getvalue())


class TestHalfMadeVenv:
    def test_a_venv_without_pip_is_removed(self, tmp_path):
        """What ``python3 -m venv`` leaves on Debian without python3-venv."""
        target = tmp_path / "venv"
        venv.create(target, with_pip=False)
        assert prereqs.venv_rebuild_reason(str(target)) == (
            "its Python is older than 3.11 or cannot import pip"
        )
        assert prereqs.main(["--venv", str(target)]) == 0
        assert not target.exists()

    def test_no_python_or_a_dangling_link_is_removed(self, tmp_path):
        target = tmp_path / "venv"
        (target / "bin").mkdir(parents=True)
        (target / "pyvenv.cfg").write_text("home = /usr/bin\n")
        assert prereqs.venv_rebuild_reason(str(target)) == "it has no working bin/python"
        (target / "bin" / "python").symlink_to(tmp_path / "removed-python3.11")
        assert prereqs.venv_rebuild_reason(str(target)) == "it has no working bin/python"
        assert prereqs.main(["--venv", str(target)]) == 0
        assert not target.exists()

    def test_a_first_install_that_never_finished_is_removed_a_good_venv_kept(self, tmp_path):
        target = tmp_path / "venv"
        venv.create(target, with_pip=True)
        assert prereqs.venv_rebuild_reason(str(target)) is None
        (target / ".installed").touch()
        (target / ".installing").touch()  # a later upgrade failed: pip retries it
        assert prereqs.main(["--venv", str(target)]) == 0
        assert target.exists()

        (target / ".installed").unlink()
        assert prereqs.venv_rebuild_reason(str(target)) == "its first install did not finish"
        assert prereqs.main(["--venv", str(target)]) == 0
        assert not target.exists()

    def test_a_folder_that_is_not_a_venv_is_never_deleted(self, tmp_path, capsys):
        target = tmp_path / "venv"
        target.mkdir()
        (target / "notes.txt").write_text("mine")
        assert prereqs.main(["--venv", str(target)]) == 1
        assert (target / "notes.txt").exists()
        assert "is not a virtualenv" in capsys.readouterr().out

    def test_a_missing_venv_is_fine(self, tmp_path):
        assert prereqs.main(["--venv", str(tmp_path / "venv")]) == 0


@requires_make
class TestMake:
    def test_no_python_on_path_says_so_with_the_install_lines(self):
        result = run([MAKE, "prereqs"], env=clean_env(PATH=str(ROOT / "no-such-bin")))
        assert result.returncode != 0
        assert "'python3' was not found" in result.stdout
        assert_install_help(result.stdout)

    def test_make_rebuilds_a_half_made_venv_before_looking_at_it(self, tmp_path):
        target = tmp_path / "venv"
        venv.create(target, with_pip=False)
        result = run([MAKE, "prereqs", f"VENV={target}"], env=clean_env())
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Removing the half-made" in result.stdout
        assert not target.exists()

    @pytest.mark.parametrize("goal", ["run", "test"])
    def test_run_and_test_check_before_they_create_the_venv(self, goal, tmp_path):
        result = run(
            [MAKE, "-n", goal, f"VENV={tmp_path / 'venv'}", "PYTHON=python3"], env=clean_env()
        )
        lines = result.stdout.splitlines()
        check = next(i for i, line in enumerate(lines) if "check_prereqs.py" in line)
        create = next(i for i, line in enumerate(lines) if " -m venv " in line)
        assert check < create


def test_readme_makefile_and_script_give_the_same_install_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for _, command in prereqs.INSTALL_COMMANDS:
        assert command in readme
        assert command in makefile
