"""Signed-in pages run as many SQL queries for a showroom with 2 events, posts and members as for
one with 20: home page, event listing, event page and club page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Membership
from events import services
from tests.factories import CarFactory, MemberFactory, PostFactory, make_club, make_event

pytestmark = pytest.mark.django_db


class Showroom:
    """A club and an event that grow together: members join, post, and RSVP."""

    def __init__(self, viewer):
        self.viewer = viewer
        self.club = make_club("Cooper S Owners", members=[viewer])
        self.club.featured = True
        self.club.save_revision().publish()
        self.event = make_event("Track night", capacity=500, host_club=self.club)
        self.events = [self.event]
        services.rsvp_respond(event=self.event, member=viewer, answer="going")

    def grow(self, count: int) -> None:
        for n in range(count):
            member = MemberFactory(profile_visibility="public", show_garage=True)
            CarFactory(owner=member, photo="cars/demo.jpg")
            Membership.objects.create(club=self.club, member=member)
            PostFactory(author=member, club=self.club, title=f"Run {len(self.events)}-{n}")
            PostFactory(author=member, club=None, title=f"Story {n}", featured=n % 2 == 0)
            event = make_event(f"Meet {len(self.events)}", capacity=500)
            self.events.append(event)
            services.rsvp_respond(event=event, member=member, answer="going")
            services.rsvp_respond(event=self.event, member=member, answer="going")

    def urls(self) -> dict[str, str]:
        return {
            "home": "/",
            "event listing": self.event.get_parent().url,
            "event page": self.event.url,
            "club page": self.club.url,
        }


def queries_for(client, url) -> list[str]:
    client.get(url)  # warm per-process caches (site root paths, settings) so only the page counts
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("kind", ["home", "event listing", "event page", "club page"])
def test_signed_in_page_queries_do_not_grow_from_2_to_20(client, member, kind):
    showroom = Showroom(member)
    client.force_login(member)
    showroom.grow(2)
    small = queries_for(client, showroom.urls()[kind])
    showroom.grow(18)
    large = queries_for(client, showroom.urls()[kind])
    assert len(large) == len(small), "\n".join(q for q in large if q not in small)


@pytest.mark.parametrize("kind", ["home", "event listing", "event page", "club page"])
def test_signed_in_page_from_a_shared_body_queries_do_not_grow_from_2_to_20(
    client, member, settings, kind
):
    from paddock.page_cache import page_cache_clear

    settings.PADDOCK_PAGE_CACHE_SECONDS = 60  # members' pages from their audience's shared body
    showroom = Showroom(member)
    client.force_login(member)
    showroom.grow(2)
    page_cache_clear()
    small = queries_for(client, showroom.urls()[kind])  # the second request: the body's hit
    showroom.grow(18)
    page_cache_clear()
    large = queries_for(client, showroom.urls()[kind])
    assert len(large) == len(small), "\n".join(q for q in large if q not in small)
