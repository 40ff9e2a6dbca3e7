"""Anonymous pages: no session, no cookie, no Vary: Cookie; served from the page cache the second
time; the cache cleared when staff publish; members never get a cached page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import DealershipSettings
from paddock.page_cache import HIT_HEADER
from tests.factories import PostFactory, make_accessory, make_club, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(db):
    """The public page kinds: home, event listing, event page, club page, community feed, the
    accessory listing and an accessory page (its lead form without a token for visitors)."""
    event = make_event("Cars & Coffee", capacity=10)
    club = make_club("Cooper S Owners")
    PostFactory(club=club, title="Coast road run")
    accessory = make_accessory("Roof spoiler")
    return {
        "home": "/",
        "event listing": event.get_parent().url,
        "event page": event.url,
        "club page": club.url,
        "community feed": "/community/",
        "accessory listing": accessory.get_parent().url,
        "accessory page": accessory.url,
    }


KINDS = [
    "home",
    "event listing",
    "event page",
    "club page",
    "community feed",
    "accessory listing",
    "accessory page",
]


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_page_sets_no_cookie(client, pages, kind):
    response = client.get(pages[kind])
    assert response.status_code == 200
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_page_does_not_vary_on_cookie(client, pages, kind):
    response = client.get(pages[kind])
    assert "cookie" not in response.get("Vary", "").lower()


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_page_is_served_from_cache_without_queries(client, pages, page_cache, kind):
    first = client.get(pages[kind])
    with CaptureQueriesContext(connection) as queries:
        second = client.get(pages[kind])
    assert second.status_code == 200 and second[HIT_HEADER] == "hit"
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert second.content == first.content


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_cache_hit_takes_one_round_trip_to_the_cache(client, pages, page_cache, kind):
    from unittest import mock

    from django.core.cache import cache

    client.get(pages[kind])
    calls = []
    methods = ("get", "get_many", "set", "add", "incr", "delete")
    with mock.patch.multiple(
        cache, **{m: mock.Mock(wraps=getattr(cache, m), side_effect=None) for m in methods}
    ):
        response = client.get(pages[kind])
        calls = [(m, getattr(cache, m).call_count) for m in methods if getattr(cache, m).called]
    assert response[HIT_HEADER] == "hit"
    assert calls == [("get_many", 1)]


def test_anonymous_cached_page_may_be_kept_by_shared_caches(client, pages, page_cache):
    response = client.get("/")
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=60"} <= directives


def test_publishing_a_page_clears_the_cache(client, pages, page_cache):
    from events.models import EventPage

    assert "Cars &amp; Coffee" in client.get("/").content.decode()
    event = EventPage.objects.get(title="Cars & Coffee")
    event.title = "Cars & Croissants"
    event.save_revision().publish()
    response = client.get("/")
    assert response[HIT_HEADER] == "miss"
    assert "Cars &amp; Croissants" in response.content.decode()


def test_unpublishing_a_page_clears_the_cache(client, pages, page_cache):
    from events.models import EventPage

    client.get(pages["event listing"])
    EventPage.objects.get(title="Cars & Coffee").unpublish()
    assert "Cars &amp; Coffee" not in client.get(pages["event listing"]).content.decode()


def test_saving_the_showrooms_settings_clears_the_cache(client, pages, page_cache):
    from wagtail.models import Site

    client.get("/")
    dealership = DealershipSettings.for_site(Site.objects.get(is_default_site=True))
    dealership.name = "Harbourside Motors"
    dealership.save()
    assert "Harbourside Motors" in client.get("/").content.decode()


def test_each_host_has_its_own_cached_copy(client, pages, page_cache):
    client.get("/", HTTP_HOST="north.test")
    assert client.get("/", HTTP_HOST="south.test")[HIT_HEADER] == "miss"


def test_signed_in_member_never_gets_a_cached_page(client, pages, page_cache, member):
    client.get("/")  # a visitor's copy is in the cache
    client.force_login(member)
    response = client.get("/")
    assert HIT_HEADER not in response
    assert "Sign out" in response.content.decode()


@pytest.mark.parametrize("kind", ["event page", "club page", "community feed"])
def test_signed_in_page_is_private_and_not_stored(client, pages, page_cache, member, kind):
    client.force_login(member)
    client.get(pages[kind])
    response = client.get(pages[kind])
    assert HIT_HEADER not in response
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_page_with_a_message_for_the_visitor_is_not_cached(client, pages, page_cache, member):
    client.force_login(member)
    client.post("/accounts/logout/")  # "You have signed out." waits for the next page
    response = client.get("/")
    assert "signed out" in response.content.decode()
    client.cookies.clear()
    assert "signed out" not in client.get("/").content.decode()


def test_login_page_is_never_cached(client, page_cache):
    client.get("/accounts/login/")
    response = client.get("/accounts/login/")
    assert HIT_HEADER not in response and "csrftoken" in response.cookies


def test_member_sees_a_new_menu_page_once_it_is_published(client, pages, page_cache, member):
    from wagtail.models import Site

    from community.models import StandardPage

    client.force_login(member)
    client.get("/")  # the menu is in the shared cache now
    home = Site.objects.get(is_default_site=True).root_page
    about = home.add_child(instance=StandardPage(title="Our workshop", slug="workshop", live=False))
    about.show_in_menus = True
    about.save_revision().publish()
    assert ">Our workshop</a>" in client.get("/").content.decode()


def test_member_sees_saved_showroom_settings_at_once(client, pages, page_cache, member):
    from wagtail.models import Site

    client.force_login(member)
    client.get("/")  # the showroom's settings are in the shared cache now
    dealership = DealershipSettings.for_site(Site.objects.get(is_default_site=True))
    dealership.tagline = "Open late on Thursdays"
    dealership.save()
    assert "Open late on Thursdays" in client.get("/").content.decode()


def test_a_clear_by_another_process_is_seen_by_the_next_request(client, pages, page_cache):
    """No per-process memo of the generation: each request reads it (in the same MGET as the
    page), so a clear made by any process, here written straight to the cache, counts at once."""
    import uuid

    from django.core.cache import cache

    from paddock.page_cache import GENERATION_KEY

    client.get(pages["accessory page"])
    assert client.get(pages["accessory page"])[HIT_HEADER] == "hit"
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    assert client.get(pages["accessory page"])[HIT_HEADER] == "miss"


@pytest.mark.parametrize("kind", ["home", "accessory page"])
def test_anonymous_cache_hit_has_the_security_headers_of_the_page(client, pages, page_cache, kind):
    """A hit is served before most middleware: it still gets every security header."""
    names = [
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ]
    miss = client.get(pages[kind])
    hit = client.get(pages[kind])
    assert (miss[HIT_HEADER], hit[HIT_HEADER]) == ("miss", "hit")
    assert {n: hit.get(n) for n in names} == {n: miss.get(n) for n in names}
    assert all(hit.get(n) for n in names), {n: hit.get(n) for n in names}
    assert int(hit["Content-Length"]) == len(hit.content)


def test_member_page_reads_the_generation_once(client, pages, page_cache, member):
    from unittest import mock

    from django.core.cache import cache

    from paddock.page_cache import GENERATION_KEY

    client.force_login(member)
    client.get(pages["accessory page"])  # the shared lookups are in the cache now
    with mock.patch.object(cache, "get", wraps=cache.get) as get:
        response = client.get(pages["accessory page"])
    assert response.status_code == 200
    assert [c.args[0] for c in get.call_args_list].count(GENERATION_KEY) == 1


def test_publishing_in_a_request_is_seen_by_the_rest_of_it(rf, page_cache):
    from django.http import HttpResponse

    from paddock import page_cache as module

    middleware = module.AnonymousPageMiddleware(lambda request: None)
    seen = []

    def view(request):
        before = module._generation()
        module.page_cache_clear()
        seen.extend([before, module._generation()])
        return HttpResponse("ok")

    middleware.get_response = view
    middleware(rf.get("/", HTTP_COOKIE="sessionid=x"))
    assert seen[0] != seen[1] and module._generation() == seen[1]
    assert module._request_generation.get() is None  # nothing outlives the request
