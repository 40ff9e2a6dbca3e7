"""Email invitations (iTIP REQUEST/CANCEL) and the REPLYs calendar clients send back."""

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from icalendar import Calendar

from community.models import OutboundEmail
from community.outbox import build_message
from events.ical import (
    ItipReply,
    answer_for_partstat,
    attach_invite,
    cancel_ics,
    event_and_member_from_uid,
    invite_ics,
    invite_mail_parts,
    parse_itip_reply,
    vtimezone,
)
from events.models import EventPage, Rsvp
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
REPLY_TO = "rsvp+e1m1.token@paddock.example"


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname


def event_at(start: datetime, end: datetime, **fields) -> EventPage:
    event = make_event("Coast run", venue_address="Harbour Road\nSaltmouth", **fields)
    EventPage.objects.filter(pk=event.pk).update(start=start, end=end)
    event.refresh_from_db()
    return event


def rsvp_for(event, *, answer="going", member=None) -> Rsvp:
    member = member or MemberFactory(display_name="Sam Porter", email="sam@example.com")
    state = Rsvp.State.CONFIRMED if answer == "going" else Rsvp.State.OUT
    return Rsvp.objects.create(event=event, member=member, answer=answer, state=state)


def summer_rsvp(**kwargs) -> Rsvp:
    event = event_at(
        datetime(2026, 7, 4, 10, tzinfo=LONDON), datetime(2026, 7, 4, 13, tzinfo=LONDON)
    )
    return rsvp_for(event, **kwargs)


def parsed(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    [vevent] = calendar.events
    return calendar, vevent


def lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\r\n")


# --- REQUEST ---------------------------------------------------------------------------------


def test_invite_ics_request_has_calendar_headers():
    calendar, _ = parsed(invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO))

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["PRODID"]) == "-//Paddock//Invitations//EN"


def test_invite_ics_uid_names_event_and_member_and_is_stable():
    rsvp = summer_rsvp()

    _, first = parsed(invite_ics(rsvp=rsvp, organizer_email=REPLY_TO))
    _, second = parsed(invite_ics(rsvp=rsvp, organizer_email=REPLY_TO))

    uid = f"event-{rsvp.event.pk}-member-{rsvp.member.pk}@{host()}"
    assert str(first["UID"]) == str(second["UID"]) == uid
    assert event_and_member_from_uid(uid) == (rsvp.event.pk, rsvp.member.pk)


def test_invite_ics_uid_differs_per_member():
    rsvp = summer_rsvp()
    other = rsvp_for(rsvp.event, member=MemberFactory())

    _, mine = parsed(invite_ics(rsvp=rsvp, organizer_email=REPLY_TO))
    _, theirs = parsed(invite_ics(rsvp=other, organizer_email=REPLY_TO))

    assert str(mine["UID"]) != str(theirs["UID"])


def test_invite_ics_summer_event_is_bst_local_time():
    data = invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO)
    _, vevent = parsed(data)

    assert "DTSTART;TZID=Europe/London:20260704T100000" in lines(data)
    assert "DTEND;TZID=Europe/London:20260704T130000" in lines(data)
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert vevent.start.astimezone(UTC) == datetime(2026, 7, 4, 9, tzinfo=UTC)


def test_invite_ics_winter_event_is_gmt_local_time():
    event = event_at(
        datetime(2026, 12, 12, 10, tzinfo=LONDON), datetime(2026, 12, 12, 12, tzinfo=LONDON)
    )
    data = invite_ics(rsvp=rsvp_for(event), organizer_email=REPLY_TO)
    _, vevent = parsed(data)

    assert "DTSTART;TZID=Europe/London:20261212T100000" in lines(data)
    assert vevent.start.astimezone(UTC) == datetime(2026, 12, 12, 10, tzinfo=UTC)


