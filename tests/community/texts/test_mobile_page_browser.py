"""/account/texts/ in Chromium: a member adds their number, types back the code texted to it, and
the page holds up on a phone (390 px) and a desktop (1280 px), with nothing serious for axe."""

import pytest
from django.conf import settings

from community.models import MemberMobile
from tests.community.texts.conftest import code_in
from tests.support.browser import RESULTS_DIR, log_in
from tests.support.layout import layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_mobile_page_confirms_a_number_and_fits_the_screen(
    page, live_server, site_tree, member, texts_outbox, width
):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, member)
    page.goto(f"{live_server.url}/account/texts/")
    page.get_by_label("Mobile number").fill("07911 123456")
    page.get_by_label("Yes, Paddock Motors may text this number", exact=False).check()
    page.get_by_role("group", name="Event invitations").get_by_label("Text", exact=True).check()
    page.get_by_role("button", name="Text me a code").click()
    expect(page.get_by_text("We texted a code to +44 7911 123456")).to_be_visible()
    assert layout_problems(page) == []
    blocking = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert blocking == []
    if settings.DEBUG is False:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(RESULTS_DIR / f"mobile-texts-{width}.png"), full_page=True)
    page.get_by_label("Code from the text").fill(code_in(texts_outbox))
    page.get_by_role("button", name="Confirm my number").click()
    expect(page.get_by_text("Your mobile number is confirmed.")).to_be_visible()
    mobile = MemberMobile.objects.get(member=member)
    assert mobile.can_text and mobile.invitations == "text"
