"""Every page a member or visitor sees holds up on a phone (390 px) and on a desktop (1280 px).

On the full demo content, in Chromium, each page kind is loaded at both widths and fails when the
document is wider than the viewport or a tap target is under 24 px (``tests/support/layout.py``);
at phone width axe must also find nothing serious (``test_accessibility.py`` covers 1280 px).
Then what the phone layout promises: the cover art and the title never overlap, and a member
sees "Are you coming?" on an event page without scrolling.

The demo is seeded once for the module by ``test_accessibility``'s ``demo_site`` fixture (see its
docstring: it seeds, serves and puts the database back as it found it).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tests.browser import test_accessibility as a11y
from tests.browser.test_accessibility import BLOCKING_IMPACTS, MEMBER, ORGANISER, describe, log_in
from tests.support.layout import layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The demo seeded once for this module, and its media served (fixtures of test_accessibility).
demo_media = a11y.demo_media
demo_site = a11y.demo_site
_demo_media_root = a11y._demo_media_root

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"390": PHONE, "1280": DESKTOP}


@pytest.fixture(scope="module")
def paths(demo_site, django_db_blocker):
    """The demo's addresses, with the member pages ``test_accessibility`` does not visit."""
    from django.urls import reverse

    from community.models import Car, CarModel, ClubPage
    from events.models import EventPage

    with django_db_blocker.unblock():
        private_club = ClubPage.objects.get(slug="track-day-crew").url
        car = Car.objects.filter(owner__email=MEMBER).order_by("pk").first()
        # Test drives on the coffee morning, so the member's event page shows that section too.
        coffee = EventPage.objects.get(slug="cars-and-coffee-on-the-quay")
        coffee.test_drive_models.set(CarModel.objects.filter(last_year__isnull=True)[:2])
        coffee.save_revision().publish()
    return {
        **demo_site.paths,
        "private_club": private_club,
        "account_email": reverse("account_email"),
        "password_change": reverse("account_change_password"),
        "car_worth": reverse("community:car_worth", args=[car.pk]),
        "next_car": reverse("community:next_car"),
        "test_drive": reverse("events:test_drive", args=[coffee.pk]),
    }


# (test id, who, page)
PAGES = [
    ("home", None, "home"),
    ("clubs_index", None, "clubs_index"),
    ("club_page", None, "club"),
    ("events_index", None, "events_index"),
    ("event_page", None, "event"),
    ("post_story", None, "post_story"),
    ("post_album", None, "post_album"),
    ("showcase_page", None, "showcase"),
    ("accessories_index", None, "accessories_index"),
    ("accessory_page", None, "accessory"),
    ("profile", None, "profile"),
    ("sign_in", None, "login"),
    ("join", None, "signup"),
    ("password_reset", None, "password_reset"),
    ("not_found", None, "not_found"),
    ("member_home", MEMBER, "home"),
    ("member_community_feed", MEMBER, "feed"),
    ("member_club_page", MEMBER, "club"),
    ("organiser_private_club", ORGANISER, "private_club"),
    ("member_events_index", MEMBER, "events_index"),
    ("member_event_page", MEMBER, "event"),
    ("member_event_track_day", MEMBER, "event_track_day"),
    ("member_event_series_date", MEMBER, "event_series"),
    ("member_post_story", MEMBER, "post_story"),
    ("member_showcase_page", MEMBER, "showcase"),
    ("member_accessory_page", MEMBER, "accessory"),
    ("member_garage", MEMBER, "garage"),
    ("member_car_add", MEMBER, "car_add"),
    ("member_car_worth", MEMBER, "car_worth"),
    ("member_next_car", MEMBER, "next_car"),
    ("member_test_drive", MEMBER, "test_drive"),
    ("member_profile", MEMBER, "profile"),
    ("member_account_settings", MEMBER, "account_settings"),
    ("member_account_email", MEMBER, "account_email"),
    ("member_password_change", MEMBER, "password_change"),
    ("member_my_events", MEMBER, "my_events"),
    ("member_not_found", MEMBER, "not_found"),
]


