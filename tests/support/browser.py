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
