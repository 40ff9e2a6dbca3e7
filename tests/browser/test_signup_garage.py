"""A new owner signs up, confirms their email (which signs them in) and adds their car, all in
Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMAIL = "sam.porter@example.com"
PASSWORD = "Paddock-Cooper-2021!"


def confirmation_link(text: str, base_url: str) -> str:
    match = re.search(re.escape(base_url) + r"/accounts/confirm-email/[^\s/]+/", text)
    assert match, f"No confirmation link to {base_url} in the mail:\n{text}"
    return match.group(0)


def test_signup_confirm_signs_in_and_added_car_shows_on_profile(
    page, live_server, site_tree, smtp_server, cooper_s, settings
):
    from allauth.account.models import EmailAddress

    from community.models import Car, CarModel, Member

    CarModel.objects.create(make="MINI", name="Countryman")
    settings.SITE_URL = live_server.url  # where the site is served, as `make run` sets it

    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Your name").fill("Sam Porter")
    page.get_by_label("Town").fill("Kingsbridge")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"sign up|join|create", re.I)).click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    received = smtp_server.wait_for_message(lambda m: EMAIL in m.envelope_to)
    page.goto(confirmation_link(received.text, live_server.url))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/garage/$"))  # signed in, no sign-in form

    page.goto(f"{live_server.url}/garage/add/")
    page.get_by_label("Model", exact=True).select_option(label="MINI Cooper S")
    page.get_by_label("Model year").fill("2021")
    page.get_by_label("Registration plate").fill("kb21 xyz")
    page.get_by_label("Nickname").fill("Pepper")
    page.get_by_role("button", name="Add to my garage").click()
    expect(page).to_have_url(re.compile(r"/garage/$"))

    page.get_by_role("link", name="your profile").click()
    member = Member.objects.get(email=EMAIL)
    expect(page).to_have_url(f"{live_server.url}{member.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Porter")
    car_card = page.locator("article").filter(has_text="2021 MINI Cooper S")
    expect(car_card).to_contain_text("“Pepper”")
    expect(car_card).to_contain_text("KB21 XYZ")  # the owner sees their own plate

    assert EmailAddress.objects.filter(email=EMAIL, verified=True, primary=True).exists()
    assert Car.objects.filter(
        owner=member,
        car_model=cooper_s,
        year=2021,
        nickname="Pepper",
        registration="KB21 XYZ",
    ).exists()
