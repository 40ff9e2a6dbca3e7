"""Talking to an owner by text, in Chromium: the advisor texts a member from the owner card (the
text reaches the local Twilio Messages API), the member's reply comes in through Twilio's signed
webhook, the dashboard counts it, the advisor's email arrives on a real SMTP server, and the card
shows the reply. Then the lounge's "Text when the car is ready". Screenshots of both at 390 and
1280 px go to test-results/."""

import re
import urllib.parse
import urllib.request
from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from twilio.request_validator import RequestValidator

from community.models import Appointment, Channel, LoungeImport, MemberMobile
from community.showrooms import absolute_url
from tests.community.texts.conftest import TOKEN, twilio_api  # noqa: F401  (fixture)
from tests.support.browser import RESULTS_DIR, admin_log_in

pytestmark = pytest.mark.browser

MOBILE = "+447911123456"


@pytest.fixture
def owners(db, site_tree, cooper_s, settings):
    """Sam, who chose texts from their advisor Tom, and Alex, who has no mobile number; both in
    the lounge today. No quiet hours, whatever the time of the run."""
    from tests.factories import CarFactory, MemberFactory, StaffFactory

    settings.PADDOCK_TEXT_QUIET_FROM = settings.PADDOCK_TEXT_QUIET_UNTIL = 0
    advisor = StaffFactory(display_name="Tom Okafor", email="tom@dealer.example")
    sam = MemberFactory(display_name="Sam Porter", advisor=advisor)
    car = CarFactory(owner=sam, car_model=cooper_s, registration="KB21 XYZ", year=2018)
    MemberMobile.objects.create(
        member=sam,
        number=MOBILE,
        verified_at=timezone.now(),
        consent_at=timezone.now(),
        consent_wording="Yes, text me.",
        advisor=Channel.TEXT,
    )
    alex = MemberFactory(display_name="Alex Reid", advisor=advisor)
    batch = LoungeImport.objects.create(day=timezone.localdate(), filename="day.csv", source="")
    for n, (member, member_car) in enumerate([(sam, car), (alex, None)]):
        Appointment.objects.create(
            day=timezone.localdate(),
            time=time(9 + n, 0),
            customer_name=member.display_name,
            member=member,
            car=member_car,
            work="Annual service",
            fingerprint=f"fp{n}",
            batch=batch,
            line=n + 2,
        )
    return advisor, sam, alex


def text_from_member(base_url: str, body: str, sid: str) -> int:
    """Twilio's inbound webhook for a text from Sam's phone, signed as Twilio signs it."""
    path = reverse("events:text_inbound")
    params = {"From": MOBILE, "To": "+447700900000", "Body": body, "MessageSid": sid}
    signature = RequestValidator(TOKEN).compute_signature(absolute_url(path), params)
    request = urllib.request.Request(
        f"{base_url}{path}",
        data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": signature},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def shoot(page, selector: str, name: str) -> None:
    """The element at phone and desktop widths, saved to test-results/."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.locator(selector).screenshot(path=str(RESULTS_DIR / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_advisor_texts_an_owner_and_reads_the_reply(
    page,
    live_server,
    owners,
    twilio_api,  # noqa: F811  (the fixture imported above)
    smtp_server,
):
    advisor, sam, _alex = owners
    admin_log_in(page, live_server.url, advisor)
    page.goto(f"{live_server.url}{reverse('staff:owner_card', args=[sam.pk])}")
    page.get_by_label("Text Sam Porter").fill("Hi Sam, your Cooper S is booked in Tuesday at 9.")
    page.get_by_role("button", name="Send text").click()

    expect(page.locator(".messages")).to_contain_text("Texted Sam Porter.")
    [sent] = twilio_api.messages
    assert sent["To"] == MOBILE and sent["Body"].startswith("Hi Sam, your Cooper S")

    assert text_from_member(live_server.url, "Great, can you check the wipers too?", "SM1") == 200

    page.goto(f"{live_server.url}/admin/")
    panel = page.locator("#paddock-owner-texts-content")
    expect(panel).to_contain_text("Texts from your owners: 1 unread")
    email = smtp_server.wait_for_message(lambda m: advisor.email in m.envelope_to)
    assert email.subject == "A text from Sam Porter"
    assert "Great, can you check the wipers too?" in email.text
    assert twilio_api.messages[-1]["Body"].startswith("Thanks, Tom at ")

    panel.get_by_role("link", name="Sam Porter").click()
    conversation = page.get_by_role("list", name="Texts with Sam Porter")
    expect(conversation.locator("li")).to_have_count(2)
    expect(conversation.locator('[data-direction="in"]')).to_contain_text("check the wipers")
    expect(conversation.locator('[data-direction="in"]')).to_contain_text("new")
    shoot(page, "#conversation-panel", "owner-conversation")

    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("[data-texts-unread]")).to_contain_text("0 unread")


def test_lounge_texts_the_owner_when_the_car_is_ready(page, live_server, owners, twilio_api):  # noqa: F811
    advisor, sam, alex = owners
    admin_log_in(page, live_server.url, advisor)
    page.goto(f"{live_server.url}{reverse('staff:lounge')}")
    alex_visit = page.locator(f"#visit-{alex.pk}")
    expect(alex_visit).to_contain_text("No “ready” text: Alex Reid has no mobile number")
    shoot(page, ".crm-visits", "lounge-ready-button")

    page.locator(f"#visit-{sam.pk}").get_by_role(
        "button", name="Text when the car is ready"
    ).click()

    expect(page.locator(".messages")).to_contain_text("Texted Sam Porter")
    expect(page.locator(f"#visit-{sam.pk} [data-ready]")).to_contain_text(
        re.compile(r"Texted at \d\d:\d\d")
    )
    [sent] = twilio_api.messages
    assert sent["Body"] == "Paddock Motors: your MINI Cooper S (KB21 XYZ) is ready for collection."
    shoot(page, ".crm-visits", "lounge-ready-texted")
