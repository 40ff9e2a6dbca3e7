"""Private sections (Wagtail's page privacy): still enforced, and free while there are none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import make_club

pytestmark = pytest.mark.django_db


def test_page_in_a_section_for_signed_in_members_sends_a_visitor_to_sign_in(client):
    club = make_club("Inner circle")
    PageViewRestriction.objects.create(page=club.get_parent(), restriction_type="login")
    response = client.get(club.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_page_in_a_section_for_signed_in_members_shows_to_a_member(client, member):
    club = make_club("Inner circle")
    PageViewRestriction.objects.create(page=club.get_parent(), restriction_type="login")
    client.force_login(member)
    assert client.get(club.url).status_code == 200


def test_page_with_no_private_section_anywhere_reads_no_view_restrictions(client, member, settings):
    from paddock.page_cache import page_cache_clear

    settings.PADDOCK_PAGE_CACHE_SECONDS = 60  # the private sections are read once per generation
    page_cache_clear()
    club = make_club("Cooper S Owners")
    client.force_login(member)
    client.get(club.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(club.url)
    assert not [q for q in queries if "wagtailcore_pageviewrestriction" in q["sql"]]
