"""A drive with a route in Chromium: the event page draws the route on the map (no tile server in
tests, so this is the route drawn without tiles), numbers the stops with their times and gives the
distance, at a phone's width and a desktop's; a member's confirmation mail lists the stops."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.browser import log_in, screenshot_path
from tests.support.layout import layout_problems

pytestmark = pytest.mark.browser


def _drive():
    from events.models import EventPage
    from tests.factories import make_event, make_route

    return make_event(
        "Dartmoor drive-out",
        kind=EventPage.Kind.DRIVE,
        venue_name="Haytor lower car park",
        drive_route=make_route(),
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_drive_page_shows_route_map_stops_and_distance(page, live_server, site_tree, width):
    event = _drive()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{event.url}")

    route = page.locator("section.route")
    expect(route.locator(".route-map.leaflet-container")).to_be_visible()
    expect(route.locator(".leaflet-overlay-pane path.leaflet-interactive")).to_have_count(1)
    expect(route.locator(".route-map__stop")).to_have_count(6)
    expect(route.locator(".route__distance")).to_have_text("35 miles (56 km)")
    stops = route.locator("ol.route-stops > li")
    expect(stops).to_have_count(6)
    lunch = timezone.localtime(event.start) + timedelta(minutes=140)
    expect(stops.nth(3)).to_contain_text(f"{lunch:%H:%M} Lunch: Dartmeet tea rooms")
    expect(route.get_by_role("link", name="Open the meeting point in Google Maps")).to_be_visible()
    expect(route.get_by_role("link", name="Download GPX")).to_be_visible()
    assert layout_problems(page) == []

    path = screenshot_path(f"drive-route-{width}")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def test_member_going_to_a_drive_gets_a_confirmation_listing_the_stops(
    page, live_server, site_tree, smtp_server
):
    from tests.factories import MemberFactory

    event = _drive()
    member = MemberFactory(display_name="Sam Porter")
    log_in(page, live_server.url, member)
    page.goto(f"{live_server.url}{event.url}")
    form = page.locator("form.rsvp__form")
    form.get_by_label("Going", exact=True).check()
    form.get_by_role("button", name="Send my RSVP").click()
    expect(page.locator(".rsvp__status")).to_contain_text("You're going")

    message = smtp_server.wait_for_message(lambda m: member.email in m.envelope_to)
    assert "Route: Dartmoor loop, 35 miles (56 km), about " in message.text
    start = timezone.localtime(event.start)
    assert f"1. {start:%H:%M}  Meeting point: Haytor lower car park" in message.text
    assert "4. " in message.text and "Lunch: Dartmeet tea rooms" in message.text
