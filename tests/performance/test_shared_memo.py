"""Small lookups kept in each process for a cache generation (``shared(..., memo=True)``), the
template fingerprint of members' shared bodies, and what they keep (routing, private clubs,
fitments): never older than the generation."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community import page_parts
from community.models import Membership
from community.selectors import page_at_path, private_club_ids_visible_to
from events.models import EventPage
from paddock.page_cache import generation_of_pages, page_cache_clear, shared
from tests.factories import (
    CarFactory,
    CarModelFactory,
    MemberFactory,
    PostFactory,
    make_accessory,
    make_club,
    make_event,
)

pytestmark = pytest.mark.django_db


class Builds:
    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return ("value", self.count)


def test_shared_memo_answers_from_process_memory_within_a_generation(page_cache):
    build = Builds()
    shared("test-memo", build, memo=True)
    # The cache's copy gone: the process still has it for this generation.
    cache.delete(f"paddock:shared:{generation_of_pages()}:test-memo")
    assert shared("test-memo", build, memo=True) == ("value", 1) and build.count == 1


def test_shared_memo_forgets_its_values_when_the_generation_changes(page_cache):
    build = Builds()
    shared("test-memo", build, memo=True)
    page_cache_clear()
    assert shared("test-memo", build, memo=True) == ("value", 2) and build.count == 2


def test_shared_memo_builds_every_time_with_the_page_cache_off(settings):
    settings.PADDOCK_PAGE_CACHE_SECONDS = 0
    build = Builds()
    shared("test-memo", build, memo=True)
    shared("test-memo", build, memo=True)
    assert build.count == 2


def test_shared_body_key_carries_the_template_fingerprint(page_cache, rf):
    key = page_parts._key(rf.get("/"), "community/home_page.html", "member", "g1")
    assert page_parts.template_fingerprint() in key


def test_changed_templates_give_the_next_member_a_body_rendered_again(page_cache, monkeypatch):
    event = make_event("Cars & Coffee")
    first, second = Client(), Client()
    first.force_login(MemberFactory())
    second.force_login(MemberFactory())
    first.get(event.url)
    monkeypatch.setattr(page_parts, "_fingerprint", ["a-deploy-with-other-templates"])
    assert second.get(event.url)[page_parts.BODY_HEADER] == "miss"


def test_page_routing_reads_only_the_pages_own_row(page_cache):
    event = make_event("Cars & Coffee")
    page_at_path(url_path=event.url_path)  # which page the path names: kept for the generation
    with CaptureQueriesContext(connection) as queries:
        found = page_at_path(url_path=event.url_path)
    assert isinstance(found, EventPage) and found.pk == event.pk and len(queries) == 1


def test_unpublished_page_is_not_found_by_members_at_once(page_cache):
    event = make_event("Cars & Coffee")
    member = Client()
    member.force_login(MemberFactory())
    assert member.get(event.url).status_code == 200
    event.unpublish()
    assert member.get(event.url).status_code == 404


def test_member_who_joins_a_private_club_sees_its_posts_at_once(page_cache):
    club = make_club("Inner Circle", access="private")
    PostFactory(club=club, title="Midnight run")
    member = MemberFactory()
    client = Client()
    client.force_login(member)
    assert "Midnight run" not in client.get("/community/").content.decode()
    Membership.objects.create(club=club, member=member)
    assert "Midnight run" in client.get("/community/").content.decode()


def test_private_clubs_of_a_member_without_any_are_read_with_no_query_while_none_exist(
    page_cache,
):
    make_club("Sunday Drivers")
    member = MemberFactory()
    private_club_ids_visible_to(member)  # the private clubs (none): kept for the generation
    with CaptureQueriesContext(connection) as queries:
        assert private_club_ids_visible_to(member) == []
    assert len(queries) == 0


def test_fits_mark_follows_a_published_change_of_fitments(page_cache):
    from accessories.models import AccessoryFitment

    cooper_s, clubman = CarModelFactory(name="Cooper S"), CarModelFactory(name="Clubman")
    member = MemberFactory()
    CarFactory(owner=member, car_model=cooper_s, year=2019)
    spoiler = make_accessory("JCW roof spoiler", fits=[(cooper_s, 2014, 2024)])
    client = Client()
    client.force_login(member)
    listing = spoiler.get_parent().url
    assert "Fits your" in client.get(listing).content.decode()
    AccessoryFitment.objects.filter(page=spoiler).update(car_model=clubman)
    spoiler.save_revision().publish()
    assert "Fits your" not in client.get(listing).content.decode()
