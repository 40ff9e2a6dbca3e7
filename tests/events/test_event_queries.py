"""The event page and the event listing run a number of queries that does not grow with attendees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from tests.factories import MemberFactory, event_index, make_event

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    client.get(url)  # warm per-process caches (site root paths, settings) so only the page counts
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def fill(event, count):
    for member in MemberFactory.create_batch(count, profile_visibility="public"):
        services.rsvp_respond(event=event, member=member, answer="going")


@pytest.mark.parametrize("signed_in", [False, True])
def test_event_page_queries_do_not_grow_with_attendees(client, member, signed_in):
    if signed_in:
        client.force_login(member)
    small, large = make_event("Small meet", capacity=100), make_event("Big meet", capacity=100)
    fill(small, 3)
    fill(large, 30)
    assert queries_for(client, large.url) == queries_for(client, small.url)


@pytest.mark.parametrize("signed_in", [False, True])
def test_event_listing_queries_do_not_grow_with_events_or_attendees(client, member, signed_in):
    if signed_in:
        client.force_login(member)
    first = make_event("First meet")
    fill(first, 2)
    before = queries_for(client, event_index().url)
    for n in range(8):
        fill(make_event(f"Meet {n}"), 4)
    assert queries_for(client, event_index().url) == before
