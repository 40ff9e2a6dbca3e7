"""Delivery receipts: each text asks Twilio for its status callback, and the signed receipts say
whether the member's phone got it (delivered, not delivered, failed at the carrier)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import OutboundText
from community.showrooms import absolute_url
from community.texts.outbox import text_enqueue, text_send

pytestmark = pytest.mark.django_db


def _sent(twilio_api) -> tuple[OutboundText, dict]:
    text = text_enqueue(kind="invitations", to="+447911123456", body="Cars & Coffee", urgent=True)
    text_send(text_id=text.pk)
    text.refresh_from_db()
    return text, twilio_api.messages[-1]


def _post_receipt(client, twilio_api, message, status, *, error_code="", signature=None):
    url, form, signed = twilio_api.receipt(message, status, error_code=error_code)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signed if signature is None else signature}
    return client.post(url.removeprefix(absolute_url("")), form, **headers)


def test_twilio_text_asks_for_receipts_at_the_status_callback(twilio_api):
    _text, message = _sent(twilio_api)
    assert message["StatusCallback"] == absolute_url(reverse("community:text_status"))


def test_twilio_text_asks_for_no_receipts_when_the_callback_is_off(twilio_api, settings):
    settings.TWILIO_STATUS_CALLBACK = False
    _text, message = _sent(twilio_api)
    assert "StatusCallback" not in message


def test_delivered_receipt_is_recorded(client, twilio_api):
    text, message = _sent(twilio_api)
    response = _post_receipt(client, twilio_api, message, "delivered")
    text.refresh_from_db()
    assert response.status_code == 204
    assert text.delivery == OutboundText.Delivery.DELIVERED and text.delivery_at <= timezone.now()


def test_undelivered_receipt_keeps_the_carriers_error_code(client, twilio_api):
    text, message = _sent(twilio_api)
    _post_receipt(client, twilio_api, message, "undelivered", error_code="30003")
    text.refresh_from_db()
    assert (text.delivery, text.delivery_error) == (OutboundText.Delivery.UNDELIVERED, "30003")


def test_failed_receipt_is_recorded_as_failed_at_the_carrier(client, twilio_api):
    text, message = _sent(twilio_api)
    _post_receipt(client, twilio_api, message, "failed", error_code="30008")
    text.refresh_from_db()
    assert text.delivery == OutboundText.Delivery.FAILED
    assert text.status == OutboundText.Status.SENT  # Twilio took it; the carrier did not


def test_forged_receipt_gets_403_and_changes_nothing(client, twilio_api):
    text, message = _sent(twilio_api)
    response = _post_receipt(client, twilio_api, message, "delivered", signature="forged")
    text.refresh_from_db()
    assert response.status_code == 403 and text.delivery == ""


def test_unsigned_receipt_gets_403(client, twilio_api):
    _text, message = _sent(twilio_api)
    response = _post_receipt(client, twilio_api, message, "delivered", signature="")
    assert response.status_code == 403


def test_late_sent_status_after_delivered_changes_nothing(client, twilio_api):
    text, message = _sent(twilio_api)
    _post_receipt(client, twilio_api, message, "delivered")
    _post_receipt(client, twilio_api, message, "sent")
    _post_receipt(client, twilio_api, message, "undelivered", error_code="30005")
    text.refresh_from_db()
    assert (text.delivery, text.delivery_error) == (OutboundText.Delivery.DELIVERED, "")


def test_receipt_for_a_text_paddock_did_not_send_changes_nothing(client, twilio_api):
    text, message = _sent(twilio_api)
    stranger = {**message, "sid": "SM" + "f" * 32}
    response = _post_receipt(client, twilio_api, stranger, "delivered")
    text.refresh_from_db()
    assert response.status_code == 204 and text.delivery == ""
