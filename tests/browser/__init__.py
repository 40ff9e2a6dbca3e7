"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""
