"""Each app's wagtail_hooks.py only registers: the admin screens live in its admin modules."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# accessories registers nothing of its own: its leads' screens are in the staff layer's Leads menu.
@pytest.mark.parametrize("app", ["community", "events", "staff"])
def test_wagtail_hooks_stays_under_150_lines(app):
    lines = (ROOT / app / "wagtail_hooks.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"{app}/wagtail_hooks.py has {len(lines)} lines; move screens out"
