"""One rule builds every absolute link (community.showrooms.absolute_url): the default showroom
is at SITE_URL, any other at its own Site's address, whichever host a request came in on."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from community.showrooms import absolute_url, default_site

pytestmark = pytest.mark.django_db

SITE_URL = "https://club.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def og(html: str, prop: str) -> str:
    return re.search(rf'<meta property="og:{prop}" content="([^"]*)"', html).group(1)


def test_absolute_url_of_the_default_showroom_is_on_site_url():
    assert absolute_url("/events/", site=default_site()) == f"{SITE_URL}/events/"
    assert absolute_url("/events/") == f"{SITE_URL}/events/"


def test_absolute_url_of_another_showroom_is_on_its_own_address(north):
    assert absolute_url("/events/", site=north.site) == "http://north.test/events/"


def test_absolute_url_for_a_request_follows_its_showroom_not_its_port(north):
    request = RequestFactory().get("/", HTTP_HOST="north.test")
    assert absolute_url("/x/", request=request) == "http://north.test/x/"
    local = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8100")
    assert absolute_url("/x/", request=local) == f"{SITE_URL}/x/"


def test_post_og_url_is_built_by_the_rule_not_from_the_request_host(client, north):
    html = client.get(north.post.get_absolute_url(), HTTP_HOST="north.test").content.decode()
    assert og(html, "url") == f"http://north.test{north.post.get_absolute_url()}"


def test_verification_link_on_another_showroom_is_on_its_address(client, north):
    client.post(
        reverse("account_signup"),
        {
            "email": "north.owner@example.com",
            "display_name": "North Owner",
            "town": "Northgate",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
        HTTP_HOST="north.test",
    )
    assert re.search(r"^http://north\.test/accounts/confirm-email/\S+/$", mail.outbox[0].body, re.M)


def test_checkin_qr_is_on_the_event_showroom_whatever_host_shows_the_ticket(north, member):
    from events.services import rsvp_respond
    from events.templatetags.checkin_tags import checkin_url

    rsvp = rsvp_respond(event=north.event, member=member, answer="going", notify=False)
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8100")
    assert checkin_url(rsvp, request).startswith(f"http://north.test/events/{north.event.pk}/")