@pytest.fixture(scope="module")
def signed_in(browser, demo_site):
    """One browser context per person, signed in once for the whole module (a sign-in per test
    would double the module's time); visitors get a context of their own."""
    from tests.support.browser import DEFAULT_TIMEOUT_MS

    contexts = {}

    def context_for(who):
        if who not in contexts:
            context = browser.new_context(viewport=DESKTOP)
            context.set_default_timeout(DEFAULT_TIMEOUT_MS)
            if who:
                tab = context.new_page()
                log_in(tab, demo_site, who)
                tab.close()
            contexts[who] = context
        return contexts[who]

    yield context_for
    for context in contexts.values():
        context.close()


@pytest.fixture
def tab(request):
    """A tab of the right person's context (see ``signed_in``), closed after the test, with a
    screenshot in test-results/ when the test failed."""
    from tests.conftest import _test_failed
    from tests.support.browser import screenshot_path

    tabs = []

    def new_tab(context):
        tabs.append(context.new_page())
        return tabs[-1]

    yield new_tab
    for each in tabs:
        if os.environ.get("PADDOCK_SCREENSHOTS"):  # every page, to look at: PADDOCK_SCREENSHOTS=1
            path = screenshot_path(request.node.nodeid)
            path.parent.mkdir(parents=True, exist_ok=True)
            each.screenshot(path=str(path), full_page=True)
        elif _test_failed(request.node):
            path = screenshot_path(request.node.nodeid)
            path.parent.mkdir(parents=True, exist_ok=True)
            each.screenshot(path=str(path), full_page=True)
            print(f"Screenshot of the failing page: {path}")
        each.close()


def open_page(tab, signed_in, demo_site, paths, who, name, viewport):
    page = tab(signed_in(who))
    page.set_viewport_size(viewport)
    response = page.goto(demo_site.url + paths[name])
    assert response.status == (404 if name == "not_found" else 200), page.url
    assert urlsplit(page.url).path == paths[name], "redirected (not signed in?)"
    return page


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("who", "name"), [pytest.param(w, n, id=i) for i, w, n in PAGES])
def test_page_fits_the_screen_with_24px_targets(tab, signed_in, demo_site, paths, who, name, width):
    page = open_page(tab, signed_in, demo_site, paths, who, name, WIDTHS[width])
    problems = layout_problems(page)
    assert not problems, f"{page.url} at {width} px:\n" + "\n".join(problems)


@pytest.mark.parametrize(("who", "name"), [pytest.param(w, n, id=i) for i, w, n in PAGES])
def test_page_on_a_phone_has_no_serious_axe_violations(tab, signed_in, demo_site, paths, who, name):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(tab, signed_in, demo_site, paths, who, name, PHONE)
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {page.url}:\n" + "\n".join(describe(v) for v in blocking)


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", ["event", "club", "showcase"])
def test_page_title_never_sits_on_the_cover_art(tab, signed_in, demo_site, paths, name, width):
    page = open_page(tab, signed_in, demo_site, paths, None, name, WIDTHS[width])
    art = page.locator(".hero__art").bounding_box()
    assert art and art["height"] > 100, "the cover art is shown"
    parts = page.locator(".hero__content > *")
    assert parts.count() >= 2, "eyebrow and title at least"
    for i in range(parts.count()):
        box = parts.nth(i).bounding_box()
        assert not _overlap(art, box), f"{parts.nth(i).inner_text()!r} overlaps the cover art"


def test_member_on_a_phone_sees_are_you_coming_without_scrolling(tab, signed_in, demo_site, paths):
    page = open_page(tab, signed_in, demo_site, paths, MEMBER, "event", PHONE)
    heading = page.get_by_role("heading", name="Are you coming?").bounding_box()
    assert heading["y"] + heading["height"] <= PHONE["height"]


def test_radio_buttons_are_24px_on_a_phone(tab, signed_in, demo_site, paths):
    page = open_page(tab, signed_in, demo_site, paths, MEMBER, "event", PHONE)
    radio = page.get_by_role("radio", name="Maybe").bounding_box()
    assert radio["width"] >= 24 and radio["height"] >= 24
