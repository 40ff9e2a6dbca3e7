"""Calendar subscription feeds (.ics): a club's events, and a member's own "my events".

A calendar app fetches a subscription URL on its own, without the member's session, so a feed
that shows anything private carries a signed token in its URL instead of a login:

* ``/clubs/<id>/events.ics``: the club's upcoming and recent events. Without a token it lists
  only what any visitor may see (public events of an open or approval club); a private club's
  feed is then a 404, as its page is. With ``?token=`` (a club feed token, signed for one member
  and that club, shown to members on the club page) it lists what that member may see, so a
  private club's members can subscribe too. The token stops working when they leave the club.
* ``/events/my/<token>.ics``: the events a member answered going or maybe (confirmed or on the
  waitlist), including cancelled ones (STATUS:CANCELLED) so calendars remove them.

Tokens are ``django.core.signing`` signatures without a timestamp, so a member's URL stays the
same and keeps working; a tampered or unknown token is a 404. Changing SECRET_KEY revokes all.
"""

from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from icalendar import Calendar, Event, vDuration

from community.models import ClubPage, Membership
from community.showrooms import absolute_url, site_of, site_page_url
from events.models import EventPage, Rsvp
from events.selectors import events_visible_to

MEMBER_SALT = "paddock.ics"
CLUB_SALT = "paddock.ics.club"
RECENT = timedelta(days=60)  # past events kept in a feed, so calendars don't drop them at once
FEED_LIMIT = 500
REFRESH = timedelta(hours=6)


# --- Tokens -----------------------------------------------------------------------------------


def member_feed_token(member) -> str:
    return signing.Signer(salt=MEMBER_SALT).sign_object({"member": member.pk})


def member_from_feed_token(token: str):
    """The active member the token was signed for, or None (bad signature, unknown member)."""
    try:
        data = signing.Signer(salt=MEMBER_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    pk = data.get("member") if isinstance(data, dict) else None
    return get_user_model().objects.filter(pk=pk, is_active=True).first() if pk else None


def club_feed_token(member, club: ClubPage) -> str:
    return signing.Signer(salt=CLUB_SALT).sign_object({"member": member.pk, "club": club.pk})


def _club_token_member(token: str, club: ClubPage):
    try:
        data = signing.Signer(salt=CLUB_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("club") != club.pk:
        return None
    return get_user_model().objects.filter(pk=data.get("member"), is_active=True).first()


def member_feed_url(member) -> str:
    return absolute_url(reverse("events:my_feed", kwargs={"token": member_feed_token(member)}))


def club_feed_url(club: ClubPage, member=None) -> str:
    """The club's feed URL on its own showroom; a member's own signed one when ``member`` is given."""
    url = absolute_url(reverse("events:club_feed", kwargs={"club_id": club.pk}), site=site_of(club))
    if member is not None and getattr(member, "is_authenticated", False):
        url += "?token=" + club_feed_token(member, club)
    return url


def webcal(url: str) -> str:
    """The same URL with the webcal:// scheme, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[-1]


# --- Calendar ---------------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "paddock.localhost"


def event_uid(event: EventPage) -> str:
    """Stable for the event's whole life, whichever feed or email carries it."""
    return f"event-{event.pk}@{_host()}"


def _absolute(event: EventPage, request) -> str:
    """The event's address on its own showroom (community.showrooms)."""
    return site_page_url(event)


def _location(event: EventPage) -> str:
    lines = [line.strip() for line in event.venue_address.splitlines() if line.strip()]
    return ", ".join([event.venue_name, *lines]) if event.venue_name else ", ".join(lines)


def _vevent(event: EventPage, request, *, note: str = "", prefix: str = "") -> Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    url = _absolute(event, request)
    description = "\n\n".join(part for part in (note, event.summary.strip(), url) if part)
    status = "CANCELLED" if event.is_cancelled else "CONFIRMED"
    vevent = Event.new(
        uid=event_uid(event),
        start=timezone.localtime(event.start, tz),
        end=timezone.localtime(event.end, tz),
        summary=f"{prefix}{event.title}",
        location=_location(event),
        description=description,
        url=url or None,
        sequence=event.sequence,
        status=status,
        stamp=timezone.now(),
    )
    if event.last_published_at:
        vevent.add("LAST-MODIFIED", event.last_published_at)
    return vevent


def build_calendar(*, name: str, uid: str, vevents: list[Event]) -> Calendar:
    calendar = Calendar.new(
        prodid=f"-//{settings.WAGTAIL_SITE_NAME}//Events//EN",
        name=name,  # NAME and X-WR-CALNAME
        uid=uid,
        refresh_interval=REFRESH,
        subcomponents=vevents,
    )
    calendar.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH).to_ical().decode())  # "PT6H"
    if vevents:
        starts = [vevent.start.date() for vevent in vevents]
        ends = [vevent.end.date() for vevent in vevents]
        # VTIMEZONE for Europe/London, with its transitions over the years the events span.
        calendar.add_missing_timezones(
            first_date=min(starts) - timedelta(days=366), last_date=max(ends) + timedelta(days=366)
        )
    return calendar


