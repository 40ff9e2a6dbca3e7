"""The service lounge in Chromium: staff upload the workshop's 30 appointments (5 malformed, 5 not
members), check the report, import, and see the 20 owners in the lounge with their cars; the
advisor's morning digest arrives on a real SMTP server."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import log_in

pytestmark = pytest.mark.browser


def workshop_csv(owners) -> str:
    """The day's export: 20 members (recognised by email, phone or plate), 5 customers who are
    not members, 5 lines that cannot be read."""
    lines = ["Time;Customer name;Email or phone;Plate;Work"]
    for n, owner in enumerate(owners):
        car = owner.cars.get()
        contact = [owner.email.upper(), owner.phone, ""][n % 3]
        plate = car.registration if n % 3 == 2 else ""
        lines.append(
            f"{8 + n // 4:02d}:{15 * (n % 4):02d};{owner.display_name};{contact};{plate};Service"
        )
    for n in range(5):
        lines.append(f"14:{10 * n:02d};Walk-in {n};visitor{n}@example.org;ZZ{n}9 ZZZ;MOT")
    lines += [
        "quarter past;Bad Time;bad1@example.org;;MOT",
        "15:00;;bad2@example.org;;MOT",
        "15:10;No Contact;;;MOT",
        "15:20;Bad Email;bad@;;MOT",
        "15:30;Bad Plate;;!!!;MOT",
    ]
    return "\n".join(lines) + "\n"


def test_staff_upload_the_days_appointments_and_see_owners_in_the_lounge(
    page, live_server, site_tree, smtp_server, settings, cooper_s
):
    from staff.tasks import lounge_digests_task
    from tests.factories import CarFactory, MemberFactory, StaffFactory

    settings.PADDOCK_LOUNGE_DIGEST_HOUR = 0  # the morning has come, whatever the time of the run
    staff = StaffFactory(display_name="Dana Staff")
    advisor = StaffFactory(display_name="Tom Okafor", email="tom@dealer.example")
    owners = []
    for n in range(20):
        owner = MemberFactory(
            display_name=f"Owner {n:02d}", phone=f"07700 900{n:03d}", advisor=advisor
        )
        CarFactory(owner=owner, car_model=cooper_s, registration=f"WA{n:02d} MNI", year=2018)
        owners.append(owner)

    log_in(page, live_server.url, staff)
    page.goto(f"{live_server.url}{reverse('staff:lounge_upload')}")
    page.get_by_label("Appointments (CSV)").set_input_files(
        files=[
            {
                "name": "workshop.csv",
                "mimeType": "text/csv",
                "buffer": ("\ufeff" + workshop_csv(owners)).encode("utf-8"),
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()

    expect(page.locator('[data-count="matched"]')).to_have_text("20")
    expect(page.locator('[data-count="unknown"]')).to_have_text("5")
    expect(page.locator('[data-count="malformed"]')).to_have_text("5")
    malformed = page.get_by_role("table", name="Malformed lines")
    expect(malformed.locator("tbody tr")).to_have_count(5)
    expect(malformed).to_contain_text("“quarter past” is not a time")
    expect(malformed).to_contain_text("No email, phone or plate to recognise the customer by")

    page.get_by_role("button", name="Import 25 appointments").click()

    expect(page.locator(".messages")).to_contain_text("Imported 25 appointments")
    expect(page.locator('[data-count="owners"]')).to_have_text("20")
    visits = page.locator(".crm-visit")
    expect(visits).to_have_count(20)
    first = visits.filter(has_text="Owner 00")
    expect(first).to_contain_text("2018 MINI Cooper S")
    expect(first.locator(".crm-plate")).to_have_text("WA00 MNI")
    expect(first).to_contain_text("Tom Okafor")
    expect(page.get_by_role("table", name="Not members yet").locator("tbody tr")).to_have_count(5)

    # Beat's task sends the advisor one digest with their 20 owners.
    assert lounge_digests_task.apply().get() == 1
    digest = smtp_server.wait_for_message(lambda m: advisor.email in m.envelope_to)
    assert "20 of your owners" in digest.subject
    assert "Owner 00" in digest.text and "Owner 19" in digest.text and "WA07 MNI" in digest.text
    assert lounge_digests_task.apply().get() == 0  # once a day
