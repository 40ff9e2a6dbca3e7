"""Who may see an event has one home (events.selectors.EVENT_VISIBILITY), in two forms built from
it: the queryset every listing uses (``events_visible_to``) and the check on the event in hand
that its page makes without a query (``event_visible_to``). They agree on every combination."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from community.models import ClubPage, Membership
from events.models import EventPage
from events.selectors import event_visible_to, events_visible_to
from tests.factories import MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db

HOSTS = ["none", "open club", "private club"]


@pytest.fixture
def events():
    """An event for each audience and host club (none, an open club, a private club)."""
    clubs = {
        "none": None,
        "open club": make_club("Sunday Drivers"),
        "private club": make_club("Inner Circle", access=ClubPage.Access.PRIVATE),
    }
    return [
        make_event(f"{audience} {host}", audience=audience, host_club=clubs[host])
        for audience in EventPage.Audience.values
        for host in HOSTS
        if not (audience == EventPage.Audience.CLUB and host == "none")  # a club's, by definition
    ]


def viewer_of(kind: str):
    if kind == "visitor":
        return AnonymousUser()
    if kind == "staff":
        return MemberFactory(is_staff=True)
    member = MemberFactory()
    status = {"private club member": "active", "private club invitee": "invited"}.get(kind)
    if status:
        club = ClubPage.objects.get(title="Inner Circle")
        Membership.objects.create(club=club, member=member, status=status)
    return member


KINDS = ["visitor", "member", "private club member", "private club invitee", "staff"]


@pytest.mark.parametrize("kind", KINDS)
def test_event_visible_to_agrees_with_events_visible_to_on_every_audience_and_host(events, kind):
    viewer = viewer_of(kind)
    listed = set(events_visible_to(viewer=viewer).values_list("pk", flat=True))
    checked = {event.pk for event in events if event_visible_to(event=event, viewer=viewer)}
    assert checked == listed


@pytest.mark.parametrize("kind", KINDS)
def test_event_visible_to_hides_an_unpublished_event_as_listings_do(kind):
    event = make_event("Quay meet")
    event.unpublish()
    event.refresh_from_db()
    viewer = viewer_of(kind) if kind in ("visitor", "member", "staff") else MemberFactory()
    assert not event_visible_to(event=event, viewer=viewer)
    assert not events_visible_to(viewer=viewer).filter(pk=event.pk).exists()


def test_event_visible_to_hides_an_event_in_a_private_section_as_listings_do(member):
    event = make_event("Quay meet")
    PageViewRestriction.objects.create(page=event.get_parent(), restriction_type="login")
    assert not event_visible_to(event=event, viewer=member)
    assert not events_visible_to(viewer=member).filter(pk=event.pk).exists()


def test_event_visible_to_runs_no_query_for_an_open_event_with_the_page_cache_on(member, settings):
    from paddock.page_cache import page_cache_clear

    settings.PADDOCK_PAGE_CACHE_SECONDS = 60
    page_cache_clear()
    event = make_event("Quay meet", audience=EventPage.Audience.MEMBERS)
    event_visible_to(event=event, viewer=member)  # private sections and clubs: kept
    with CaptureQueriesContext(connection) as queries:
        assert event_visible_to(event=event, viewer=member)
    assert len(queries) == 0