def test_invite_ics_event_across_spring_change_keeps_real_duration():
    # Sat 28 Mar 2026 22:00 GMT to Sun 29 Mar 02:00 BST: clocks go forward at 01:00, so 3 hours.
    event = event_at(
        datetime(2026, 3, 28, 22, tzinfo=LONDON), datetime(2026, 3, 29, 2, tzinfo=LONDON)
    )
    data = invite_ics(rsvp=rsvp_for(event), organizer_email=REPLY_TO)
    calendar, vevent = parsed(data)

    assert "DTSTART;TZID=Europe/London:20260328T220000" in lines(data)
    assert "DTEND;TZID=Europe/London:20260329T020000" in lines(data)
    assert vevent.end.astimezone(UTC) - vevent.start.astimezone(UTC) == timedelta(hours=3)
    # Read with the VTIMEZONE the invitation carries, as Outlook does, not with zoneinfo.
    own_tz = calendar.timezones[0].to_tz(lookup_tzid=False)
    start = vevent.start.replace(tzinfo=own_tz).astimezone(UTC)
    end = vevent.end.replace(tzinfo=own_tz).astimezone(UTC)
    assert (start, end) == (
        datetime(2026, 3, 28, 22, tzinfo=UTC),
        datetime(2026, 3, 29, 1, tzinfo=UTC),
    )


def test_invite_ics_vtimezone_has_yearly_london_rules():
    calendar, _ = parsed(invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO))

    [vtimezone] = calendar.timezones
    assert vtimezone.tz_name == "Europe/London"
    daylight = vtimezone.walk("DAYLIGHT")[0]
    standard = vtimezone.walk("STANDARD")[0]
    assert daylight["DTSTART"].to_ical() == b"19700329T010000"
    assert daylight["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert daylight["TZOFFSETFROM"].td == timedelta(0)
    assert daylight["TZOFFSETTO"].td == timedelta(hours=1)
    assert str(daylight["TZNAME"]) == "BST"
    assert standard["DTSTART"].to_ical() == b"19701025T020000"
    assert standard["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    assert standard["TZOFFSETFROM"].td == timedelta(hours=1)
    assert standard["TZOFFSETTO"].td == timedelta(0)
    assert str(standard["TZNAME"]) == "GMT"


def test_invite_ics_vtimezone_matches_zoneinfo_every_hour_for_three_years():
    calendar, _ = parsed(invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO))
    own_tz = calendar.timezones[0].to_tz(lookup_tzid=False)

    moment = datetime(2025, 1, 1, tzinfo=UTC)
    while moment < datetime(2028, 1, 1, tzinfo=UTC):
        assert moment.astimezone(own_tz).utcoffset() == moment.astimezone(LONDON).utcoffset()
        moment += timedelta(hours=1)


@pytest.mark.parametrize(
    ("zone", "rules"),
    [("America/New_York", 2), ("Australia/Sydney", 2), ("Asia/Tokyo", 0)],
)
def test_vtimezone_other_zones_match_zoneinfo_around_event(zone, rules):
    component = vtimezone(zone, first=date(2026, 7, 4), last=date(2026, 7, 4))
    own_tz = component.to_tz(lookup_tzid=False)

    assert component.to_ical().count(b"RRULE:") == rules
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    while moment < datetime(2028, 1, 1, tzinfo=UTC):
        assert (
            moment.astimezone(own_tz).utcoffset() == moment.astimezone(ZoneInfo(zone)).utcoffset()
        )
        moment += timedelta(hours=1)


def test_invite_ics_in_utc_site_has_no_vtimezone(settings):
    settings.TIME_ZONE = "UTC"
    data = invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO)
    calendar, _ = parsed(data)

    assert calendar.timezones == []
    assert "DTSTART:20260704T090000Z" in lines(data)


def test_invite_ics_sequence_follows_event():
    rsvp = summer_rsvp()
    EventPage.objects.filter(pk=rsvp.event.pk).update(sequence=4)
    rsvp.event.refresh_from_db()

    _, vevent = parsed(invite_ics(rsvp=rsvp, organizer_email=REPLY_TO))

    assert vevent.sequence == 4


