"""Calendar invitations by email (iTIP, RFC 5546, over iMIP, RFC 6047) and the replies to them.

Paddock sends each member their own invitation: the UID names the event *and* the member
(``event-<pk>-member-<pk>@<host of SITE_URL>``), so a member's Accept/Decline only ever concerns
their own RSVP, and it differs from the feed UID (``event-<pk>@host``, events/feeds.py) so an
invitation and a feed subscription are two entries in the member's calendar, not one entry
fighting over its organiser.

* ``invite_ics(rsvp=..., organizer_email=...)``: METHOD:REQUEST, sent again (same UID) with a
  higher ``event.sequence`` whenever the event changes.
* ``cancel_ics(rsvp=..., organizer_email=...)``: METHOD:CANCEL. Calendars ignore a CANCEL whose
  SEQUENCE is lower than the invitation they hold, so cancelling must raise ``event.sequence``
  before this is built (the change services do).
* ``organizer_email`` is the member's per-event reply address: the calendar client sends its
  METHOD:REPLY there, and ``parse_itip_reply`` reads it back. It must differ from the member's
  address, or Gmail/Outlook treat the member as the organiser and show no Accept/Decline.
* ``attach_invite`` / ``invite_mail_parts`` put the .ics into an email the way Gmail, Outlook and
  Apple Mail all recognise: a ``text/calendar; method=...`` part inside multipart/alternative
  (next to text/plain and text/html), plus the same bytes as an ``invite.ics`` attachment.

The VTIMEZONE is written with yearly RRULEs (``BYMONTH=3;BYDAY=-1SU``...), the form Outlook,
Google and Apple write themselves: Outlook mis-reads the RDATE lists that icalendar's
``Timezone.from_tzinfo`` produces and shifts summer events by an hour. Zones whose changes follow
no simple yearly rule fall back to icalendar's RDATE form.
"""

import base64
import calendar as calendar_module
import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vRecur
from icalendar.cal.timezone import TimezoneDaylight, TimezoneStandard

from community.showrooms import dealership_name, site_of
from events.feeds import _absolute, _host, _location
from events.models import Rsvp

REQUEST = "REQUEST"
CANCEL = "CANCEL"
ALARM_BEFORE = timedelta(hours=2)
INVITE_FILENAME = "invite.ics"
MAX_REPLY_BYTES = 256 * 1024  # a real REPLY is a few KB; anything bigger is not parsed

PARTSTAT_FOR_ANSWER = {
    Rsvp.Answer.GOING: "ACCEPTED",
    Rsvp.Answer.MAYBE: "TENTATIVE",
    Rsvp.Answer.NOT_GOING: "DECLINED",
}
ANSWER_FOR_PARTSTAT = {partstat: answer for answer, partstat in PARTSTAT_FOR_ANSWER.items()}


def invitation_state(rsvp: Rsvp) -> tuple[str, str]:
    """(METHOD, PARTSTAT) of the calendar entry the member should hold for this RSVP: the one rule
    every invite, update and cancel follows.

    * a confirmed place: REQUEST, ACCEPTED;
    * the waitlist: REQUEST, TENTATIVE (no place is held, so never ACCEPTED; the description says
      they are waiting), and a promotion later turns it into ACCEPTED;
    * maybe: REQUEST, TENTATIVE;
    * not going: CANCEL (DECLINED), which takes the entry out of their calendar;
    * "going" that holds nothing (only while an answer is being recorded): REQUEST, NEEDS-ACTION.
    """
    if rsvp.state == Rsvp.State.CONFIRMED:
        return REQUEST, "ACCEPTED"
    if rsvp.state == Rsvp.State.WAITLISTED:
        return REQUEST, "TENTATIVE"
    if rsvp.answer == Rsvp.Answer.NOT_GOING:
        return CANCEL, "DECLINED"
    if rsvp.answer == Rsvp.Answer.MAYBE:
        return REQUEST, "TENTATIVE"
    return REQUEST, "NEEDS-ACTION"


