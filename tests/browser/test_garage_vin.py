"""A member types their car's VIN on the garage form; Paddock offers to fill in the model and the
year, and fills them when asked. Screenshots of the offer at phone and desktop widths go to
test-results/."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import CarModelFactory
from tests.support.browser import RESULTS_DIR, log_in

pytestmark = pytest.mark.browser

MINI_VIN = "WMWXU7C52K2F12345"
US_VIN_MISTYPED = "1HGCM82643A004352"


def enter_vin(page, live_server, member, vin):
    log_in(page, live_server.url, member)
    page.goto(f"{live_server.url}{reverse('community:car_add')}")
    page.get_by_label("VIN").fill(vin)
    page.get_by_label("VIN").press("Tab")


def test_garage_form_vin_offer_fills_model_and_year(page, live_server, site_tree, member, cooper_s):
    CarModelFactory(make="BMW", name="i4")
    enter_vin(page, live_server, member, MINI_VIN.lower())
    offer = page.get_by_role("status")
    expect(offer).to_contain_text("Looks like a 2019 MINI (Germany). Fill in model and year?")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for width, height in [(390, 844), (1280, 900)]:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(RESULTS_DIR / f"garage-vin-offer-{width}.png"), full_page=True)

    page.get_by_role("button", name="Fill in model and year").click()
    expect(page.get_by_label("Model year")).to_have_value("2019")
    expect(page.get_by_label("Model", exact=True)).to_have_value(str(cooper_s.pk))
    expect(offer).to_have_text(re.compile(r"Filled in: MINI Cooper S, model year 2019\."))


def test_garage_form_vin_offer_has_no_serious_axe_violations(
    page, live_server, site_tree, member, cooper_s
):
    enter_vin(page, live_server, member, MINI_VIN)
    expect(page.get_by_role("button", name="Fill in model and year")).to_be_visible()
    violations = Axe().run(page).response["violations"]
    assert not [v for v in violations if v["impact"] in {"serious", "critical"}], violations


def test_garage_form_mistyped_us_vin_names_the_check_digit(page, live_server, site_tree, member):
    enter_vin(page, live_server, member, US_VIN_MISTYPED)
    expect(page.get_by_role("status")).to_have_text(
        "The 9th character should be 3 for this VIN: check for a mistyped character."
    )
