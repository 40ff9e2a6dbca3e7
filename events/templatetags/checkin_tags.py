"""A member's check-in code and its QR code, drawn as inline SVG (no image request, no library
in the browser): ``{% load checkin_tags %}{{ rsvp|checkin_code }} {% checkin_qr rsvp %}``."""

from functools import lru_cache
from urllib.parse import urlencode

import segno
from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from community.showrooms import absolute_url, site_of
from events.checkin import checkin_code_for

register = template.Library()


@register.filter
def checkin_code(rsvp) -> str:
    return checkin_code_for(rsvp)


def checkin_url(rsvp, request=None) -> str:
    """The staff check-in page at this attendee, which a phone's camera app opens from the QR:
    on the event's showroom (community.showrooms.absolute_url), whichever host shows the ticket."""
    path = reverse("events:checkin", args=[rsvp.event_id])
    return absolute_url(
        f"{path}?{urlencode({'code': checkin_code_for(rsvp)})}", site=site_of(rsvp.event)
    )


@lru_cache(maxsize=2048)
def _qr_svg(url: str, code: str) -> str:
    """Drawing a QR code takes milliseconds and a ticket is shown on every visit to the event's
    page: each process keeps the last ones it drew (a code's URL never changes)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4,
        border=4,
        omitsize=True,  # a viewBox only: CSS sets the size
        dark="#000",
        light="#fff",
        svgclass="ticket__qr-code",
        lineclass=None,
        title=f"QR code for check-in code {code}",
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


@register.simple_tag(takes_context=True)
def checkin_qr(context, rsvp) -> str:
    """The ticket's QR code as an ``<svg>`` that scales to its container (role img, labelled)."""
    url = checkin_url(rsvp, context.get("request"))
    return mark_safe(_qr_svg(url, checkin_code_for(rsvp)))  # segno's own markup