def test_invite_ics_describes_event_and_stamps_utc():
    rsvp = summer_rsvp()
    _, vevent = parsed(invite_ics(rsvp=rsvp, organizer_email=REPLY_TO))

    assert str(vevent["SUMMARY"]) == "Coast run"
    assert str(vevent["LOCATION"]) == "Saltmouth Quay, Harbour Road, Saltmouth"
    assert str(vevent["URL"]) == settings.SITE_URL + rsvp.event.url
    assert str(vevent["URL"]) in str(vevent["DESCRIPTION"])
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent["DTSTAMP"].to_ical().endswith(b"Z")


def test_invite_ics_organizer_is_dealership_at_reply_address():
    _, vevent = parsed(invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO))

    organizer = vevent["ORGANIZER"]
    assert str(organizer) == f"mailto:{REPLY_TO}"
    assert organizer.params["CN"] == "Paddock Motors"


def test_invite_ics_attendee_is_member_asked_to_reply():
    _, vevent = parsed(invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO))

    [attendee] = vevent.attendees
    assert str(attendee) == "mailto:sam@example.com"
    assert attendee.params["CN"] == "Sam Porter"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert attendee.params["RSVP"] == "TRUE"


def test_invite_ics_member_name_cannot_break_attendee_line():
    member = MemberFactory(display_name='Sam "Quick"\nATTENDEE:mailto:eve@example.com')
    rsvp = summer_rsvp(member=member)

    data = invite_ics(rsvp=rsvp, organizer_email=REPLY_TO)
    _, vevent = parsed(data)

    [attendee] = vevent.attendees
    assert attendee.params["CN"] == "Sam 'Quick' ATTENDEE:mailto:eve@example.com"
    assert str(attendee) == f"mailto:{member.email}"
    assert b"^" not in data


@pytest.mark.parametrize(
    ("answer", "partstat"),
    [("going", "ACCEPTED"), ("maybe", "TENTATIVE"), ("not_going", "DECLINED")],
)
def test_invite_ics_partstat_follows_answer(answer, partstat):
    _, vevent = parsed(invite_ics(rsvp=summer_rsvp(answer=answer), organizer_email=REPLY_TO))

    assert vevent.attendees[0].params["PARTSTAT"] == partstat


def test_invite_ics_waitlisted_member_is_told_in_description():
    rsvp = summer_rsvp()
    Rsvp.objects.filter(pk=rsvp.pk).update(state=Rsvp.State.WAITLISTED)
    rsvp.refresh_from_db()

    _, vevent = parsed(invite_ics(rsvp=rsvp, organizer_email=REPLY_TO))

    assert str(vevent["DESCRIPTION"]).startswith("You are on the waitlist")
    assert vevent.attendees[0].params["PARTSTAT"] == "TENTATIVE"


def test_invite_ics_has_display_alarm_two_hours_before():
    _, vevent = parsed(invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO))

    [alarm] = vevent.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].to_ical() == b"-PT2H"
    assert "Coast run" in str(alarm["DESCRIPTION"])


def test_invite_ics_alarm_lead_is_configurable():
    data = invite_ics(
        rsvp=summer_rsvp(), organizer_email=REPLY_TO, alarm_before=timedelta(minutes=30)
    )
    _, vevent = parsed(data)

    assert vevent.walk("VALARM")[0]["TRIGGER"].to_ical() == b"-PT30M"


def test_invite_ics_lines_are_crlf_and_folded():
    rsvp = summer_rsvp()
    EventPage.objects.filter(pk=rsvp.event.pk).update(summary="A long coast run. " * 20)
    rsvp.event.refresh_from_db()

    data = invite_ics(rsvp=rsvp, organizer_email=REPLY_TO)

    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line.encode()) <= 75 for line in lines(data))
    assert any(line.startswith(" ") for line in lines(data))  # DESCRIPTION was folded


