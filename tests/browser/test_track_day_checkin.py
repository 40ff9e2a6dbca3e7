"""A track day in Chromium: a member RSVPs with a guest, a run group, their car and the waiver, and
sees their check-in code; at the door, staff type the code on the check-in page and they're in."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import log_in

pytestmark = pytest.mark.browser


def test_track_day_rsvp_with_guest_then_staff_check_in_by_typed_code(
    page, staff_page, live_server, site_tree
):
    from events.checkin import checkin_code_for
    from events.models import EventPage, Rsvp, Waiver
    from tests.factories import CarFactory, MemberFactory, StaffFactory, make_event

    waiver = Waiver.objects.create(
        title="Castle Combe waiver", text="I take part at my own risk and follow the marshals."
    )
    event = make_event(
        "Castle Combe Track Day",
        kind=EventPage.Kind.TRACK_DAY,
        capacity=None,
        guests_allowed=1,
        waiver=waiver,
        run_groups=[("Novice", 10), ("Advanced", 10)],
    )
    member = MemberFactory(display_name="Sam Porter")
    car = CarFactory(owner=member, registration="KB21 XYZ", nickname="Pepper")
    staff = StaffFactory(display_name="Dana Staff")

    # The member answers on the event page.
    log_in(page, live_server.url, member)
    page.goto(f"{live_server.url}{event.url}")
    rsvp_form = page.locator("form.rsvp__form")
    rsvp_form.get_by_label("Going", exact=True).check()
    rsvp_form.get_by_label("Guests").fill("1")
    rsvp_form.get_by_label("Which car are you bringing?").select_option(label=str(car))
    rsvp_form.get_by_label("Run group").select_option(label="Novice")
    rsvp_form.get_by_label("Emergency contact's name").fill("Jo Porter")
    rsvp_form.get_by_label("Emergency contact's phone").fill("07700 900123")
    rsvp_form.get_by_label("I have read and accept the waiver").check()
    rsvp_form.get_by_role("button", name="Send my RSVP").click()

    expect(page.locator(".rsvp__status")).to_contain_text("You're going with 1 guest (Novice)")
    rsvp = Rsvp.objects.get(event=event, member=member)
    code = checkin_code_for(rsvp)
    ticket = page.get_by_role("region", name="Your check-in code")
    expect(ticket).to_contain_text(code)
    expect(ticket.get_by_role("img", name=f"QR code for check-in code {code}")).to_be_visible()
    assert (rsvp.state, rsvp.guests, rsvp.car, rsvp.run_group.name) == (
        Rsvp.State.CONFIRMED,
        1,
        car,
        "Novice",
    )
    assert rsvp.waiver_version == waiver.current_version and rsvp.checked_in_at is None

    # At the door, staff type the code the member reads out.
    log_in(staff_page, live_server.url, staff)
    staff_page.goto(f"{live_server.url}{reverse('events:checkin', args=[event.pk])}")
    expect(staff_page.locator(".checkin-counts")).to_contain_text("Expected1")
    staff_page.get_by_label("Code from the member's ticket").fill(code.lower().replace("-", " "))
    staff_page.get_by_role("button", name="Check in", exact=True).click()

    expect(staff_page.get_by_role("heading", name="Checked in: Sam Porter")).to_be_visible()
    expect(staff_page.locator("#result")).to_contain_text("With 1 guest")
    expect(staff_page.locator("#result")).to_contain_text("KB21 XYZ")
    row = staff_page.locator(".attendee", has_text="Sam Porter")
    expect(row).to_have_class(re.compile(r"\battendee--in\b"))
    expect(row.get_by_role("button", name="Undo check-in of Sam Porter")).to_be_visible()
    expect(staff_page.locator(".checkin-counts__in")).to_contain_text("2 with guests")

    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is not None and rsvp.checked_in_by == staff
