"""The request's Site and the sites' root paths (what Wagtail routes and builds page links from)
are kept in each process for the cache generation: a signed-in request reads neither from Redis
nor from PostgreSQL, and a change to a site reaches the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from paddock.page_cache import _prefill_site, generation_of_pages
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def _request():
    return RequestFactory().get("/", HTTP_HOST="localhost")


def test_site_and_root_paths_come_from_process_memory_within_a_generation(page_cache):
    event = make_event("Cars & Coffee")
    _prefill_site(_request())
    # The shared cache's copies gone: this process still has them for the generation.
    cache.delete_many(cache.keys(f"paddock:shared:{generation_of_pages()}:*"))
    request = _request()
    with CaptureQueriesContext(connection) as queries:
        _prefill_site(request)
        event_url = event.get_url(request)
    assert (len(queries), event_url) == (0, event.url)


def test_each_request_gets_its_own_copy_of_the_site(page_cache):
    first, second = _request(), _request()
    _prefill_site(first)
    _prefill_site(second)
    assert first._wagtail_site == second._wagtail_site
    assert first._wagtail_site is not second._wagtail_site


def test_a_sites_new_hostname_reaches_the_next_requests_links(page_cache):
    _prefill_site(_request())
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "paddock.example", 443
    site.save()  # clears the generation, as publishing does
    request = _request()
    _prefill_site(request)
    assert [path.root_url for path in request._wagtail_cached_site_root_paths] == [
        "https://paddock.example"
    ]
