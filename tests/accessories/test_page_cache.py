"""Visitors' accessory pages come from the page cache: the lead form carries no CSRF token for
them, the page's script fetches one from /csrf/, and without it the form comes back, kept, to be
sent again. Members still get the token inline and a page of their own."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accessories.models import Lead
from paddock.page_cache import HIT_HEADER
from tests.factories import make_accessory

pytestmark = pytest.mark.django_db

VISITOR = {
    "kind": "ask",
    "name": "Alex Visitor",
    "email": "alex@example.com",
    "message": "Does it come in black?",
    "consent": "on",
    "website": "",
}
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def page_cache(settings):
    settings.PADDOCK_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def accessory(db):
    return make_accessory("Roof spoiler", part_number="51 62 2 465 951")


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def send_url(accessory) -> str:
    return reverse("accessories:lead_send", args=[accessory.pk])


def token_in(response) -> str:
    found = TOKEN_FIELD.search(response.content.decode())
    assert found, "no csrfmiddlewaretoken field in the page"
    return found.group(1)


# --- Cached for visitors ----------------------------------------------------------------------


def test_accessory_listing_is_served_from_the_cache_to_a_second_visitor(accessory, page_cache):
    csrf_client().get(accessory.get_parent().url)
    response = csrf_client().get(accessory.get_parent().url)
    assert response.status_code == 200 and response[HIT_HEADER] == "hit"
    assert "Roof spoiler" in response.content.decode()
    assert (
        "csrftoken" not in response.cookies
        and "csrfmiddlewaretoken" not in response.content.decode()
    )


def test_accessory_page_is_served_from_the_cache_to_a_second_visitor_without_a_token(
    accessory, page_cache
):
    first = csrf_client().get(accessory.url)
    response = csrf_client().get(accessory.url)
    assert (first[HIT_HEADER], response[HIT_HEADER]) == ("miss", "hit")
    assert not response.cookies and "cookie" not in response.get("Vary", "").lower()
    assert token_in(response) == ""  # the field is there, empty, for the script to fill
    assert f'data-csrf-url="{reverse("csrf_token")}"' in response.content.decode()


def test_member_accessory_page_has_the_token_inline_and_is_not_cached(
    client, accessory, page_cache, member
):
    csrf_client().get(accessory.url)  # a visitor's copy is in the cache
    client.force_login(member)
    response = client.get(accessory.url)
    assert HIT_HEADER not in response
    assert len(token_in(response)) == 64
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert f'action="{accessory.url}#ask"' in response.content.decode()


# --- The token endpoint -----------------------------------------------------------------------


def test_csrf_endpoint_is_no_store_and_sets_the_cookie(page_cache):
    client = csrf_client()
    client.get(reverse("csrf_token"))
    response = client.get(reverse("csrf_token"))
    assert response.status_code == 200 and HIT_HEADER not in response
    assert len(response.json()["token"]) == 64
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "csrftoken" in response.cookies and response.cookies["csrftoken"]["httponly"]


# --- Sending the lead -------------------------------------------------------------------------


def test_visitor_lead_with_the_token_from_the_endpoint_creates_the_lead(accessory, page_cache):
    client = csrf_client()
    page = client.get(accessory.url)
    token = client.get(reverse("csrf_token")).json()["token"]
    data = {**VISITOR, "csrfmiddlewaretoken": token}
    response = client.post(send_url(accessory), data)
    assert page[HIT_HEADER] == "miss"
    assert response.status_code == 302 and response["Location"] == f"{accessory.url}#ask"
    lead = Lead.objects.get()
    assert (lead.accessory, lead.email, lead.member) == (accessory, "alex@example.com", None)


def test_visitor_lead_without_a_token_shows_the_form_again_with_what_was_typed(accessory):
    response = csrf_client().post(send_url(accessory), VISITOR)
    content = response.content.decode()
    assert response.status_code == 403 and not Lead.objects.exists()
    assert "Please send again" in content
    assert 'value="Alex Visitor"' in content and "Does it come in black?" in content
    assert len(token_in(response)) == 64 and "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"]


def test_visitor_lead_sent_again_from_the_fallback_creates_the_lead(accessory):
    client = csrf_client()
    again = client.post(send_url(accessory), VISITOR)
    response = client.post(send_url(accessory), {**VISITOR, "csrfmiddlewaretoken": token_in(again)})
    assert response.status_code == 302
    assert Lead.objects.get().message == "Does it come in black?"


def test_visitor_lead_without_a_token_and_bad_input_shows_the_error_and_keeps_it(accessory):
    response = csrf_client().post(send_url(accessory), {**VISITOR, "email": "alex@"})
    content = response.content.decode()
    assert "Please send again" in content and "Enter a valid email address" in content
    assert 'value="alex@"' in content and "Does it come in black?" in content
    assert not Lead.objects.exists()


def test_visitor_lead_with_a_token_and_bad_input_shows_the_error_and_a_token(accessory):
    client = csrf_client()
    token = client.get(reverse("csrf_token")).json()["token"]
    data = {**VISITOR, "email": "alex@", "csrfmiddlewaretoken": token}
    response = client.post(send_url(accessory), data)
    content = response.content.decode()
    assert response.status_code == 400 and "Please send again" not in content
    assert "Enter a valid email address" in content and len(token_in(response)) == 64
    assert not Lead.objects.exists()


def test_visitor_lead_from_another_site_is_refused(accessory):
    client = csrf_client()
    token = client.get(reverse("csrf_token")).json()["token"]
    data = {**VISITOR, "csrfmiddlewaretoken": token}
    response = client.post(send_url(accessory), data, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403 and not Lead.objects.exists()


def test_lead_for_an_unpublished_accessory_is_not_found(accessory):
    accessory.unpublish()
    response = csrf_client().post(send_url(accessory), VISITOR)
    assert response.status_code == 404 and not Lead.objects.exists()
