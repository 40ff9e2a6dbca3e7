"""A member asks what their car is worth, in Chromium: one ADF/XML message reaches the showroom's
CRM address on a real SMTP listener, with the car and the member's contact, and staff see the
lead as sent to the CRM."""

from email import policy
from email.parser import BytesParser

import pytest
from django.urls import reverse
from lxml import etree
from playwright.sync_api import expect

from tests.support.browser import log_in

pytestmark = pytest.mark.browser

CRM = "leads@crm.dealer.example"


def test_member_asks_what_their_cooper_s_is_worth_and_the_crm_gets_one_adf_lead(
    page, staff_page, live_server, site_tree, smtp_server, cooper_s
):
    from community.adf import adf_validate
    from community.models import DealershipSettings, SalesLead
    from tests.factories import CarFactory, MemberFactory, StaffFactory

    dealership = DealershipSettings.for_site(site_tree)
    dealership.crm_lead_email = CRM
    dealership.save()
    member = MemberFactory(first_name="Sam", last_name="Porter", display_name="Sam Porter")
    CarFactory(owner=member, car_model=cooper_s, year=2019, trim="Sport", vin="WMWXR32080TP12345")

    # The member asks from their garage.
    log_in(page, live_server.url, member)
    page.goto(f"{live_server.url}{reverse('community:garage')}")
    page.get_by_role("link", name="What is it worth?").click()
    page.get_by_label("Mileage").fill("31000")
    page.get_by_label("Good: the usual marks of use").check()
    page.get_by_label("Anything we should know?").fill("Small scuff on the rear bumper.")
    page.get_by_role("button", name="Ask for a valuation").click()
    expect(page.locator(".message--success")).to_contain_text("we'll be in touch")

    # One ADF document reaches the CRM address: a single text/plain part that validates.
    received = smtp_server.wait_for_message(lambda m: CRM in m.envelope_to)
    message = BytesParser(policy=policy.default).parsebytes(received.message.as_bytes())
    assert not message.is_multipart() and message.get_content_type() == "text/plain"
    document = message.get_content().encode("utf-8")
    adf_validate(document)
    root = etree.fromstring(document)
    vehicle = root.find("prospect/vehicle")
    assert vehicle.get("interest") == "trade-in"
    assert [vehicle.findtext(t) for t in ("year", "make", "model", "odometer", "condition")] == [
        "2019",
        "MINI",
        "Cooper S",
        "31000",
        "good",
    ]
    assert root.findtext("prospect/customer/contact/email") == member.email
    names = {n.get("part"): n.text for n in root.iterfind("prospect/customer/contact/name")}
    assert names == {"first": "Sam", "last": "Porter"}

    # Staff see the lead, sent to the CRM.
    log_in(staff_page, live_server.url, StaffFactory(display_name="Dana Sales"))
    staff_page.goto(f"{live_server.url}{reverse('sales_leads:index')}")
    row = staff_page.locator("tr", has_text="Sam Porter")
    expect(row).to_contain_text("Trade-in appraisal")
    expect(row).to_contain_text("Sent to the CRM at")
    assert len([m for m in smtp_server.messages if CRM in m.envelope_to]) == 1
    assert SalesLead.objects.count() == 1