def _ics_response(calendar: Calendar, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
    else:
        patch_cache_control(response, public=True, max_age=900)
    return response


def _feed_window(qs):
    return qs.filter(end__gte=timezone.now() - RECENT).order_by("start")[:FEED_LIMIT]


# --- Views ------------------------------------------------------------------------------------


def club_feed(request, club_id: int):
    club = get_object_or_404(ClubPage.objects.live().public(), pk=club_id)
    token = request.GET.get("token", "")
    member = _club_token_member(token, club) if token else None
    if token and member is None:
        raise Http404("No such calendar.")
    if club.access == ClubPage.Access.PRIVATE:
        is_member = (
            member is not None
            and Membership.objects.filter(
                club=club, member=member, status=Membership.Status.ACTIVE
            ).exists()
        )
        if not is_member:
            raise Http404("No such calendar.")
    # Never what the fetching session may see: the URL is shared, and calendar apps have none.
    viewer = member if member is not None else AnonymousUser()
    events = _feed_window(events_visible_to(viewer=viewer).filter(host_club=club))
    calendar = build_calendar(
        name=f"{club.title}: events",
        uid=f"club-{club.pk}@{_host()}",
        vevents=[_vevent(event, request) for event in events],
    )
    return _ics_response(calendar, filename=f"{club.slug}-events.ics", private=member is not None)


def my_feed(request, token: str):
    member = member_from_feed_token(token)
    if member is None:
        raise Http404("No such calendar.")
    rsvps = {
        rsvp.event_id: rsvp
        for rsvp in Rsvp.objects.filter(member=member).filter(
            Q(answer=Rsvp.Answer.GOING, state__in=[Rsvp.State.CONFIRMED, Rsvp.State.WAITLISTED])
            | Q(answer=Rsvp.Answer.MAYBE)
        )
    }
    events = _feed_window(events_visible_to(viewer=member).filter(pk__in=list(rsvps)))
    vevents = []
    for event in events:
        rsvp = rsvps[event.pk]
        if rsvp.state == Rsvp.State.WAITLISTED:
            note, prefix = (
                "You are on the waitlist: we'll email you if a place frees up.",
                "(Waitlist) ",
            )
        elif rsvp.answer == Rsvp.Answer.MAYBE:
            note, prefix = "You answered maybe.", "(Maybe) "
        else:
            note, prefix = (
                f"You're going: {rsvp.places} place{'s' if rsvp.places != 1 else ''}.",
                "",
            )
        if event.is_cancelled:
            note = "This event has been cancelled."
        vevents.append(_vevent(event, request, note=note, prefix=prefix))
    calendar = build_calendar(
        name=f"My {settings.WAGTAIL_SITE_NAME} events",
        uid=f"member-{member.pk}@{_host()}",
        vevents=vevents,
    )
    return _ics_response(calendar, filename="my-events.ics", private=True)
