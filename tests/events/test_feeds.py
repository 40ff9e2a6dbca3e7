"""Calendar feeds: a club's events and a member's own events, as .ics that calendar apps read."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community.models import ClubPage
from events import feeds, services
from events.models import EventPage, Rsvp
from tests.factories import MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def by_uid(calendar: Calendar) -> dict:
    return {str(vevent.uid): vevent for vevent in calendar.events}


def club_url(club, token=None):
    url = reverse("events:club_feed", kwargs={"club_id": club.pk})
    return f"{url}?token={token}" if token else url


def my_url(token):
    return reverse("events:my_feed", kwargs={"token": token})


def going(event, member, **kwargs):
    return services.rsvp_respond(event=event, member=member, answer="going", **kwargs)


# --- Club feed -----------------------------------------------------------------------------------


def test_club_feed_lists_public_events_with_uid_timezone_and_sequence(client):
    club = make_club("Cooper S Owners")
    event = make_event("Coast run", host_club=club, venue_address="Harbour Road\nSaltmouth")
    EventPage.objects.filter(pk=event.pk).update(sequence=3)
    make_event("Members' evening", host_club=club, audience=EventPage.Audience.MEMBERS)
    make_event("Another club's meet")

    calendar = parse(client.get(club_url(club)))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Cooper S Owners: events"
    assert "Paddock" in str(calendar["PRODID"])
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"
    vevents = by_uid(calendar)
    uid = f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname}"
    assert list(vevents) == [uid]
    vevent = vevents[uid]
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert vevent.start == event.start and str(vevent.start.tzinfo) == "Europe/London"
    assert vevent.end == event.end
    assert vevent.sequence == 3
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["SUMMARY"]) == "Coast run"
    assert str(vevent["LOCATION"]) == "Saltmouth Quay, Harbour Road, Saltmouth"
    assert str(vevent["URL"]).endswith(event.url)
    assert str(vevent["URL"]) in str(vevent["DESCRIPTION"])


def test_club_feed_marks_cancelled_event_and_drops_long_past_ones(client):
    club = make_club()
    cancelled = make_event("Cancelled meet", host_club=club, status=EventPage.Status.CANCELLED)
    old = make_event("Last spring", host_club=club, days_ahead=-200)

    vevents = by_uid(parse(client.get(club_url(club))))

    assert str(vevents[feeds.event_uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert feeds.event_uid(old) not in vevents


def test_private_club_feed_is_404_without_token_even_for_signed_in_member(client, member):
    club = make_club("Inner circle", access=ClubPage.Access.PRIVATE, members=[member])
    make_event("Secret run", host_club=club)

    assert client.get(club_url(club)).status_code == 404
    client.force_login(member)  # a calendar app has no session: the feed never uses it
    assert client.get(club_url(club)).status_code == 404


def test_private_club_feed_with_member_token_lists_club_events(client, member):
    club = make_club("Inner circle", access=ClubPage.Access.PRIVATE, members=[member])
    event = make_event("Secret run", host_club=club, audience=EventPage.Audience.CLUB)

    response = client.get(club_url(club, feeds.club_feed_token(member, club)))

    assert list(by_uid(parse(response))) == [feeds.event_uid(event)]
    assert "no-store" in response["Cache-Control"]


def test_private_club_feed_refuses_outsider_tampered_and_other_club_tokens(client, member):
    club = make_club("Inner circle", access=ClubPage.Access.PRIVATE, members=[member])
    other = make_club("Sunday Drivers", members=[member])
    outsider = MemberFactory()
    token = feeds.club_feed_token(member, club)

    assert client.get(club_url(club, feeds.club_feed_token(outsider, club))).status_code == 404
    assert client.get(club_url(club, token[:-2] + "xx")).status_code == 404
    assert client.get(club_url(club, feeds.club_feed_token(member, other))).status_code == 404
    assert client.get(club_url(club, feeds.member_feed_token(member))).status_code == 404


# --- My events feed ------------------------------------------------------------------------------


def test_my_feed_lists_going_waitlisted_and_maybe_but_not_declined(client, member):
    confirmed = make_event("Cars & coffee", capacity=10)
    full = make_event("Full track day", capacity=1)
    maybe = make_event("Showroom evening")
    declined = make_event("Service clinic")
    not_mine = make_event("Someone else's drive")
    going(confirmed, member, guests=1)
    going(full, MemberFactory())
    going(full, member)
    services.rsvp_respond(event=maybe, member=member, answer="maybe")
    services.rsvp_respond(event=declined, member=member, answer="not_going")
    going(not_mine, MemberFactory())

    vevents = by_uid(parse(client.get(my_url(feeds.member_feed_token(member)))))

    assert set(vevents) == {feeds.event_uid(e) for e in (confirmed, full, maybe)}
    assert str(vevents[feeds.event_uid(full)]["SUMMARY"]) == "(Waitlist) Full track day"
    assert "2 places" in str(vevents[feeds.event_uid(confirmed)]["DESCRIPTION"])
    assert str(vevents[feeds.event_uid(maybe)]["SUMMARY"]) == "(Maybe) Showroom evening"


def test_my_feed_shows_cancelled_event_as_cancelled_with_its_sequence(client, member):
    event = make_event("Coast run")
    going(event, member)
    EventPage.objects.filter(pk=event.pk).update(status=EventPage.Status.CANCELLED, sequence=2)

    vevent = by_uid(parse(client.get(my_url(feeds.member_feed_token(member)))))[
        feeds.event_uid(event)
    ]

    assert (str(vevent["STATUS"]), vevent.sequence) == ("CANCELLED", 2)
    assert str(vevent.start.tzinfo) == "Europe/London"


def test_my_feed_with_tampered_or_foreign_token_is_404(client, member):
    token = feeds.member_feed_token(member)
    payload, signature = token.rsplit(":", 1)
    other = feeds.member_feed_token(MemberFactory())

    assert client.get(my_url(token)).status_code == 200
    assert client.get(my_url(payload + ":" + signature[::-1])).status_code == 404
    assert client.get(my_url(other.rsplit(":", 1)[0] + ":" + signature)).status_code == 404
    assert client.get(my_url("not-a-token")).status_code == 404


def test_my_feed_of_deactivated_member_is_404(client, member):
    token = feeds.member_feed_token(member)
    member.is_active = False
    member.save()

    assert client.get(my_url(token)).status_code == 404


def test_my_feed_is_private_and_not_cached(client, member):
    response = client.get(my_url(feeds.member_feed_token(member)))

    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert Rsvp.objects.count() == 0 and len(parse(response).events) == 0


def test_my_calendar_link_include_shows_the_members_webcal_address(member):
    request = RequestFactory().get("/account/profile/")
    request.user = member
    html = (
        engines["django"]
        .from_string('{% include "events/includes/my_calendar_link.html" %}')
        .render({"request": request}, request)
    )

    token = feeds.member_feed_token(member)
    url = f"{settings.SITE_URL}/events/my/{token}.ics"
    assert url in html
    assert "webcal://" + url.split("://", 1)[1] in html


def test_feed_window_keeps_recent_past_events(client, member):
    event = make_event("Last week's meet", days_ahead=-7)
    Rsvp.objects.create(
        event=event, member=member, answer="going", state="confirmed", confirmed_at=timezone.now()
    )

    vevents = by_uid(parse(client.get(my_url(feeds.member_feed_token(member)))))

    assert feeds.event_uid(event) in vevents
    assert vevents[feeds.event_uid(event)].end < timezone.now() + timedelta(days=1)
