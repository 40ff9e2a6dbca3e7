"""One-click RSVP links: GET and HEAD never change anything; one POST changes exactly one RSVP."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from events.models import Rsvp
from events.tokens import LinkTarget, read_rsvp_link_token, rsvp_link_token
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db


def link(event, member, answer="going"):
    return reverse(
        "events:rsvp_link", args=[rsvp_link_token(event_id=event.pk, member_id=member.pk)]
    ) + (f"?answer={answer}")


def test_rsvp_link_50_gets_and_heads_change_nothing(client, member):
    event = make_event()
    url = link(event, member)
    for _ in range(25):
        assert client.get(url).status_code == 200
        assert client.head(url).status_code == 200
    assert not Rsvp.objects.exists()


def test_rsvp_link_get_preselects_the_answer(client, member):
    event = make_event()
    html = client.get(link(event, member, "maybe")).content.decode()
    assert re.search(r'<input[^>]*value="maybe"[^>]*checked', html)


def test_rsvp_link_post_changes_exactly_one_rsvp(client, member):
    event = make_event()
    other = MemberFactory()
    client.post(link(event, other), {"answer": "not_going"})
    client.post(link(event, member), {"answer": "going"})
    rsvp = Rsvp.objects.get(member=member)
    assert (rsvp.state, rsvp.source) == (Rsvp.State.CONFIRMED, Rsvp.Source.EMAIL)
    assert Rsvp.objects.get(member=other).answer == "not_going"
    assert Rsvp.objects.count() == 2


def test_rsvp_link_works_without_login_and_is_never_cached(client, member):
    event = make_event()
    response = client.get(link(event, member))
    assert "no-store" in response["Cache-Control"]


def test_rsvp_link_page_keeps_its_token_on_this_site(client, member):
    # "same-origin": no Referer to other sites, and the page's own forms post with their Origin
    # ("no-referrer" made Chromium post "Origin: null", which CSRF checking refuses).
    event = make_event()
    response = client.get(link(event, member))
    assert response["Referrer-Policy"] == "same-origin"


def test_rsvp_link_tampered_shows_clear_page(client, member):
    event = make_event()
    url = link(event, member).replace("?answer=going", "")
    response = client.get(url[:-3] + "xx/")
    assert response.status_code == 400
    assert "This link doesn't work" in response.content.decode()


def test_rsvp_link_expired_offers_a_fresh_link_by_email(
    client, member, django_capture_on_commit_callbacks
):
    event = make_event(days_ahead=90)
    with freeze_time("2026-01-01"):
        token = rsvp_link_token(event_id=event.pk, member_id=member.pk)
    response = client.get(reverse("events:rsvp_link", args=[token]))
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:rsvp_link_renew"), {"token": token})
    assert mail.outbox[-1].to == [member.email]
    fresh = re.search(r"/rsvp/([^/\s]+)/\?answer=going", mail.outbox[-1].body).group(1)
    assert read_rsvp_link_token(fresh) == LinkTarget(event_id=event.pk, member_id=member.pk)


def test_rsvp_link_renew_by_unknown_email_sends_nothing_and_says_the_same(
    client, django_capture_on_commit_callbacks
):
    make_event()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:rsvp_link_renew"), {"email": "nobody@example.com"}, follow=True
        )
    assert "If we know you" in response.content.decode()
    assert mail.outbox == []
