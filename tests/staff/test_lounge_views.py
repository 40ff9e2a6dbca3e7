"""The service lounge screens and the advisors' morning digest."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from community.models import Appointment, LoungeImport
from staff import lounge

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(cooper_s, staff):
    from tests.factories import CarFactory, MemberFactory

    sam = MemberFactory(display_name="Sam Porter", email="sam@example.com", advisor=staff)
    CarFactory(owner=sam, car_model=cooper_s, registration="KB21 XYZ", year=2018)
    return sam


def csv_file(text: str) -> BytesIO:
    f = BytesIO(text.encode())
    f.name = "workshop.csv"
    return f


def import_today(text: str, by) -> LoungeImport:
    batch, _ = lounge.lounge_import_prepare(upload=csv_file(text), day=timezone.localdate(), by=by)
    return lounge.lounge_import_confirm(batch=batch, by=by)


def test_upload_shows_the_report_before_importing(client, staff, owner):
    client.force_login(staff)
    response = client.post(
        reverse("staff:lounge_upload"),
        {
            "day": timezone.localdate().isoformat(),
            "file": csv_file("time,customer,email\n09:00,Sam,sam@example.com\nsoon,Jo,jo@x.org\n"),
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Line" in html and "“soon” is not a time" in html
    assert 'data-count="matched">1<' in html and 'data-count="malformed">1<' in html
    assert not Appointment.objects.exists()


def test_upload_of_unusable_file_says_why_and_keeps_nothing(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("staff:lounge_upload"),
        {"day": timezone.localdate().isoformat(), "file": csv_file("who,when\nSam,9\n")},
    )
    assert response.status_code == 200
    assert "The first line must name the columns" in response.content.decode()
    assert not LoungeImport.objects.exists()


def test_confirm_imports_and_shows_the_lounge(client, staff, owner):
    client.force_login(staff)
    batch, _ = lounge.lounge_import_prepare(
        upload=csv_file("time,customer,email,work\n09:00,Sam,sam@example.com,Brakes\n"),
        day=timezone.localdate(),
        by=staff,
    )
    response = client.post(reverse("staff:lounge_review", args=[batch.pk]), follow=True)
    html = response.content.decode()
    assert "Imported 1 appointment." in html
    assert "Sam Porter" in html and "KB21 XYZ" in html and "Brakes" in html
    assert Appointment.objects.get().member == owner


def test_lounge_lists_unanswered_events_and_not_members(client, staff, owner):
    from tests.factories import make_event

    make_event("Cars & Coffee on the Quay", days_ahead=5)
    import_today(
        "time,customer,email\n09:00,Sam,sam@example.com\n10:00,Jo Bloggs,jo@example.org\n", staff
    )
    client.force_login(staff)
    html = client.get(reverse("staff:lounge")).content.decode()
    assert "Has not answered:" in html and "Cars &amp; Coffee on the Quay" in html
    assert "Not members yet" in html and "Jo Bloggs" in html


def test_lounge_lists_accessories_that_fit_the_owners_car(client, staff, owner, cooper_s):
    from accessories.models import AccessoryFitment, AccessoryIndexPage, AccessoryPage
    from community.models import HomePage

    index = HomePage.objects.get(depth=2).add_child(
        instance=AccessoryIndexPage(title="Accessories", slug="accessories")
    )
    rack = index.add_child(
        instance=AccessoryPage(title="Roof rack", slug="roof-rack", part_number="51-RR")
    )
    AccessoryFitment.objects.create(page=rack, car_model=cooper_s, year_from=2014, year_to=2024)
    mats = index.add_child(
        instance=AccessoryPage(title="Floor mats", slug="mats", part_number="51-FM")
    )
    AccessoryFitment.objects.create(page=mats, car_model=cooper_s, year_from=2022)
    import_today("time,customer,email\n09:00,Sam,sam@example.com\n", staff)
    client.force_login(staff)
    html = client.get(reverse("staff:lounge")).content.decode()
    assert "Roof rack" in html and "Floor mats" not in html


def test_lounge_is_for_staff_only(client, member):
    client.force_login(member)
    assert client.get(reverse("staff:lounge")).status_code in (302, 403)


# --- the digest ---------------------------------------------------------------------------------


def test_digest_sends_one_email_per_advisor_listing_their_owners(
    staff, owner, cooper_s, django_capture_on_commit_callbacks
):
    from tests.factories import CarFactory, MemberFactory, StaffFactory

    other_advisor = StaffFactory(display_name="Tom Okafor")
    jo = MemberFactory(display_name="Jo Bloggs", email="jo@example.com", advisor=staff)
    CarFactory(owner=jo, car_model=cooper_s, registration="AB12 CDE")
    MemberFactory(email="al@example.com", advisor=other_advisor)
    MemberFactory(email="nobody@example.com")  # no advisor: in no digest
    import_today(
        "time,customer,email\n09:00,Sam,sam@example.com\n10:00,Jo,jo@example.com\n"
        "11:00,Al,al@example.com\n12:00,Nobody,nobody@example.com\n",
        staff,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert lounge.lounge_digests_send(day=timezone.localdate()) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {staff.email, other_advisor.email}
    body = by_to[staff.email].body
    assert "Sam Porter" in body and "Jo Bloggs" in body and "KB21 XYZ" in body
    assert "Nobody" not in body
    assert by_to[staff.email].subject.startswith("In the lounge") and "2 of your owners" in (
        by_to[staff.email].subject
    )


def test_digest_twice_on_a_day_sends_once(staff, owner, django_capture_on_commit_callbacks):
    import_today("time,customer,email\n09:00,Sam,sam@example.com\n", staff)
    with django_capture_on_commit_callbacks(execute=True):
        lounge.lounge_digests_send(day=timezone.localdate())
        assert lounge.lounge_digests_send(day=timezone.localdate()) == 0
    assert len(mail.outbox) == 1


def test_digest_waits_for_the_morning_hour(settings, staff, owner):
    settings.PADDOCK_LOUNGE_DIGEST_HOUR = 7
    import_today("time,customer,email\n09:00,Sam,sam@example.com\n", staff)
    today = timezone.localdate()
    early = timezone.make_aware(datetime.combine(today, datetime.min.time()).replace(hour=6))
    assert lounge.lounge_digests_due(now=early) == 0
    assert lounge.lounge_digests_due(now=early.replace(hour=7, minute=5)) == 1


def test_digest_task_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["lounge-digests"]
    assert entry["task"] == "staff.tasks.lounge_digests_task"


def test_lounge_other_day_shows_that_days_appointments(client, staff, owner):
    batch, _ = lounge.lounge_import_prepare(
        upload=csv_file("time,customer,email\n09:00,Sam,sam@example.com\n"),
        day=date(2026, 1, 5),
        by=staff,
    )
    lounge.lounge_import_confirm(batch=batch, by=staff)
    client.force_login(staff)
    assert "Sam Porter" in client.get(reverse("staff:lounge") + "?day=2026-01-05").content.decode()
    assert "Sam Porter" not in client.get(reverse("staff:lounge")).content.decode()


def test_lounge_row_links_to_the_owner_cards_lead_form(client, staff, owner):
    import_today("time,customer,email\n09:00,Sam,sam@example.com\n", staff)
    client.force_login(staff)
    html = client.get(reverse("staff:lounge")).content.decode()
    assert f'href="{reverse("staff:owner_card", args=[owner.pk])}#write-lead"' in html
    assert ">Write down a lead</a>" in html
