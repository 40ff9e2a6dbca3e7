"""Replies through a provider's inbound webhook (Postmark's documented JSON, via django-anymail)."""

import base64
import json

import pytest

from events.models import Rsvp
from events.tokens import reply_address
from tests.factories import make_event

pytestmark = pytest.mark.django_db

SECRET = "postmark:a-long-webhook-password"


def postmark_payload(
    *, to: str, sender: str, text: str, message_id: str = "73e6d360-66eb-11e1-8e72-a8904824019b"
):
    """Postmark's inbound webhook format (postmarkapp.com/developer/webhooks/inbound-webhook)."""
    return {
        "FromName": "Sam Porter",
        "MessageStream": "inbound",
        "From": sender,
        "FromFull": {"Email": sender, "Name": "Sam Porter", "MailboxHash": ""},
        "To": to,
        "ToFull": [{"Email": to, "Name": "", "MailboxHash": to.split("+", 1)[1].split("@")[0]}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": to,
        "Subject": "Re: You're invited: Quay meet",
        "MessageID": message_id,
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Tue, 1 Dec 2026 10:02:11 +0000",
        "TextBody": text + "\n\nOn Tue, 1 Dec 2026, Harbourside MINI wrote:\n> You're invited!",
        "HtmlBody": "",
        "StrippedTextReply": text,
        "Tag": "",
        "Headers": [
            {"Name": "Message-ID", "Value": f"<{message_id}@mail.example.com>"},
            {"Name": "X-Spam-Status", "Value": "No"},
        ],
        "Attachments": [],
    }


def post(client, payload, secret=SECRET):
    auth = base64.b64encode(secret.encode()).decode()
    return client.post(
        "/anymail/postmark/inbound/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def test_postmark_inbound_reply_yes_records_rsvp(client, member):
    event = make_event("Quay meet")
    to = reply_address(event_id=event.pk, member_id=member.pk)
    response = post(client, postmark_payload(to=to, sender=member.email, text="Yes, see you there"))
    assert response.status_code == 200
    assert Rsvp.objects.get(member=member).state == Rsvp.State.CONFIRMED


def test_postmark_inbound_without_the_secret_is_refused(client, member):
    event = make_event()
    to = reply_address(event_id=event.pk, member_id=member.pk)
    response = post(
        client, postmark_payload(to=to, sender=member.email, text="Yes"), secret="postmark:wrong"
    )
    assert response.status_code in (400, 401, 403)
    assert not Rsvp.objects.exists()


def test_postmark_inbound_from_someone_else_changes_nothing(client, member):
    event = make_event()
    to = reply_address(event_id=event.pk, member_id=member.pk)
    post(client, postmark_payload(to=to, sender="stranger@example.com", text="Yes"))
    assert not Rsvp.objects.exists()
