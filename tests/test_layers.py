"""The apps' layers hold: `make lint` runs import-linter, and an upward import breaks it.

community <- events <- accessories: each app imports only those below it, and the project
package (site/, imported as ``paddock``) imports no app. The contracts live in pyproject.toml.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# Folder -> the package it is imported as.
PACKAGES = {
    "site": "paddock",
    "community": "community",
    "events": "events",
    "accessories": "accessories",
}


@pytest.fixture
def scratch(tmp_path):
    """A copy of the apps and pyproject.toml that import-linter reads instead of the real ones."""
    for folder, package in PACKAGES.items():
        shutil.copytree(
            ROOT / folder, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _add_import_inside_a_function(path: Path, statement: str) -> None:
    with path.open("a", encoding="utf-8") as module:
        module.write(f"\n\ndef _scratch_only():\n    {statement}\n")


def test_the_apps_keep_their_layers(scratch):
    result = lint_imports(scratch)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_inside_a_function_breaks_the_layers(scratch):
    _add_import_inside_a_function(
        scratch / "community" / "selectors.py", "from events.models import EventPage"
    )
    result = lint_imports(scratch)
    assert result.returncode == 1
    assert "community is not allowed to import events" in result.stdout


def test_the_project_package_importing_an_app_breaks_its_contract(scratch):
    _add_import_inside_a_function(
        scratch / "paddock" / "page_cache.py", "from community.models import Member"
    )
    result = lint_imports(scratch)
    assert result.returncode == 1
    assert "paddock is not allowed to import community" in result.stdout
