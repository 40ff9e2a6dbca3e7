"""Reserved accessories at the event's check-in: shown on the member's row, handed over by staff."""

import pytest
from django.test import Client
from django.urls import reverse

from accessories.models import Lead
from events import services
from tests.factories import LeadFactory, make_accessory, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def reservation(member):
    event = make_event("Cars & Coffee")
    services.rsvp_respond(event=event, member=member, answer="going")
    return LeadFactory(
        accessory=make_accessory("Frost cover", part_number="51 95 2 451 110"),
        member=member,
        name=member.display_name,
        email=member.email,
        kind=Lead.Kind.RESERVE,
        event=event,
    )


def test_checkin_page_shows_the_members_reserved_item_on_their_row(staff_client, reservation):
    html = staff_client.get(reverse("events:checkin", args=[reservation.event_id])).content.decode()
    assert "To collect: Frost cover" in html
    assert "Accessories to hand over" in html and "51 95 2 451 110" in html


def test_checkin_result_offers_to_hand_the_item_over(staff_client, reservation, member):
    from events.models import Rsvp

    rsvp = Rsvp.objects.get(member=member)
    url = reverse("events:checkin", args=[reservation.event_id])
    html = staff_client.get(url, {"done": rsvp.pk}).content.decode()
    assert "Reserved accessory to hand over" in html
    assert reverse("accessories:lead_handed_over", args=[reservation.pk]) in html


def test_handing_over_marks_the_lead_won_and_returns_to_checkin(staff_client, staff, reservation):
    response = staff_client.post(reverse("accessories:lead_handed_over", args=[reservation.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:checkin", args=[reservation.event_id])
    reservation.refresh_from_db()
    assert reservation.handed_over_at is not None
    assert (reservation.status, reservation.assigned_to) == ("won", staff)


def test_handing_over_twice_warns_and_changes_nothing(staff_client, reservation):
    url = reverse("accessories:lead_handed_over", args=[reservation.pk])
    staff_client.post(url)
    reservation.refresh_from_db()
    first = reservation.handed_over_at
    response = staff_client.post(url, follow=True)
    assert "already has it" in response.content.decode()
    reservation.refresh_from_db()
    assert reservation.handed_over_at == first


def test_members_cannot_hand_items_over(member, reservation):
    client = Client()
    client.force_login(member)
    response = client.post(reverse("accessories:lead_handed_over", args=[reservation.pk]))
    assert response.status_code == 403
    reservation.refresh_from_db()
    assert reservation.handed_over_at is None


def test_lost_reservations_are_not_listed_at_checkin(staff_client, reservation):
    reservation.status = Lead.Status.LOST
    reservation.save()
    html = staff_client.get(reverse("events:checkin", args=[reservation.event_id])).content.decode()
    assert "Frost cover" not in html
