"""One set of words for the same action: "Sign in", "Sign out" and "Join", in the site's voice
on allauth's pages too."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OTHER_WORDS = re.compile(r"\b(Log ?in|Log ?out|Sign ?up|Signup|Register)\b", re.I)


def visible_text(html: str) -> str:
    """The page's words, without tags and attribute values (URL names such as /login/)."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_visitor_pages_use_sign_in_and_join_only(client, name):
    text = visible_text(client.get(reverse(name)).content.decode())
    assert not OTHER_WORDS.findall(text), OTHER_WORDS.findall(text)


def test_header_offers_sign_in_and_join_to_visitors(client):
    text = visible_text(client.get(reverse("account_login")).content.decode())
    assert "Sign in" in text and re.search(r"\bJoin\b", text)


def test_header_offers_sign_out_to_members(client, member):
    client.force_login(member)
    text = visible_text(client.get(reverse("community:garage")).content.decode())
    assert "Sign out" in text and not OTHER_WORDS.findall(text)


def test_sign_in_page_speaks_in_the_sites_voice(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "<h1>Sign in</h1>" in html
    assert "Keep me signed in on this device" in html and "Remember Me" not in html


def test_join_page_has_a_join_button(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert '<button class="button" type="submit">Join</button>' in html
