"""Fixtures of the browser tests (``page`` and ``browser`` are in tests/conftest.py)."""

import pytest


@pytest.fixture
def staff_page(browser, request):
    """A second browser context for staff, apart from the member's (``page``); on failure a
    screenshot goes to test-results/."""
    from tests.conftest import _test_failed
    from tests.support.browser import DEFAULT_TIMEOUT_MS, VIEWPORT, screenshot_path

    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    try:
        if _test_failed(request.node):
            path = screenshot_path(f"{request.node.nodeid}-staff")
            path.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(path), full_page=True)
            print(f"Screenshot of the staff page: {path}")
    finally:
        context.close()
