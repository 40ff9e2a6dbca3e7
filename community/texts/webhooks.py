"""Where Twilio calls Paddock back about texts: the signature every such request must carry, and
the status callback (``/texts/status/``) with each text's delivery receipt.

Twilio signs each request with ``X-Twilio-Signature`` over the public address it called and the
posted form; RequestValidator checks it with TWILIO_AUTH_TOKEN. The address is rebuilt from the
showroom's public address (``community.showrooms.absolute_url``), as Twilio was given it, not
from the proxy's view of the request. Anything unsigned or forged gets 403 and changes nothing.
The member's own texts arrive at events' inbound webhook (events/views_texts.py), which uses the
same check.
"""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from community.models import OutboundText
from community.showrooms import absolute_url
from community.texts.services import text_delivery_record

logger = logging.getLogger("paddock.texts")

# Twilio's MessageStatus values that end a text's journey; the others (queued, sending, sent,
# accepted, scheduled) say nothing about the member's phone and are not recorded.
TWILIO_RECEIPTS = {
    "delivered": OutboundText.Delivery.DELIVERED,
    "read": OutboundText.Delivery.DELIVERED,
    "undelivered": OutboundText.Delivery.UNDELIVERED,
    "failed": OutboundText.Delivery.FAILED,
}


def twilio_signature_valid(request) -> bool:
    """Whether the request carries Twilio's valid signature over its public URL and form."""
    token = getattr(settings, "TWILIO_AUTH_TOKEN", "")
    signature = request.META.get("HTTP_X_TWILIO_SIGNATURE", "")
    if not token or not signature:
        return False
    url = absolute_url(request.get_full_path(), request=request)
    return RequestValidator(token).validate(url, request.POST.dict(), signature)


@csrf_exempt
@require_POST
def text_status_webhook(request):
    """Twilio's status callback for one text Paddock sent: record its delivery receipt."""
    if not twilio_signature_valid(request):
        return HttpResponseForbidden("Invalid Twilio signature.")
    delivery = TWILIO_RECEIPTS.get(request.POST.get("MessageStatus", "").lower())
    if delivery is not None:
        text = text_delivery_record(
            provider_id=request.POST.get("MessageSid", ""),
            delivery=delivery,
            error_code=request.POST.get("ErrorCode", ""),
        )
        if text is None:
            logger.info("Receipt for unknown text %s ignored.", request.POST.get("MessageSid"))
    return HttpResponse(status=204)
