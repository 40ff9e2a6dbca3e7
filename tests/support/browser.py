"""Launching Debian's Chromium through Playwright (never `playwright install`)."""

from __future__ import annotations

import re
from pathlib import Path

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
DEFAULT_TIMEOUT_MS = 10_000
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


def launch_chromium(playwright):
    """A headless Chromium from Debian's package, driven by ``playwright.sync_api``."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS
    )


def screenshot_path(nodeid: str) -> Path:
    """test-results/<test id made file-safe>.png"""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    return RESULTS_DIR / f"{name}.png"


MEMBER_PASSWORD = "correct-horse-battery"  # tests.factories.MemberFactory's


def log_in(tab, base_url: str, member, *, password: str = MEMBER_PASSWORD) -> None:
    """Sign in on the site's login page; members land on their garage, staff on the admin."""
    from django.urls import reverse
    from playwright.sync_api import expect

    tab.goto(f"{base_url}{reverse('account_login')}")
    tab.get_by_label("Email").fill(member.email)
    tab.get_by_label("Password", exact=True).fill(password)
    tab.get_by_role("button", name=re.compile(r"sign in|log in", re.I)).click()
    expect(tab).to_have_url(re.compile(r"/admin/$" if member.is_staff else r"/garage/$"))


def admin_log_in(tab, base_url: str, staff, *, password: str = MEMBER_PASSWORD) -> None:
    """Sign in on the Wagtail admin's login page; staff land on the dashboard."""
    from playwright.sync_api import expect

    tab.goto(f"{base_url}/admin/login/")
    tab.get_by_label("Email").fill(staff.email)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name=re.compile(r"sign in", re.I)).click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
