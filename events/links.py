"""Addresses of the one-click RSVP links that mails carry (the page they open is
events/views_links.py)."""

from django.urls import reverse

from community.mail import absolute_url, mail_site
from events import tokens
from events.models import EventPage


def rsvp_link_url(*, event: EventPage, member, answer: str = "") -> str:
    token = tokens.rsvp_link_token(event_id=event.pk, member_id=member.pk)
    url = absolute_url(reverse("events:rsvp_link", args=[token]), site=mail_site(event))
    return f"{url}?answer={answer}" if answer else url