def test_invite_ics_unknown_method_is_refused():
    with pytest.raises(ValueError):
        invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO, method="PUBLISH")


# --- CANCEL ----------------------------------------------------------------------------------


def test_cancel_ics_cancels_same_uid_with_event_sequence():
    rsvp = summer_rsvp()
    _, invited = parsed(invite_ics(rsvp=rsvp, organizer_email=REPLY_TO))
    EventPage.objects.filter(pk=rsvp.event.pk).update(sequence=2, status=EventPage.Status.CANCELLED)
    rsvp.event.refresh_from_db()

    calendar, vevent = parsed(cancel_ics(rsvp=rsvp, organizer_email=REPLY_TO))

    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["UID"]) == str(invited["UID"])
    assert vevent.sequence == 2
    assert str(vevent["ORGANIZER"]) == f"mailto:{REPLY_TO}"
    assert str(vevent.attendees[0]) == "mailto:sam@example.com"
    assert vevent.walk("VALARM") == []


# --- Email -----------------------------------------------------------------------------------


def calendar_parts(message) -> tuple:
    """(the text/calendar part and its parent's type, the invite.ics attachment) of a message."""
    parsed_message = message_from_bytes(message.message().as_bytes())
    found, attachment = None, None
    for parent in parsed_message.walk():
        for part in parent.get_payload() if parent.is_multipart() else []:
            if part.get_content_type() == "text/calendar":
                found = (part, parent.get_content_type())
            if part.get_filename() == "invite.ics":
                attachment = part
    return found, attachment


def test_attach_invite_adds_calendar_alternative_and_ics_attachment():
    data = invite_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO)
    message = EmailMultiAlternatives("Coast run", "You're invited.", to=["sam@example.com"])
    message.attach_alternative("<p>You're invited.</p>", "text/html")

    attach_invite(message, data=data, method="REQUEST")
    message.send()

    [sent] = mail.outbox
    (part, parent_type), attachment = calendar_parts(sent)
    assert parent_type == "multipart/alternative"
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    assert str(Calendar.from_ical(part.get_payload(decode=True))["METHOD"]) == "REQUEST"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_payload(decode=True) == data


def test_invite_mail_parts_survive_the_outbox():
    data = cancel_ics(rsvp=summer_rsvp(), organizer_email=REPLY_TO)
    alternatives, attachments = invite_mail_parts(data, "CANCEL")
    queued = OutboundEmail(
        kind="invitation",
        to="sam@example.com",
        subject="Cancelled: Coast run",
        body="Cancelled.",
        alternatives=alternatives,
        attachments=attachments,
    )

    (part, parent_type), attachment = calendar_parts(build_message(queued))

    assert parent_type == "multipart/alternative"
    assert part.get_param("method") == "CANCEL"
    assert attachment.get_payload(decode=True) == data


# --- REPLY -----------------------------------------------------------------------------------

GOOGLE_REPLY = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REPLY
BEGIN:VEVENT
DTSTART:20260704T090000Z
DTEND:20260704T120000Z
DTSTAMP:20260620T101512Z
ORGANIZER;CN=Paddock Motors:mailto:rsvp+e12m34.token@paddock.example
UID:event-12-member-34@__HOST__
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Sam Por
 ter;X-NUM-GUESTS=0:mailto:sam@example.com
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
CREATED:20260601T080000Z
DESCRIPTION:Coffee on the quay\\, then the coast road.\\n\\nhttps://paddock.exa
 mple/events/coast-run/
