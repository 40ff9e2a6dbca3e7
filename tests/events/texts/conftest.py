"""Fixtures for members' texts about events: the ones of tests/community/texts (a member who may
be texted, the local Twilio Messages API), and a signed Twilio inbound webhook."""

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from community.showrooms import absolute_url
from tests.community.texts.conftest import (  # noqa: F401  (fixtures shared with community)
    SID,
    TOKEN,
    advisor,
    owner,
    quiet_hours,
    texting_member,
    texts_outbox,
    twilio_api,
)

MOBILE = "+447911123456"


def signed_post(client, *, body: str, sid: str, number: str = MOBILE, signature: str | None = None):
    """POST Twilio's inbound webhook for a text, signed as Twilio signs it (unless ``signature``)."""
    params = {"From": number, "To": "+447700900000", "Body": body, "MessageSid": sid}
    path = reverse("events:text_inbound")
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(absolute_url(path), params)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(path, params, **headers)


@pytest.fixture
def text_in(client, twilio_api, django_capture_on_commit_callbacks):  # noqa: F811
    """Send a signed text from the member's phone; the answers go out to the local Twilio API."""
    counter = iter(range(1, 10_000))

    def send(body: str, *, sid: str | None = None, number: str = MOBILE):
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_post(
                client, body=body, sid=sid or f"SM{next(counter):032d}", number=number
            )
        assert response.status_code == 200, response.content
        return response

    return send
