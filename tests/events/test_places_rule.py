"""One rule for places: what a page shows as "places left" is what the next answer gets.

The scene: 4 places, a member holding 2, and a party of 4 at the head of the waitlist. 2 places
are free, but they belong to nobody who answers now: the party keeps its turn.
"""

import pytest
from django.urls import reverse

from events import selectors, services
from events.models import Rsvp
from events.tokens import rsvp_link_token
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def party_waiting():
    event = make_event("Quay meet", capacity=4, guests_allowed=3)
    holder = MemberFactory()
    services.rsvp_respond(event=event, member=holder, answer="going", guests=1)
    party = services.rsvp_respond(event=event, member=MemberFactory(), answer="going", guests=3)
    assert party.state == Rsvp.State.WAITLISTED
    return event, holder


def test_places_open_is_zero_while_a_party_waits_for_more_than_is_free(party_waiting):
    event, _ = party_waiting
    assert services.free_places(event=event) == 2
    assert services.places_open(event=event) == 0


def test_event_page_says_full_while_the_head_of_the_waitlist_does_not_fit(client, party_waiting):
    event, _ = party_waiting
    html = client.get(event.url).content.decode()
    assert "Full</strong>: join the waitlist" in html and "places left" not in html


def test_next_answer_joins_the_waitlist_behind_the_waiting_party(party_waiting):
    event, _ = party_waiting
    rsvp = services.rsvp_respond(event=event, member=MemberFactory(), answer="going")
    assert rsvp.state == Rsvp.State.WAITLISTED
    assert services.waitlist_position(rsvp=rsvp) == 2


def test_event_listing_shows_no_places_left_while_a_party_waits(party_waiting, member):
    event, _ = party_waiting
    [listed] = selectors.upcoming_events(viewer=member)
    assert (listed.places_taken, listed.places_left) == (2, 0)


def test_one_click_link_page_says_full_while_a_party_waits(client, party_waiting, member):
    event, _ = party_waiting
    url = reverse(
        "events:rsvp_link", args=[rsvp_link_token(event_id=event.pk, member_id=member.pk)]
    )
    html = client.get(f"{url}?answer=going").content.decode()
    assert "Full</strong>: you'd join the waitlist" in html


def test_confirmed_member_cannot_add_a_guest_past_the_waiting_party(party_waiting):
    event, holder = party_waiting
    with pytest.raises(services.RsvpError) as error:
        services.rsvp_respond(event=event, member=holder, answer="going", guests=2)
    assert error.value.code == "no_room_for_more"
    assert Rsvp.objects.get(member=holder).guests == 1


def test_page_places_left_are_the_places_the_next_answer_gets():
    event = make_event("Quay meet", capacity=4, guests_allowed=3)
    services.rsvp_respond(event=event, member=MemberFactory(), answer="going", guests=1)
    assert services.places_open(event=event) == 2
    rsvp = services.rsvp_respond(event=event, member=MemberFactory(), answer="going", guests=1)
    assert rsvp.state == Rsvp.State.CONFIRMED and services.places_open(event=event) == 0


def test_staff_listing_positions_follow_the_one_queue(party_waiting):
    event, _ = party_waiting
    services.rsvp_respond(event=event, member=MemberFactory(), answer="going")
    listed = Rsvp.objects.filter(event=event, state=Rsvp.State.WAITLISTED).annotate(
        position=services.waitlist_position_expression()
    )
    assert sorted((r.position, services.waitlist_position(rsvp=r)) for r in listed) == [
        (1, 1),
        (2, 2),
    ]
    assert [r.pk for r in services.waitlist_queue(event=event)] == [
        r.pk for r in sorted(listed, key=lambda r: r.position)
    ]
