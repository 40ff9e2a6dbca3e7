"""Invitation texts' delivery receipts, counted where staff look: the invite screen's progress and
the Invitations report."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Channel, MemberMobile
from community.showrooms import absolute_url
from events import services
from events.invitations import invitation_progress, invitations_send
from events.models import Rsvp
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db


def _texting_members(count: int) -> list:
    members = MemberFactory.create_batch(count)
    for n, member in enumerate(members):
        MemberMobile.objects.create(
            member=member,
            number=f"+4479111234{n:02d}",
            verified_at=timezone.now(),
            consent_at=timezone.now(),
            consent_wording="Yes, text me.",
            invitations=Channel.TEXT,
        )
    return members


def _invite_by_text(event, members, capture) -> None:
    with capture(execute=True):
        invitations_send(event=event, by=None, member_ids=[m.pk for m in members])


def _receipt(client, twilio_api, to: str, status: str, error_code: str = "") -> None:
    [message] = [m for m in twilio_api.messages if m["To"] == to]
    url, form, signature = twilio_api.receipt(message, status, error_code=error_code)
    response = client.post(
        url.removeprefix(absolute_url("")), form, HTTP_X_TWILIO_SIGNATURE=signature
    )
    assert response.status_code == 204


@pytest.fixture
def receipts(client, twilio_api, django_capture_on_commit_callbacks):
    """An event whose invitation texts went to three members: one delivered, one not (30003),
    one still awaiting its receipt."""
    event = make_event("Cars & Coffee", capacity=10)
    members = _texting_members(3)
    _invite_by_text(event, members, django_capture_on_commit_callbacks)
    _receipt(client, twilio_api, "+447911123400", "delivered")
    _receipt(client, twilio_api, "+447911123401", "undelivered", "30003")
    return event, members


def test_invite_progress_counts_texts_delivered_not_delivered_and_awaiting(receipts):
    event, _ = receipts
    assert invitation_progress(event=event)["texts"] == {
        "queued": 0,
        "failed": 0,
        "sent": 3,
        "delivered": 1,
        "undelivered": 1,
        "awaiting": 1,
    }


def test_invite_screen_shows_the_texts_receipts(client, staff, receipts):
    event, _ = receipts
    client.force_login(staff)
    page = client.get(reverse("event_rsvps:invite", args=[event.pk])).content.decode()
    assert 'delivered <strong data-progress-text="delivered">1</strong>' in page
    assert 'not delivered <strong data-progress-text="undelivered">1</strong>' in page
    assert 'awaiting a receipt <strong data-progress-text="awaiting">1</strong>' in page


def test_invitation_report_counts_texts_delivered_and_answers_by_text(client, staff, receipts):
    event, members = receipts
    services.rsvp_respond(event=event, member=members[0], answer="going", source=Rsvp.Source.TEXT)
    client.force_login(staff)
    response = client.get(reverse("staff:report_invitations") + "?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["Event"] == "Cars & Coffee"]
    assert {
        key: row[key]
        for key in (
            "Invited",
            "Emails sent",
            "Texts sent",
            "Texts delivered",
            "Texts not delivered",
        )
    } == {
        "Invited": "3",
        "Emails sent": "0",
        "Texts sent": "3",
        "Texts delivered": "1",
        "Texts not delivered": "1",
    }
    assert (row["Answered by text"], row["Answer rate"]) == ("1", "33%")
