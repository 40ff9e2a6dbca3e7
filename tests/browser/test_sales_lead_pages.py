"""The sales lead pages in Chromium: a member asks what their car is worth, tells the sales team
about their next car after an event, and asks for a test drive on an event page. Each page is
loaded at 390 px and 1280 px, must fit the screen with 24 px targets (``tests/support/layout``),
and is saved to test-results/sales-leads-<page>-<width>.png for a look."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import RESULTS_DIR, log_in
from tests.support.layout import layout_problems

pytestmark = pytest.mark.browser

WIDTHS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}


def look(tab, name: str) -> None:
    """At each width: the page fits and its targets are big enough; a screenshot for people."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for width, viewport in WIDTHS.items():
        tab.set_viewport_size(viewport)
        assert layout_problems(tab) == [], f"{name} at {width} px"
        tab.screenshot(path=str(RESULTS_DIR / f"sales-leads-{name}-{width}.png"), full_page=True)
    tab.set_viewport_size(WIDTHS["1280"])


@pytest.fixture
def scene(live_server, site_tree, cooper_s):
    """Sam with a 2019 Cooper S, an upcoming launch offering Countryman drives, and a past meet
    Sam went to."""
    from django.utils import timezone

    from events.models import Rsvp
    from tests.factories import CarFactory, CarModelFactory, MemberFactory, make_event

    member = MemberFactory(display_name="Sam Porter", first_name="Sam", last_name="Porter")
    car = CarFactory(owner=member, car_model=cooper_s, year=2019, trim="")
    countryman = CarModelFactory(make="MINI", name="Countryman")
    launch = make_event("Countryman launch evening")
    launch.test_drive_models.set([countryman])
    launch.save_revision().publish()
    meet = make_event("Cars & Coffee on the Quay", days_ahead=-14)
    Rsvp.objects.create(
        event=meet,
        member=member,
        answer=Rsvp.Answer.GOING,
        state=Rsvp.State.CONFIRMED,
        confirmed_at=timezone.now() - timedelta(days=20),
    )
    return {"member": member, "car": car, "launch": launch, "meet": meet}


def test_member_asks_what_their_car_is_worth(page, live_server, scene):
    from community.models import SalesLead

    log_in(page, live_server.url, scene["member"])
    page.get_by_role("link", name="What is it worth?").click()
    expect(page.get_by_role("heading", name="What is my 2019 MINI Cooper S worth?")).to_be_visible()
    look(page, "car-worth")
    page.get_by_role("button", name="Ask for a valuation").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    look(page, "car-worth-errors")
    page.get_by_label("Mileage").fill("42000")
    page.get_by_label("Good: the usual marks of use").check()
    page.get_by_role("button", name="Ask for a valuation").click()
    expect(page.locator(".message--success")).to_contain_text(
        "we'll be in touch about what your 2019 MINI Cooper S is worth"
    )
    assert SalesLead.objects.get().kind == SalesLead.Kind.TRADE_IN


def test_member_tells_the_sales_team_about_their_next_car_after_an_event(page, live_server, scene):
    from community.models import SalesLead

    log_in(page, live_server.url, scene["member"])
    page.goto(f"{live_server.url}{scene['meet'].url}")
    box = page.locator(".next-car-prompt")
    expect(box).to_contain_text("Thinking about your next car?")
    look(page, "event-after")
    box.get_by_role("link", name="Tell us").click()
    expect(page).to_have_url(re.compile(rf"{reverse('community:next_car')}\?from="))
    look(page, "next-car")
    page.get_by_label("MINI Countryman").check()
    page.get_by_label("In 3 to 6 months").check()
    page.get_by_role("button", name="Tell the sales team").click()
    expect(page.locator(".message--success")).to_contain_text("about your next car")
    lead = SalesLead.objects.get()
    assert (lead.kind, lead.page_id) == (SalesLead.Kind.NEXT_CAR, scene["meet"].pk)


def test_member_asks_for_a_test_drive_on_the_event_page(page, live_server, scene):
    from community.models import SalesLead

    log_in(page, live_server.url, scene["member"])
    page.goto(f"{live_server.url}{scene['launch'].url}")
    section = page.locator("#test-drive")
    expect(section).to_contain_text("Drive the new MINI Countryman at Countryman launch evening")
    expect(section.get_by_label("MINI Countryman")).to_be_checked()
    look(page, "event-test-drive")
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        section.screenshot(path=str(RESULTS_DIR / f"sales-leads-test-drive-section-{width}.png"))
    page.set_viewport_size(WIDTHS["1280"])
    page.goto(f"{live_server.url}{reverse('events:test_drive', args=[scene['launch'].pk])}")
    look(page, "test-drive-form")
    page.goto(f"{live_server.url}{reverse('community:garage')}")
    look(page, "garage")
    page.goto(f"{live_server.url}{scene['launch'].url}")
    page.get_by_role("button", name="Ask for a test drive").click()
    expect(page.locator(".message--success")).to_contain_text(
        "book your drive of the MINI Countryman"
    )
    assert SalesLead.objects.get().kind == SalesLead.Kind.TEST_DRIVE
