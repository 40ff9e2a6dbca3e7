"""The event an RSVP or a form on an event's page posts to is found with one compiled query
(events.selectors.visible_event), under the same rules as every listing (events_visible_to)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from community.models import ClubPage
from events.models import EventPage
from events.selectors import visible_event
from tests.factories import MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db


def test_visible_event_shows_a_public_event_to_a_visitor():
    event = make_event("Quay meet")
    assert visible_event(viewer=AnonymousUser(), event_id=event.pk) == event


def test_visible_event_hides_a_members_event_from_a_visitor(member):
    event = make_event("Members' evening", audience=EventPage.Audience.MEMBERS)
    assert visible_event(viewer=AnonymousUser(), event_id=event.pk) is None
    assert visible_event(viewer=member, event_id=event.pk) == event


def test_visible_event_shows_a_private_clubs_event_to_its_members_only(member):
    club = make_club("Inner circle", access=ClubPage.Access.PRIVATE, members=[member])
    event = make_event("Inner circle drive", host_club=club)
    outsider = MemberFactory()
    assert visible_event(viewer=member, event_id=event.pk) == event
    assert visible_event(viewer=outsider, event_id=event.pk) is None


def test_visible_event_shows_a_private_clubs_event_to_staff(staff):
    club = make_club("Inner circle", access=ClubPage.Access.PRIVATE)
    event = make_event("Inner circle drive", host_club=club)
    assert visible_event(viewer=staff, event_id=event.pk) == event


def test_visible_event_hides_an_unpublished_event(member):
    event = make_event("Draft meet")
    event.unpublish()
    assert visible_event(viewer=member, event_id=event.pk) is None


def test_rsvp_to_a_private_clubs_event_by_an_outsider_is_not_found(client, member):
    club = make_club("Inner circle", access=ClubPage.Access.PRIVATE)
    event = make_event("Inner circle drive", host_club=club)
    client.force_login(member)
    response = client.post(f"/events/{event.pk}/rsvp/", {"answer": "going"})
    assert response.status_code == 404
    assert not event.rsvps.exists()
