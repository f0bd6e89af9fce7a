"""The layers of shared/DESIGN.md are a contract (``[tool.importlinter]`` in
pyproject.toml) that ``make test`` checks: these tests prove it holds today and that a
back-arrow would break it."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent))

pytestmark = pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(  # noqa: S603 - the venv's lint-imports, fixed arguments
        [LINT_IMPORTS, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_project_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("home", "catalog"),
        ("catalog", "lessons"),
        ("lessons", "learner"),
        ("compliance", "certificates"),
    ],
)
def test_a_back_arrow_breaks_the_contract(tmp_path, importer, imported):
    """The same contract over empty packages, one of which imports a higher layer."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    config = (ROOT / "pyproject.toml").read_text()
    packages = re.search(r"root_packages = \[(.*?)\]", config).group(1)
    for name in re.findall(r'"(\w+)"', packages):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / importer / "__init__.py").write_text(f"import {imported}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert f"{importer} is not allowed to import {imported}" in result.stdout
