"""The owner card, and advisors: assigned by staff, shown on the card and the member's profile."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from staff import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(cooper_s):
    from tests.factories import CarFactory, MemberFactory

    sam = MemberFactory(display_name="Sam Porter", phone="07700 900123")
    CarFactory(owner=sam, car_model=cooper_s, registration="KB21 XYZ", year=2017)
    return sam


def test_owner_card_shows_garage_clubs_events_posts_and_leads(client, staff, owner, cooper_s):
    from accessories.models import AccessoryIndexPage, AccessoryPage, Lead
    from community.models import HomePage
    from events.models import Rsvp
    from tests.factories import PostFactory, make_club, make_event

    make_club("Cooper S Owners", members=[owner])
    event = make_event("Dartmoor Sunrise Drive", days_ahead=-3)
    Rsvp.objects.create(
        event=event, member=owner, answer="going", state="confirmed", checked_in_at=event.start
    )
    PostFactory(author=owner, title="Coast road at dawn")
    index = HomePage.objects.get(depth=2).add_child(
        instance=AccessoryIndexPage(title="Accessories", slug="accessories")
    )
    rack = index.add_child(
        instance=AccessoryPage(title="Roof rack", slug="roof-rack", part_number="51-RR")
    )
    Lead.objects.create(accessory=rack, member=owner, name="Sam", email=owner.email, kind="reserve")
    client.force_login(staff)
    html = client.get(reverse("staff:owner_card", args=[owner.pk])).content.decode()
    for text in [
        "KB21 XYZ",
        "over 4 years",
        "Cooper S Owners",
        "Dartmoor Sunrise Drive",
        "1</strong> attended",
        "Coast road at dawn",
        "Roof rack",
        "07700 900123",
        "Event invitations: <strong>yes",
    ]:
        assert text in html, text


def test_owner_card_timeline_is_newest_first(staff, owner):
    from community.models import Car, Member
    from tests.factories import PostFactory

    Member.objects.filter(pk=owner.pk).update(date_joined=timezone.now() - timedelta(days=30))
    Car.objects.filter(owner=owner).update(created_at=timezone.now() - timedelta(days=2))
    PostFactory(author=owner, title="Yesterday's drive")
    timeline = selectors.owner_card(member=owner)["timeline"]
    assert [m.kind for m in timeline] == ["post", "car", "joined"]


def test_owner_card_assigns_an_advisor(client, staff, owner):
    client.force_login(staff)
    response = client.post(
        reverse("staff:owner_card", args=[owner.pk]), {"advisor": staff.pk}, follow=True
    )
    owner.refresh_from_db()
    assert owner.advisor == staff
    assert f"{staff.display_name} is now Sam Porter" in response.content.decode()


def test_owner_card_refuses_a_member_who_is_not_staff_as_advisor(client, staff, owner, member):
    client.force_login(staff)
    client.post(reverse("staff:owner_card", args=[owner.pk]), {"advisor": member.pk})
    owner.refresh_from_db()
    assert owner.advisor is None


def test_advisor_assign_service_refuses_non_staff(owner, member, staff):
    with pytest.raises(services.StaffToolsError) as excinfo:
        services.member_advisor_assign(member=owner, advisor=member, by=staff)
    assert excinfo.value.code == "not_staff"


def test_owner_card_is_for_staff_only(client, owner, member):
    client.force_login(member)
    assert client.get(reverse("staff:owner_card", args=[owner.pk])).status_code in (302, 403)


def test_user_edit_form_saves_phone_and_advisor(client, staff, owner):
    client.force_login(staff)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[owner.pk]),
        {
            "email": owner.email,
            "first_name": "",
            "last_name": "",
            "display_name": "Sam Porter",
            "phone": "+44 7700 900999",
            "advisor": staff.pk,
            "is_active": "on",
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    owner.refresh_from_db()
    assert (owner.advisor, owner.phone_key) == (staff, "07700900999")


def test_user_list_links_to_the_owner_card(client, staff, owner):
    client.force_login(staff)
    html = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert reverse("staff:owner_card", args=[owner.pk]) in html


def test_profile_shows_the_member_their_advisor(client, staff, owner):
    services.member_advisor_assign(member=owner, advisor=staff, by=staff)
    client.force_login(owner)
    html = client.get(owner.get_absolute_url()).content.decode()
    assert "Your advisor at" in html and staff.display_name in html


def test_profile_hides_the_advisor_from_other_members(client, staff, owner, member):
    services.member_advisor_assign(member=owner, advisor=staff, by=staff)
    client.force_login(member)
    assert "advisor" not in client.get(owner.get_absolute_url()).content.decode().lower()


def test_owner_card_shows_the_full_vin_to_staff(client, staff, owner):
    owner.cars.update(vin="WMWXU7C52K2F12345")
    client.force_login(staff)
    html = client.get(reverse("staff:owner_card", args=[owner.pk])).content.decode()
    assert "WMWXU7C52K2F12345" in html