def next_invite_sequence(rsvp: Rsvp) -> int:
    """SEQUENCE for the next calendar message to this member: never below the event's, and above
    the last one they were sent, so every update or cancel replaces what their calendar holds (and
    a re-invite after a cancel is not taken for an old message)."""
    if rsvp.invite_sequence is None:
        return rsvp.event.sequence
    return max(rsvp.event.sequence, rsvp.invite_sequence + 1)


def current_invite_sequence(rsvp: Rsvp | None, event) -> int:
    """SEQUENCE of the invite the member holds now: a calendar REPLY carrying less is stale."""
    if rsvp is not None and rsvp.invite_sequence is not None:
        return max(rsvp.invite_sequence, event.sequence)
    return event.sequence


_UID_RE = re.compile(r"event-([0-9]{1,18})-member-([0-9]{1,18})@(.+)", re.ASCII)


@dataclass(frozen=True)
class ItipReply:
    """What a member's calendar said: ``partstat`` is ACCEPTED, TENTATIVE or DECLINED.

    Nothing here is trusted: the caller checks that ``uid`` names an event and member it knows,
    that ``attendee_email`` is that member's address, that the reply came to that member's reply
    address, and ignores a ``sequence`` lower than the one it last sent.
    """

    uid: str
    attendee_email: str
    partstat: str
    sequence: int


# --- Building -------------------------------------------------------------------------------


def invitation_uid(*, event, member) -> str:
    """Stable for this event and member across every REQUEST and CANCEL."""
    return f"event-{event.pk}-member-{member.pk}@{_host()}"


def invite_ics(
    *,
    rsvp: Rsvp,
    organizer_email: str,
    method: str = REQUEST,
    organizer_name: str | None = None,
    alarm_before: timedelta | None = ALARM_BEFORE,
    sequence: int | None = None,
) -> bytes:
    """The member's invitation (or its cancellation) as iCalendar bytes: UTF-8, CRLF, folded.

    ``method`` is REQUEST (STATUS:CONFIRMED, with a DISPLAY alarm ``alarm_before`` the start;
    None for none) or CANCEL (STATUS:CANCELLED, no alarm). ``organizer_name`` defaults to the
    dealership's name (DealershipSettings). The attendee's PARTSTAT follows ``invitation_state``;
    ``sequence`` defaults to the event's (``next_invite_sequence`` gives a member's next one).
    """
    method = method.upper()
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"method must be REQUEST or CANCEL, not {method!r}.")
    event, member = rsvp.event, rsvp.member
    if organizer_name is None:
        organizer_name = dealership_name(site_of(event))
    tz = ZoneInfo(settings.TIME_ZONE)
    start = timezone.localtime(event.start, tz)
    end = timezone.localtime(event.end, tz)
    url = _absolute(event, None)
    cancelling = method == CANCEL
    note = ""
    if cancelling and event.is_cancelled:  # a CANCEL may also withdraw just this member
        note = "This event has been cancelled."
    elif not cancelling and rsvp.state == Rsvp.State.WAITLISTED:
        note = "You are on the waitlist: we'll email you if a place frees up."

    attendee = vCalAddress.new(
        member.email,
        cn=_common_name(member.display_name),
        cutype="INDIVIDUAL",
        role="REQ-PARTICIPANT",
        partstat=(
            "DECLINED" if cancelling and not event.is_cancelled else invitation_state(rsvp)[1]
        ),
        rsvp=None if cancelling else True,
    )
    vevent = Event.new(
        uid=invitation_uid(event=event, member=member),
        stamp=timezone.now().astimezone(UTC),
        start=start,
        end=end,
        summary=event.title,
        location=_location(event) or None,
        description="\n\n".join(part for part in (note, event.summary.strip(), url) if part)
        or None,
        url=url or None,
        sequence=event.sequence if sequence is None else sequence,
        status="CANCELLED" if cancelling else "CONFIRMED",
        organizer=vCalAddress.new(organizer_email, cn=_common_name(organizer_name)),
        attendees=[attendee],
        transparency="OPAQUE",
        last_modified=event.last_published_at,
    )
    if not cancelling and alarm_before is not None:
        vevent.add_component(
            Alarm.new_display(description=f"Reminder: {event.title}", trigger=-alarm_before)
        )

    calendar = Calendar.new(
        prodid=f"-//{settings.WAGTAIL_SITE_NAME}//Invitations//EN",
        method=method,
        calscale="GREGORIAN",
    )
    del calendar["UID"]  # an RFC 7986 calendar UID means nothing to iTIP; clients ignore it
    if "TZID" in vevent["DTSTART"].params:  # not when TIME_ZONE is UTC (written as ...Z)
        calendar.add_component(vtimezone(settings.TIME_ZONE, first=start.date(), last=end.date()))
    calendar.add_component(vevent)
    return calendar.to_ical()


