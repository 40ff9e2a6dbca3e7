"""Accessories in Chromium: a member with a 2021 Cooper S filters to what fits it, asks about one,
the parts team's email arrives on a real SMTP listener, and staff mark the lead contacted."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import log_in

pytestmark = pytest.mark.browser


def test_member_filters_to_what_fits_asks_and_staff_mark_the_lead_contacted(
    page, staff_page, live_server, site_tree, smtp_server, cooper_s
):
    from accessories.models import Lead
    from community.models import DealershipSettings
    from tests.factories import (
        CarFactory,
        CarModelFactory,
        MemberFactory,
        StaffFactory,
        make_accessory,
    )

    dealership = DealershipSettings.for_site(site_tree)
    dealership.parts_email = "parts@dealer.example"
    dealership.save()
    countryman = CarModelFactory(make="MINI", name="Countryman")
    member = MemberFactory(display_name="Sam Porter")
    CarFactory(owner=member, car_model=cooper_s, year=2021)
    make_accessory("JCW roof spoiler", fits=[(cooper_s, 2014, 2024)], price="349.00")
    make_accessory("Tow bar", fits=[(countryman, None, None)])
    make_accessory("Classic mats", fits=[(cooper_s, 2002, 2013)])
    staff = StaffFactory(display_name="Dana Staff")

    # The member filters the accessories to those that fit their car.
    log_in(page, live_server.url, member)
    page.goto(f"{live_server.url}/accessories/")
    expect(page.locator(".accessory-card")).to_have_count(3)
    page.get_by_label("Fits").select_option(label="My 2021 Cooper S")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Fits your 2021 Cooper S")).to_be_visible()
    cards = page.locator(".accessory-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("JCW roof spoiler")
    expect(cards.first).to_contain_text("Fits your 2021 Cooper S")

    # ... opens it and asks about it; the form knows who they are.
    cards.first.get_by_role("link", name="JCW roof spoiler").click()
    expect(page.locator(".fits--large")).to_have_text(re.compile(r"Fits your 2021 Cooper S"))
    page.get_by_role("link", name="Ask about this").click()
    form = page.locator("form[data-lead-form]")
    expect(form.get_by_label("Your email")).to_have_value(member.email)
    expect(form.get_by_label("Pick it up at")).to_be_hidden()  # only for reservations
    form.get_by_label("Your question or a note").fill("Can you paint it Chili Red?")
    form.get_by_role("button", name="Send").click()
    expect(page.locator(".message--success")).to_contain_text("the parts team will answer you")

    # The parts team's email arrives over SMTP.
    received = smtp_server.wait_for_message(lambda m: "parts@dealer.example" in m.envelope_to)
    assert received.subject.startswith("Question about JCW roof spoiler")
    assert "Can you paint it Chili Red?" in received.text and "Sam Porter" in received.text
    lead = Lead.objects.get()
    assert (lead.member, lead.status) == (member, Lead.Status.NEW)

    # Staff find the lead in the admin and mark it contacted.
    log_in(staff_page, live_server.url, staff)
    staff_page.goto(f"{live_server.url}{reverse('accessory_leads:index')}")
    row = staff_page.locator("tr", has_text="Sam Porter")
    expect(row).to_contain_text("JCW roof spoiler")
    expect(row).to_contain_text("New")
    row.get_by_role("link", name="Sam Porter").click()
    staff_page.locator("#id_status").select_option("contacted")
    staff_page.get_by_label("Notes").fill("Called Sam: paint match quoted.")
    staff_page.get_by_role("button", name="Save").click()
    expect(staff_page.locator(".messages")).to_contain_text("updated")
    expect(staff_page.locator("tr", has_text="Sam Porter")).to_contain_text("Contacted")

    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONTACTED
    assert lead.notes == "Called Sam: paint match quoted."
