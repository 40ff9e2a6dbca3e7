"""Calendar subscription links: ``{% load event_calendar %}``."""

from django import template

from events import feeds

register = template.Library()


@register.simple_tag(takes_context=True)
def my_calendar_url(context) -> str:
    """The signed "my events" feed URL of the signed-in member ("" for visitors)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return feeds.member_feed_url(user)


@register.simple_tag(takes_context=True)
def club_calendar_url(context, club) -> str:
    """The club's feed URL; signed for the signed-in member, so it also lists members' events."""
    user = getattr(context.get("request"), "user", None)
    return feeds.club_feed_url(club, member=user)


@register.filter
def webcal(url: str) -> str:
    return feeds.webcal(url) if url else ""