def _common_name(name: str | None) -> str | None:
    """A CN parameter every client reads: one line, no double quotes (RFC 6868's ^' and ^n
    escapes, which icalendar would write, are not understood everywhere)."""
    name = " ".join(str(name or "").split()).replace('"', "'")
    return name or None


def cancel_ics(*, rsvp: Rsvp, organizer_email: str, organizer_name: str | None = None) -> bytes:
    """METHOD:CANCEL for the member's invitation: same UID, STATUS:CANCELLED."""
    return invite_ics(
        rsvp=rsvp, organizer_email=organizer_email, method=CANCEL, organizer_name=organizer_name
    )


# --- VTIMEZONE ------------------------------------------------------------------------------


def vtimezone(tzid: str, *, first: date, last: date) -> Timezone:
    """A VTIMEZONE for ``tzid`` that is right from the year before ``first`` to the year after
    ``last``: yearly RRULEs when the zone's changes in those years follow one (Europe, the US),
    else icalendar's RDATE list for that window."""
    tz = ZoneInfo(tzid)
    years = range(first.year - 1, last.year + 2)
    transitions = [t for year in years for t in _transitions(tz, year)]
    rules = _yearly_rules(transitions, years)
    if rules is None:
        return Timezone.from_tzinfo(
            tz, tzid, first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    component = Timezone()
    component.add("TZID", tzid)
    component.add("X-LIC-LOCATION", tzid)
    if not rules:  # no changes in the window: one fixed offset
        moment = datetime.combine(first, time(12), tz)
        standard = TimezoneStandard()
        standard.add("TZNAME", moment.tzname())
        standard.TZOFFSETFROM = standard.TZOFFSETTO = moment.utcoffset()
        standard.DTSTART = datetime(1970, 1, 1)
        component.add_component(standard)
        return component
    for rule in rules:
        sub = TimezoneDaylight() if rule["dst"] else TimezoneStandard()
        sub.add("TZNAME", rule["name"])
        sub.TZOFFSETFROM = rule["offset_from"]
        sub.TZOFFSETTO = rule["offset_to"]
        day = _nth_weekday(1970, rule["month"], rule["weekday"], rule["nth"])
        sub.DTSTART = datetime.combine(day, rule["wall"])
        sub.add(
            "RRULE",
            {
                "FREQ": "YEARLY",
                "BYMONTH": rule["month"],
                "BYDAY": f"{rule['nth']}{_WEEKDAYS[rule['weekday']]}",
            },
        )
        component.add_component(sub)
    return component


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@functools.lru_cache(maxsize=256)
def _transitions(tz: ZoneInfo, year: int) -> tuple[tuple[datetime, datetime], ...]:
    """The zone's offset changes in ``year``: (last UTC minute before, first UTC minute after).
    Worked out once per process and year (every invite's VTIMEZONE needs three years of them)."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    stop = datetime(year + 1, 1, 1, tzinfo=UTC)
    while moment < stop:
        following = moment + timedelta(days=1)
        if moment.astimezone(tz).utcoffset() != following.astimezone(tz).utcoffset():
            low, high = moment, following  # bisect to the minute
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append((low.astimezone(tz), high.astimezone(tz)))
        moment = following
    return tuple(found)


def _yearly_rules(transitions, years) -> list[dict] | None:
    """The same changes every year as "the nth/last weekday of a month at a wall time", or None."""
    per_rule: dict[tuple, list[set]] = {}
    for before, after in transitions:
        local = after.replace(tzinfo=None) - (after.utcoffset() - before.utcoffset())
        key = (
            local.month,
            local.weekday(),
            local.time(),
            before.utcoffset(),
            after.utcoffset(),
            after.tzname(),
            bool(after.dst()),
        )
        ordinals = {(local.day - 1) // 7 + 1}
        if local.day + 7 > calendar_module.monthrange(local.year, local.month)[1]:
            ordinals.add(-1)
        per_rule.setdefault(key, []).append(ordinals)
    rules = []
    for key, ordinal_sets in per_rule.items():
        if len(ordinal_sets) != len(years):  # not once in each year
            return None
        common = set.intersection(*ordinal_sets)
        if not common:
            return None
        month, weekday, wall, offset_from, offset_to, name, dst = key
        rules.append(
            {
                "month": month,
                "weekday": weekday,
                "nth": -1 if -1 in common else min(common),
                "wall": wall,
                "offset_from": offset_from,
                "offset_to": offset_to,
                "name": name,
                "dst": dst,
            }
        )
    return sorted(rules, key=lambda rule: rule["month"])


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    days = [
        date(year, month, day)
        for day in range(1, calendar_module.monthrange(year, month)[1] + 1)
        if date(year, month, day).weekday() == weekday
    ]
    return days[nth - 1] if nth > 0 else days[nth]


# --- Email ----------------------------------------------------------------------------------


def calendar_mimetype(method: str) -> str:
    """``text/calendar; method=REQUEST``: Django adds ``charset="utf-8"`` when it builds the part.

    The parameter rides in the mimetype string Django passes to MIMEText (Django 5.2); the
    tests check the part's Content-Type, so a Django upgrade that changes this is caught.
    """
    return f"text/calendar; method={method.upper()}"


def invite_mail_parts(data: bytes, method: str) -> tuple[list[dict], list[dict]]:
    """(alternatives, attachments) in the shapes ``community.outbox.outbox_enqueue`` stores."""
    alternatives = [{"content": data.decode("utf-8"), "mimetype": calendar_mimetype(method)}]
    attachments = [
        {
            "filename": INVITE_FILENAME,
            "content": base64.b64encode(data).decode("ascii"),
            "mimetype": "application/ics",
        }
    ]
    return alternatives, attachments


def attach_invite(
    message: EmailMultiAlternatives, *, data: bytes, method: str
) -> EmailMultiAlternatives:
    """Add the invitation to ``message`` twice, the combination Gmail, Outlook and Apple Mail read:

    * a ``text/calendar; method=<METHOD>; charset="utf-8"`` alternative, so the message becomes
      multipart/mixed > multipart/alternative (text/plain, text/html, text/calendar): Gmail and
      Outlook show the event with Yes/Maybe/No from this part (iMIP, RFC 6047: ``method`` must
      match the METHOD inside);
    * an ``invite.ics`` attachment (``application/ics``) for clients that only offer a file.

    Add the text and HTML bodies first; ``message`` is returned for chaining.
    """
    alternatives, attachments = invite_mail_parts(data, method)
    for alternative in alternatives:
        message.attach_alternative(alternative["content"], alternative["mimetype"])
    for attachment in attachments:
        message.attach(
            attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"]
        )
    return message


# --- Replies --------------------------------------------------------------------------------


def parse_itip_reply(data: bytes | str) -> ItipReply | None:
    """A METHOD:REPLY's answer, or None when ``data`` is anything else. Never raises.

    Reads the first VEVENT with a UID and the one ATTENDEE carrying ACCEPTED, TENTATIVE or
    DECLINED (RFC 5546 3.2.3: a REPLY names only the replying attendee; a delegation reply also
    names the delegator, with PARTSTAT=DELEGATED, which is skipped). The address comes from a
    ``mailto:`` value in any case, else from an RFC 7986 EMAIL parameter (Apple, iCloud). A
    missing SEQUENCE is 0 (RFC 5546: present only when non-zero).
    """
    try:
        return _parse_itip_reply(data)
    except Exception:  # hostile or broken input: whatever the parser trips on, it is not a REPLY
        return None


def _parse_itip_reply(data: bytes | str) -> ItipReply | None:
    if isinstance(data, str):
        data = data.encode("utf-8", errors="replace")
    if not isinstance(data, bytes) or not data.strip() or len(data) > MAX_REPLY_BYTES:
        return None
    calendar = Calendar.from_ical(data)
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        return None
    if str(calendar.get("METHOD", "")).strip().upper() != "REPLY":
        return None
    vevent = next((event for event in calendar.walk("VEVENT") if event.get("UID")), None)
    if vevent is None:
        return None
    uid = str(vevent["UID"]).strip()
    attendees = vevent.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    answers = []
    for attendee in attendees:
        partstat = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).strip().upper()
        email = _address(attendee)
        if partstat in ANSWER_FOR_PARTSTAT and email:
            answers.append((email, partstat))
    if len({email for email, _ in answers}) != 1 or not uid:
        return None
    email, partstat = answers[0]
    if any(other != partstat for _, other in answers):
        return None
    raw_sequence = vevent.get("SEQUENCE")
    sequence = 0 if raw_sequence is None else int(str(raw_sequence).strip())
    if sequence < 0:
        return None
    return ItipReply(uid=uid, attendee_email=email, partstat=partstat, sequence=sequence)


def _address(attendee) -> str:
    value = str(attendee).strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    else:
        value = str(getattr(attendee, "params", {}).get("EMAIL", "")).strip()
    value = value.strip().lower()
    return value if re.fullmatch(r"[^@\s]+@[^@\s]+", value) else ""


def answer_for_partstat(partstat: str | None) -> str | None:
    """going / maybe / not_going for ACCEPTED / TENTATIVE / DECLINED (any case), else None."""
    answer = ANSWER_FOR_PARTSTAT.get(str(partstat or "").strip().upper())
    return str(answer) if answer else None


def event_and_member_from_uid(uid: str) -> tuple[int, int] | None:
    """(event pk, member pk) from an invitation UID of this site, else None (other hosts too)."""
    match = _UID_RE.fullmatch(str(uid or "").strip())
    if match is None or match.group(3).lower() != _host().lower():
        return None
    return int(match.group(1)), int(match.group(2))


# --- Series -----------------------------------------------------------------------------------


def series_invitation_uid(*, series, member) -> str:
    """Stable for this series and member across the series' REQUEST and its dates' overrides."""
    return f"series-{series.uid}-member-{member.pk}@{_host()}"


def series_sequence(*, series, dates) -> int:
    """The series invitation's SEQUENCE: it goes up with every change to the series or to any
    of its dates (each date's own sequence goes up when it is moved or skipped)."""
    return series.sequence + sum(date_.sequence for date_ in dates)


def _series_attendee(member, *, declined: bool = False) -> vCalAddress:
    return vCalAddress.new(
        member.email,
        cn=_common_name(member.display_name),
        cutype="INDIVIDUAL",
        role="REQ-PARTICIPANT",
        partstat="DECLINED" if declined else "ACCEPTED",
        rsvp=True,
    )


def _series_vevent(
    *,
    series,
    member,
    organizer_email,
    organizer_name,
    start,
    end,
    sequence,
    status="CONFIRMED",
    url="",
) -> Event:
    return Event.new(
        uid=series_invitation_uid(series=series, member=member),
        stamp=timezone.now().astimezone(UTC),
        start=start,
        end=end,
        summary=series.title,
        location=", ".join(
            p for p in (series.venue_name, " ".join(series.venue_address.split())) if p
        )
        or None,
        description="\n\n".join(p for p in (series.summary.strip(), url) if p) or None,
        url=url or None,
        sequence=sequence,
        status=status,
        organizer=vCalAddress.new(organizer_email, cn=_common_name(organizer_name)),
        attendees=[_series_attendee(member)],
        transparency="OPAQUE",
    )


def _series_calendar(method: str, components: list, *, first: date, last: date) -> bytes:
    calendar = Calendar.new(
        prodid=f"-//{settings.WAGTAIL_SITE_NAME}//Invitations//EN",
        method=method,
        calscale="GREGORIAN",
    )
    del calendar["UID"]
    if settings.TIME_ZONE != "UTC":
        calendar.add_component(vtimezone(settings.TIME_ZONE, first=first, last=last))
    for component in components:
        calendar.add_component(component)
    return calendar.to_ical()


def series_ics(
    *,
    series,
    member,
    organizer_email: str,
    dates,
    organizer_name: str = "",
    declined=(),
    sequence: int | None = None,
) -> bytes:
    """The member's invitation to every date of ``series`` (METHOD:REQUEST): one VEVENT with the
    series' RRULE from its first date, EXDATE for each skipped date, and an override (same UID,
    RECURRENCE-ID = where the rule put it) for each moved date. ``dates`` are the series' event
    pages (``series.dates``); ``declined`` the recurrence ids of dates the member will not come
    to (left out of their calendar like skipped ones); ``sequence`` defaults to
    ``series_sequence``."""
    tz = ZoneInfo(settings.TIME_ZONE)
    dates = sorted(dates, key=lambda d: d.recurrence_id)
    if not dates:
        raise ValueError("A series invitation needs the series' dates.")
    organizer_name = organizer_name or dealership_name(site_of(series.index))
    if sequence is None:
        sequence = series_sequence(series=series, dates=dates)
    first = timezone.localtime(dates[0].recurrence_id, tz)
    master = _series_vevent(
        series=series,
        member=member,
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        start=first,
        end=first + series.duration,
        sequence=sequence,
        url=_absolute(series.index, None),
    )
    master.add("RRULE", vRecur.from_ical(series.rrule))
    declined = set(declined)
    left_out = [d for d in dates if d.is_cancelled or d.recurrence_id in declined]
    if left_out:
        master.add("EXDATE", [timezone.localtime(d.recurrence_id, tz) for d in left_out])
    components = [master]
    for date_ in dates:
        if date_ in left_out or date_.start == date_.recurrence_id:
            continue
        components.append(
            _series_override(series, date_, member, organizer_email, organizer_name, sequence)
        )
    last = timezone.localtime(dates[-1].end, tz).date()
    return _series_calendar(REQUEST, components, first=first.date(), last=last)


def _series_override(
    series, date_, member, organizer_email, organizer_name, sequence, status="CONFIRMED"
) -> Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    vevent = _series_vevent(
        series=series,
        member=member,
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        start=timezone.localtime(date_.start, tz),
        end=timezone.localtime(date_.end, tz),
        sequence=sequence,
        status=status,
        url=_absolute(date_, None),
    )
    vevent.add("RECURRENCE-ID", timezone.localtime(date_.recurrence_id, tz))
    return vevent


def series_date_ics(
    *,
    event,
    member,
    organizer_email: str,
    organizer_name: str = "",
    cancel: bool | None = None,
    sequence: int | None = None,
) -> bytes:
    """What a series invitation's holder gets when one date changes: METHOD:CANCEL for a skipped
    date (or ``cancel``: one the member will not come to), METHOD:REQUEST for a moved one (or
    one they come to after all), each with the series' UID and the date's RECURRENCE-ID, so
    calendars update that date only."""
    series = event.series
    organizer_name = organizer_name or dealership_name(site_of(series.index))
    if sequence is None:
        sequence = series_sequence(series=series, dates=series.dates.all())
    cancelling = event.is_cancelled if cancel is None else cancel
    vevent = _series_override(
        series,
        event,
        member,
        organizer_email,
        organizer_name,
        sequence,
        status="CANCELLED" if cancelling else "CONFIRMED",
    )
    day = timezone.localtime(event.start).date()
    return _series_calendar(CANCEL if cancelling else REQUEST, [vevent], first=day, last=day)
