"""A visitor's accessory page from the page cache, in Chromium, on the site served as in
production (gunicorn with the production settings and Redis, a Celery worker, behind a TLS
proxy: tests/support/served.py): the page is a cache hit with no CSRF token in it; the visitor
fills in the lead form, paddock.js fetches a token from /csrf/, and the lead arrives. Without
JavaScript the form comes back, kept, saying "Please send again", and the second send arrives.
Screenshots of the page with the form and of the fallback at 390 and 1280 px go to
test-results/."""

import re
import ssl
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.support.browser import DEFAULT_TIMEOUT_MS, RESULTS_DIR, VIEWPORT

# transaction=True: the served processes read what the test writes.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

WIDTHS = (390, 1280)
TIMEOUT_MS = 2 * DEFAULT_TIMEOUT_MS  # three served processes share the machine with Chromium


@pytest.fixture
def _django_db_helper(django_db_setup, django_db_blocker):
    """The served processes cache content type ids, which a flush renumbers: the module's tests
    share the database, and ``served`` flushes it once, after the last test (as in
    test_mail_links.py)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tests.conftest import ensure_site_tree
    from tests.support.served import database_url, served_site
    from tests.support.smtp import SMTPListener

    cache = settings.CACHES["default"]
    with django_db_blocker.unblock():
        ensure_site_tree()
        try:
            with SMTPListener() as smtp:
                with served_site(
                    "production",
                    smtp=smtp,
                    database_url=database_url(connection.settings_dict),
                    redis_url=cache.get("LOCATION", ""),
                    cache_prefix=cache.get("KEY_PREFIX", ""),
                    scratch=tmp_path_factory.mktemp("served-cached-accessory"),
                ) as site:
                    yield site
        finally:
            call_command("flush", interactive=False, verbosity=0)


def _tab(browser, *, javascript: bool):
    context = browser.new_context(
        viewport=VIEWPORT, ignore_https_errors=True, java_script_enabled=javascript
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def visitor(browser):
    """A visitor's Chromium tab: no cookies, JavaScript on."""
    context = _tab(browser, javascript=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def visitor_without_script(browser):
    """A visitor's Chromium tab with JavaScript off."""
    context = _tab(browser, javascript=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def accessory(served):
    from tests.factories import make_accessory

    accessory = make_accessory("Carbon mirror caps", part_number="51 16 2 450 555")
    url = f"{served.url}{accessory.url}"
    # Another visitor opened it first: the page is in the cache now.
    context = ssl._create_unverified_context()
    with urllib.request.urlopen(url, timeout=60, context=context) as response:
        assert response.headers["X-Paddock-Cache"] in ("miss", "hit")
    return accessory, url


def screenshots(tab, name: str) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.mouse.wheel(0, -100_000)  # from the top: the sticky header stays where it belongs
        tab.screenshot(
            path=str(RESULTS_DIR / f"cached-accessory-{name}-{width}.png"), full_page=True
        )
    tab.set_viewport_size(VIEWPORT)


def fill_in(tab):
    form = tab.locator("form[data-lead-form]")
    form.get_by_label("Your name").fill("Alex Visitor")
    form.get_by_label("Your email").fill("alex@example.com")
    form.get_by_label("Your question or a note").fill("Do they fit the 2019 Clubman?")
    form.get_by_label(re.compile("The parts team may contact me")).check()
    return form


def test_visitor_on_a_cached_accessory_page_sends_a_lead_that_arrives(served, visitor, accessory):
    from accessories.models import Lead

    page, url = accessory
    response = visitor.goto(url)
    assert response.headers["x-paddock-cache"] == "hit"
    assert visitor.locator("[name=csrfmiddlewaretoken]").get_attribute("value") == ""
    form = fill_in(visitor)
    expect(form.locator("[name=csrfmiddlewaretoken]")).to_have_value(re.compile(r"^\w{64}$"))
    screenshots(visitor, "form")
    form.get_by_role("button", name="Send").click()

    expect(visitor.locator(".message--success")).to_contain_text("the parts team will answer you")
    lead = Lead.objects.get(accessory=page)
    assert (lead.name, lead.email, lead.member) == ("Alex Visitor", "alex@example.com", None)


def test_visitor_without_javascript_sends_again_and_the_lead_arrives(
    served, visitor_without_script, accessory
):
    from accessories.models import Lead

    visitor = visitor_without_script
    page, url = accessory
    assert visitor.goto(url).headers["x-paddock-cache"] == "hit"
    fill_in(visitor).get_by_role("button", name="Send").click()

    alert = visitor.locator(".lead-form [role=alert]")
    expect(alert).to_contain_text("Please send again")
    form = visitor.locator("form[data-lead-form]")
    expect(form.get_by_label("Your question or a note")).to_have_value(
        "Do they fit the 2019 Clubman?"
    )
    expect(form.get_by_label(re.compile("The parts team may contact me"))).to_be_checked()
    assert not Lead.objects.filter(accessory=page).exists()
    screenshots(visitor, "send-again")
    form.get_by_role("button", name="Send").click()

    expect(visitor.locator(".message--success")).to_contain_text("the parts team will answer you")
    assert Lead.objects.get(accessory=page).message == "Do they fit the 2019 Clubman?"
