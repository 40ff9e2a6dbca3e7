"""Paddock's web side of texts: Twilio's inbound message webhook (``/texts/inbound/``), where a
member's texted reply arrives, and the short one-click link an invitation text carries
(``/t/<code>/``).

The webhook only believes Twilio: ``X-Twilio-Signature`` is checked as for every Twilio callback
(``community.texts.webhooks.twilio_signature_valid``); anything unsigned or forged gets 403 and
changes nothing. The answer to Twilio is an empty TwiML
<Response/>: replies to the member go through the text outbox (events/text_replies.py).
"""

from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from community.models import Member
from community.showrooms import site_for_request
from community.texts.webhooks import twilio_signature_valid
from events.models import EventPage
from events.text_replies import inbound_text_handle
from events.texts import short_link_read
from events.views_links import rsvp_link_url

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


@csrf_exempt
@require_POST
def inbound_text_webhook(request):
    """Twilio's "A message comes in" webhook: record and answer the member's text."""
    if not twilio_signature_valid(request):
        return HttpResponseForbidden("Invalid Twilio signature.")
    message_sid = request.POST.get("MessageSid", "")
    from_number = request.POST.get("From", "")
    if message_sid and from_number:
        inbound_text_handle(
            message_sid=message_sid,
            from_number=from_number,
            to_number=request.POST.get("To", ""),
            body=request.POST.get("Body", ""),
            site=site_for_request(request),
        )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@require_safe
def text_short_link(request, code: str):
    """An invitation text's short link: on to the member's one-click RSVP page."""
    target = short_link_read(code)
    if target is None:
        raise Http404("This link is damaged.")
    event = get_object_or_404(EventPage.objects.live(), pk=target[0])
    member = get_object_or_404(Member, pk=target[1], is_active=True)
    return redirect(rsvp_link_url(event=event, member=member))