LAST-MODIFIED:20260620T101512Z
LOCATION:Saltmouth Quay\\, Harbour Road\\, Saltmouth
SEQUENCE:2
STATUS:CONFIRMED
SUMMARY:Coast run
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR
"""

OUTLOOK_REPLY = """BEGIN:VCALENDAR
METHOD:REPLY
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
ORGANIZER;CN=Paddock Motors:MAILTO:rsvp+e12m34.token@paddock.example
ATTENDEE;PARTSTAT=DECLINED;CN=Sam Porter:MAILTO:Sam@Example.COM
COMMENT;LANGUAGE=en-GB:Sorry\\, away that weekend.\\n
SUMMARY;LANGUAGE=en-GB:Declined: Coast run
DTSTART;TZID=GMT Standard Time:20260704T100000
DTEND;TZID=GMT Standard Time:20260704T130000
UID:event-12-member-34@__HOST__
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:20260620T101512Z
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:3
LOCATION;LANGUAGE=en-GB:Saltmouth Quay\\, Harbour Road\\, Saltmouth
X-MICROSOFT-CDO-APPT-SEQUENCE:3
X-MICROSOFT-CDO-OWNERAPPTID:-1
X-MICROSOFT-CDO-BUSYSTATUS:FREE
X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE
X-MICROSOFT-CDO-IMPORTANCE:1
X-MICROSOFT-CDO-INSTTYPE:0
X-MICROSOFT-CDO-REPLYTIME:20260620T101512Z
X-MICROSOFT-DONOTFORWARDMEETING:FALSE
X-MICROSOFT-DISALLOW-COUNTER:FALSE
X-MICROSOFT-LOCATIONS:[{"DisplayName":"Saltmouth Quay\\, Harbour Road\\, Saltm
 outh","LocationAnnotation":"","LocationUri":"","LocationStreet":"","Locatio
 nCity":"","LocationState":"","LocationCountry":"","LocationPostalCode":"","
 LocationFullAddress":""}]
END:VEVENT
END:VCALENDAR
"""

APPLE_REPLY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 15.1//EN
METHOD:REPLY
CALSCALE:GREGORIAN
BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
DTSTART:19810329T010000
TZNAME:BST
TZOFFSETTO:+0100
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
DTSTART:19961027T020000
TZNAME:GMT
TZOFFSETTO:+0000
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
ATTENDEE;CN="Sam Porter";CUTYPE=INDIVIDUAL;EMAIL="sam@example.com";PARTSTA
 T=TENTATIVE:mailto:sam@example.com
DTEND;TZID=Europe/London:20260704T130000
DTSTAMP:20260620T101512Z
DTSTART;TZID=Europe/London:20260704T100000
ORGANIZER;CN="Paddock Motors";EMAIL="rsvp+e12m34.token@paddock.example":mai
 lto:rsvp+e12m34.token@paddock.example
REQUEST-STATUS:2.0;Success
SEQUENCE:2
SUMMARY:Coast run
UID:event-12-member-34@__HOST__
X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC
END:VEVENT
END:VCALENDAR
"""


def sample(text: str) -> bytes:
    """As clients send it: CRLF line endings, the site's host in the UID."""
    return text.replace("__HOST__", host()).replace("\n", "\r\n").encode()


@pytest.mark.parametrize(
    ("text", "partstat", "sequence"),
    [(GOOGLE_REPLY, "ACCEPTED", 2), (OUTLOOK_REPLY, "DECLINED", 3), (APPLE_REPLY, "TENTATIVE", 2)],
    ids=["google", "outlook", "apple"],
)
def test_parse_itip_reply_reads_client_replies(text, partstat, sequence):
    reply = parse_itip_reply(sample(text))

    assert reply == ItipReply(
        uid=f"event-12-member-34@{host()}",
        attendee_email="sam@example.com",
        partstat=partstat,
        sequence=sequence,
    )
    assert event_and_member_from_uid(reply.uid) == (12, 34)


def test_parse_itip_reply_accepts_str_with_lf_endings():
    reply = parse_itip_reply(GOOGLE_REPLY.replace("__HOST__", host()))

    assert reply is not None and reply.partstat == "ACCEPTED"


def test_parse_itip_reply_without_sequence_is_zero():
    text = GOOGLE_REPLY.replace("SEQUENCE:2\n", "")

    assert parse_itip_reply(sample(text)).sequence == 0


def test_parse_itip_reply_reads_email_param_when_value_is_not_mailto():
    text = APPLE_REPLY.replace(
        "PARTSTA\n T=TENTATIVE:mailto:sam@example.com",
        "PARTSTA\n T=TENTATIVE:urn:uuid:6f1c2b7a-0000-4000-8000-000000000000",
    )

    assert parse_itip_reply(sample(text)).attendee_email == "sam@example.com"


def test_parse_itip_reply_round_trips_own_invitation_turned_into_reply():
    rsvp = summer_rsvp(answer="maybe")
    data = invite_ics(rsvp=rsvp, organizer_email=REPLY_TO).replace(
        b"METHOD:REQUEST", b"METHOD:REPLY"
    )

    reply = parse_itip_reply(data)

    assert reply.uid == f"event-{rsvp.event.pk}-member-{rsvp.member.pk}@{host()}"
    assert (reply.attendee_email, reply.partstat) == ("sam@example.com", "TENTATIVE")


REPLY_WITHOUT_ATTENDEE = GOOGLE_REPLY.replace(
    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Sam Por\n"
    " ter;X-NUM-GUESTS=0:mailto:sam@example.com\n",
    "",
)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \r\n",
        b"\x00\xff\xfe not a calendar at all \x80\x81",
        "Hello, I'll be there!",
        b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\n",  # never ends
        b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n",  # no VEVENT
        b"BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n",  # no VCALENDAR
        GOOGLE_REPLY.replace("METHOD:REPLY", "METHOD:REQUEST"),
        GOOGLE_REPLY.replace("METHOD:REPLY\n", ""),
        REPLY_WITHOUT_ATTENDEE,
        GOOGLE_REPLY.replace("PARTSTAT=ACCEPTED", "PARTSTAT=NEEDS-ACTION"),
        GOOGLE_REPLY.replace("mailto:sam@example.com", "mailto:not-an-address"),
        GOOGLE_REPLY.replace("SEQUENCE:2", "SEQUENCE:two"),
        GOOGLE_REPLY.replace("UID:event-12-member-34@__HOST__\n", ""),
        GOOGLE_REPLY.replace("END:VCALENDAR\n", "END:VCALENDAR\n" + GOOGLE_REPLY),  # two
        GOOGLE_REPLY.replace(
            "X-GOOGLE-CONFERENCE", "ATTENDEE;PARTSTAT=DECLINED:mailto:eve@example.com\nX-G"
        ),  # two attendees answering differently
        b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"A" * 300_000 + b"\r\nEND:VCALENDAR\r\n",
        None,
    ],
)
def test_parse_itip_reply_invalid_input_returns_none(data):
    if isinstance(data, str):
        data = sample(data)

    assert parse_itip_reply(data) is None


# --- Mapping and UIDs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("partstat", "answer"),
    [
        ("ACCEPTED", "going"),
        ("tentative", "maybe"),
        ("DECLINED", "not_going"),
        ("NEEDS-ACTION", None),
        ("DELEGATED", None),
        ("", None),
        (None, None),
    ],
)
def test_answer_for_partstat_maps_reply_to_rsvp_answer(partstat, answer):
    assert answer_for_partstat(partstat) == answer


@pytest.mark.parametrize(
    "uid",
    [
        "event-12-member-34@elsewhere.example",
        "event-12@__HOST__",  # a feed UID, not an invitation
        "event-12-member-x@__HOST__",
        "event-12-member-34@__HOST__.evil.example",
        "prefix-event-12-member-34@__HOST__",
        "event-１２-member-34@__HOST__",  # full-width digits
        "",
    ],
)
def test_event_and_member_from_uid_rejects_foreign_or_malformed(uid):
    assert event_and_member_from_uid(uid.replace("__HOST__", host())) is None


def test_event_and_member_from_uid_ignores_host_case():
    assert event_and_member_from_uid(f"event-5-member-9@{host().upper()}") == (5, 9)
