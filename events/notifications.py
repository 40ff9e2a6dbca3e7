"""Automatic mail about a member's place at an event: each change of an RSVP gets one answer mail
(confirmed, waitlisted, promoted, noted for maybe / not going, removed by staff).

Called by the RSVP services inside their transaction, with the event's row locked, so the message
is written to the outbox together with the change (community/outbox.py) and sent after commit;
each dedupe key names the state change it reports, so a retried task or a second worker never
sends it twice. Under the lock ``notify_rsvp`` only decides what the mail is and queues *what to
render* (the ``events.rsvp_mail`` renderer): a snapshot of the RSVP as it is at the change, the
mail's kind, whether it carries a calendar entry (and its METHOD), whether the member's calendar
holds the date through the series' invitation, and the calendar SEQUENCE, allocated now so that
sequences follow the order of the changes. The templates, the iCalendar invite and the signed
links are rendered after commit by the sender (in the worker), from that snapshot: a member who
answers again before the worker runs still gets each mail as it was, and a removed RSVP (its row
deleted) is rendered from its snapshot too. The event itself is read when the mail is rendered
(a change of its time or venue has its own mail, with a higher SEQUENCE).

Each answer mail carries the calendar entry the member should now hold (``ical.invitation_state``:
an invite or update, or a METHOD:CANCEL), whose ORGANIZER is the member's reply address, so
Accept/Decline in a calendar app comes back as an RSVP. Every calendar message to a member has a
higher SEQUENCE than the one before (``Rsvp.invite_sequence``), so replies to older ones are stale.
"""

import json
from datetime import datetime, timedelta

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from community.mail import list_unsubscribe_headers
from community.models import Channel, Member
from community.outbox import outbox_enqueue, outbox_renderer
from community.showrooms import dealership_name, sender_address, site_of, site_page_url
from community.texts.selectors import message_channels
from community.texts.services import text_queue
from events.ical import (
    CANCEL,
    REQUEST,
    invitation_state,
    invite_ics,
    invite_mail_parts,
    next_invite_sequence,
    series_date_ics,
    series_ics,
    series_sequence,
)
from events.links import rsvp_link_url
from events.locking import lock_event
from events.models import EventChange, EventPage, Rsvp, RunGroup, SeriesMember
from events.selectors import route_stop_lines, route_summary, series_invitation_holds
from events.texts import (
    change_text_body,
    promotion_text_body,
    reminder_text_body,
    text_urgent,
)
from events.tokens import reply_address


def event_context(event) -> dict:
    """What every member's mail about this event says of it (computed once per event and batch),
    in the voice of the showroom the event belongs to: its name and its links."""
    site = site_of(event)
    return {
        "dealership_name": dealership_name(site),
        "event_title": event.title,
        "when": f"{timezone.localtime(event.start):%A %-d %B %Y, %H:%M}",
        "venue": event.venue_name,
        "venue_address": ", ".join(
            line.strip() for line in event.venue_address.splitlines() if line.strip()
        ),
        "event_url": site_page_url(event, site),
        "route_stops": route_stop_lines(event=event),
        "route_summary": route_summary(event=event),
    }


def _context(rsvp: Rsvp, base: dict | None = None) -> dict:
    event = rsvp.event
    return {
        **(base or event_context(event)),
        "member_name": rsvp.member.display_name,
        "guests": rsvp.guests,
        "run_group": str(rsvp.run_group) if rsvp.run_group_id else "",
        "car_number": rsvp.car_number,
        "change_url": rsvp_link_url(event=event, member=rsvp.member),
    }


def _record_sequence(rsvp: Rsvp, sequence: int) -> None:
    """Remember the SEQUENCE the member was just sent (only once the message is queued). One
    plain UPDATE: it runs under the event's lock on every answer."""
    rsvp.invite_sequence = sequence
    if rsvp.pk:
        quote = connection.ops.quote_name
        field, pk = Rsvp._meta.get_field("invite_sequence"), Rsvp._meta.pk
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(Rsvp._meta.db_table)} SET {quote(field.column)} = %s "
                f"WHERE {quote(pk.column)} = %s",
                [sequence, rsvp.pk],
            )


def series_invite_sequence_next(*, series, member, dates) -> int:
    """The next SEQUENCE of ``member``'s series invitation: above the series' own
    (``ical.series_sequence``) and above the last one they were sent, which is recorded."""
    row = SeriesMember.objects.select_for_update().get(series=series, member=member)
    sequence = max(series_sequence(series=series, dates=dates), row.invite_sequence + 1)
    SeriesMember.objects.filter(pk=row.pk).update(invite_sequence=sequence)
    return sequence


RSVP_MAIL_KINDS = ("confirmed", "waitlisted", "promoted", "noted", "removed")


def rsvp_mail_kind(rsvp: Rsvp) -> str:
    """Which answer mail an RSVP's state gets: confirmed, waitlisted, or noted (maybe, not going)."""
    if rsvp.state == Rsvp.State.CONFIRMED:
        return "confirmed"
    if rsvp.state == Rsvp.State.WAITLISTED:
        return "waitlisted"
    return "noted"


RSVP_MAIL_RENDERER = "events.rsvp_mail"


def notify_rsvp(
    *, rsvp: Rsvp, kind: str, calendar: bool = True, sequence_in_row: bool = False
) -> None:
    """The member's one answer mail for a change of their RSVP. Transactional: always sent.

    kind: "confirmed", "waitlisted", "promoted", "noted" (maybe / not going) or "removed" (staff
    took the RSVP off; ``rsvp`` is the row as it was, before it is deleted). Each carries the
    calendar entry the member should now hold (``ical.invitation_state``): an updated invite, or a
    METHOD:CANCEL when they are no longer coming. ``calendar=False`` leaves it out (a first "not
    going": nothing to cancel).

    Called with the event locked: only what the mail will be is decided here (its calendar
    METHOD and SEQUENCE, recorded now); it is rendered after commit (``rsvp_mail_render``) from
    a snapshot of ``rsvp`` as it is now. ``sequence_in_row``: the RSVP's row was written with the
    SEQUENCE this mail carries (a first answer: ``rsvp_respond``), so it is not recorded again.
    """
    if kind not in RSVP_MAIL_KINDS:
        raise ValueError(f"Unknown RSVP mail {kind!r}")
    # The member's calendar may hold the date through the series' invitation: that date changes.
    series_date = series_invitation_holds(event=rsvp.event, member=rsvp.member)
    if kind == "promoted":
        channels = message_channels(member=rsvp.member, kind="promotions")
        if "text" in channels:
            text_queue(
                member=rsvp.member,
                kind="promotions",
                body=promotion_text_body(event=rsvp.event, member=rsvp.member),
                dedupe_key=(
                    f"promoted:{rsvp.pk}:{(rsvp.updated_at or timezone.now()).timestamp():.6f}"
                ),
            )
        if "email" not in channels:
            return  # they chose a text for this
    method, sequence = None, None
    if series_date:
        method = CANCEL if kind == "removed" or rsvp.answer == Rsvp.Answer.NOT_GOING else REQUEST
        series = rsvp.event.series
        # Only the dates' sequences count here: one light query.
        sequence = series_invite_sequence_next(
            series=series, member=rsvp.member, dates=series.dates.only("pk", "sequence")
        )
    elif calendar:
        method = CANCEL if kind == "removed" else invitation_state(rsvp)[0]
        sequence = rsvp.invite_sequence if sequence_in_row else next_invite_sequence(rsvp)
    stamp = rsvp.updated_at or timezone.now()
    if kind == "removed":
        stamp = timezone.now()
    message = outbox_enqueue(
        kind=f"rsvp_{kind}",
        to=rsvp.member.email,
        render={
            "renderer": RSVP_MAIL_RENDERER,
            "data": {
                "rsvp": rsvp_snapshot(rsvp),
                "kind": kind,
                "calendar": calendar,
                "series_date": series_date,
                "method": method,
                "sequence": sequence,
            },
        },
        reply_to=reply_address(event_id=rsvp.event_id, member_id=rsvp.member_id),
        dedupe_key=f"rsvp-{kind}:{rsvp.pk}:{stamp.timestamp():.6f}",
        member=rsvp.member,
    )
    recorded = sequence_in_row or series_date or kind == "removed"
    if message is not None and sequence is not None and not recorded:
        _record_sequence(rsvp, sequence)


def rsvp_snapshot(rsvp: Rsvp) -> dict:
    """The RSVP's columns as they are now, as JSON (Django's serializer): what its answer mail
    reports, whatever happens to the row before the mail is rendered."""
    return json.loads(json.dumps(serializers.serialize("python", [rsvp])[0], cls=DjangoJSONEncoder))


def rsvp_from_snapshot(snapshot: dict) -> Rsvp:
    """The RSVP as ``rsvp_snapshot`` saw it (not saved, never to be saved). A column added since
    takes its default; one removed since is passed over."""
    return next(serializers.deserialize("python", [snapshot], ignorenonexistent=True)).object


@outbox_renderer(RSVP_MAIL_RENDERER)
def rsvp_mail_render(message, data: dict) -> dict:
    """Render an answer mail queued by ``notify_rsvp`` (or an event's change notice, queued by
    ``notify_event_change``: ``template`` and ``summary``): the RSVP from its snapshot, the event
    and member as they are now, the calendar part with the METHOD and SEQUENCE decided at the
    change."""
    rsvp = rsvp_from_snapshot(data["rsvp"])
    event = EventPage.objects.get(pk=rsvp.event_id)
    rsvp.event, rsvp.member = event, Member.objects.get(pk=rsvp.member_id)
    if rsvp.run_group_id:  # a run group deleted since is not named
        rsvp.run_group = RunGroup.objects.filter(pk=rsvp.run_group_id).first()
    method, sequence, series_date = data["method"], data["sequence"], data["series_date"]
    template = data.get("template") or f"rsvp_{data['kind']}"  # an event's change: its own
    reply_to = message.reply_to or reply_address(event_id=event.pk, member_id=rsvp.member_id)
    context = {
        **_context(rsvp),
        "answer": rsvp.get_answer_display(),
        "state": rsvp.state,
        "calendar": data["calendar"] or series_date,
        "series_date": series_date,
        "summary": data.get("summary", ""),
    }
    from_email = sender_address(site_of(event))
    alternatives, attachments = [], []
    if series_date:
        ics = series_date_ics(
            event=event,
            member=rsvp.member,
            organizer_email=from_email,
            cancel=method == CANCEL,
            sequence=sequence,
        )
        alternatives, attachments = invite_mail_parts(ics, method)
    elif method:
        ics = invite_ics(rsvp=rsvp, organizer_email=reply_to, method=method, sequence=sequence)
        alternatives, attachments = invite_mail_parts(ics, method)
    return {
        "subject": render_to_string(f"email/{template}_subject.txt", context),
        "body": render_to_string(f"email/{template}.txt", context),
        "from_email": from_email,
        "alternatives": alternatives,
        "attachments": attachments,
    }


SERIES_MAIL_RENDERER = "events.series_mail"


@outbox_renderer(SERIES_MAIL_RENDERER)
def series_mail_render(message, data: dict) -> dict:
    """Render a series mail queued by ``events.services.series`` (joined, left): the answers and the left-out dates as they were
    then, the series' dates as they are now, with the SEQUENCE decided then."""
    row = SeriesMember.objects.select_related("series", "member").get(pk=data["member_row"])
    series, member = row.series, row.member
    site = site_of(series.index)
    organizer = sender_address(site)
    dates = list(series.dates.all())
    data_ics = series_ics(
        series=series,
        member=member,
        organizer_email=organizer,
        dates=dates,
        declined=[datetime.fromisoformat(value) for value in data["declined"]],
        sequence=data["sequence"],
    )
    alternatives, attachments = invite_mail_parts(data_ics, REQUEST)
    events = EventPage.objects.in_bulk([answer["event"] for answer in data["answered"]])
    states = dict(Rsvp.State.choices)
    context = {
        "member_name": member.display_name,
        "series_title": series.title,
        "dealership_name": dealership_name(site),
        "answered": [
            {
                "when": f"{timezone.localtime(events[answer['event']].start):%A %-d %B %Y, %H:%M}",
                "state": states[answer["state"]],
                "url": site_page_url(events[answer["event"]], site),
            }
            for answer in data["answered"]
            if answer["event"] in events
        ],
        "upcoming": sum(1 for d in dates if not d.is_past and not d.is_cancelled),
    }
    template = data["template"]
    return {
        "subject": render_to_string(f"email/{template}_subject.txt", context),
        "body": render_to_string(f"email/{template}.txt", context),
        "from_email": organizer,
        "alternatives": alternatives,
        "attachments": attachments,
    }


def notify_event_change(*, change_id: int) -> int:
    """Tell everyone who may come (confirmed, waitlisted, maybe) about a change or cancellation,
    with an updated invite (higher SEQUENCE) or a METHOD:CANCEL. Once per member and change, however
    often this runs (beat retries what a lost task missed). Returns how many messages were queued.
    The event is locked while the SEQUENCEs are given out, so each mail is queued as what to
    render (``rsvp_mail_render``) and rendered by the sender after commit."""
    with transaction.atomic():
        change = (
            EventChange.objects.select_for_update(skip_locked=True)
            .select_related("event")
            .filter(pk=change_id, notified_at__isnull=True)
            .first()
        )
        if change is None:
            return 0
        event = change.event
        lock_event(event)  # RSVPs are not changed (nor their SEQUENCE recorded) meanwhile
        event.sequence = max(event.sequence, change.sequence)
        cancelled = change.kind == EventChange.Kind.CANCELLED
        rsvps = (
            Rsvp.objects.filter(event=event)
            .exclude(answer=Rsvp.Answer.NOT_GOING)
            .select_related("member", "event", "run_group")
        )
        queued = 0
        urgent = text_urgent(event=event, cancelled=cancelled)
        for rsvp in rsvps:
            rsvp.event = event
            text = text_queue(
                member=rsvp.member,
                kind="changes",
                body=change_text_body(event=event, member=rsvp.member, cancelled=cancelled),
                dedupe_key=f"event-change:{change.pk}",
                urgent=urgent,
            )
            queued += text is not None
            if "email" not in message_channels(member=rsvp.member, kind="changes"):
                continue  # they chose a text for this
            template = "event_cancelled" if cancelled else "event_changed"
            # Their calendar may hold the whole series: then that date of it changes alone.
            series_date = series_invitation_holds(event=event, member=rsvp.member)
            if series_date:
                sequence = series_invite_sequence_next(
                    series=event.series,
                    member=rsvp.member,
                    dates=event.series.dates.only("pk", "sequence"),
                )
            else:
                sequence = next_invite_sequence(rsvp)
            # Queued as what to render, like an answer mail: the event stays locked meanwhile.
            message = outbox_enqueue(
                kind=template,
                to=rsvp.member.email,
                render={
                    "renderer": RSVP_MAIL_RENDERER,
                    "data": {
                        "rsvp": rsvp_snapshot(rsvp),
                        "template": template,
                        "summary": change.summary,
                        "calendar": True,
                        "series_date": series_date,
                        "method": CANCEL if cancelled else REQUEST,
                        "sequence": sequence,
                    },
                },
                reply_to=reply_address(event_id=event.pk, member_id=rsvp.member_id),
                dedupe_key=f"event-change:{change.pk}:{rsvp.member_id}",
                member=rsvp.member,
            )
            if message is not None:
                if not series_date:
                    _record_sequence(rsvp, sequence)
                queued += 1
        change.notified_at = timezone.now()
        change.save(update_fields=["notified_at"])
        return queued


def send_due_reminders(*, now=None) -> int:
    """Queue the reminders that are due: for each event lead time (48 h and 3 h by default) that has
    passed and the event not started, once per member who is coming and wants reminders.

    A member who answered "maybe" gets one nudge, at the first reminder that falls due, with
    Going / Can't go links, so their place can be planned (or given to someone else); members on
    the waitlist or not going get none."""
    now = now or timezone.now()
    queued = 0
    reminder_texts_q = Q(member__mobile__reminders__in=[Channel.TEXT, Channel.BOTH])
    soon = EventPage.objects.live().filter(start__gt=now, start__lte=now + timedelta(days=31))
    for event in soon.exclude(status=EventPage.Status.CANCELLED).exclude(reminder_hours=""):
        due = [lead for lead in event.reminder_leads if event.start - timedelta(hours=lead) <= now]
        if not due:
            continue
        lead = min(due)  # the nearest one only: a late start never sends 48 h and 3 h together
        base = event_context(event)
        rsvps = (
            Rsvp.objects.filter(event=event, member__is_active=True)
            .filter(Q(member__email_reminders=True) | reminder_texts_q)
            .filter(Q(state=Rsvp.State.CONFIRMED) | Q(answer=Rsvp.Answer.MAYBE))
            .select_related("member", "run_group")
        )
        for rsvp in rsvps:
            rsvp.event = event
            maybe = rsvp.state != Rsvp.State.CONFIRMED
            text = text_queue(
                member=rsvp.member,
                kind="reminders",
                body=reminder_text_body(event=event, member=rsvp.member),
                dedupe_key=f"reminder:{event.pk}" if maybe else f"reminder:{event.pk}:{lead}",
            )
            queued += text is not None
            if "email" not in message_channels(member=rsvp.member, kind="reminders"):
                continue  # they chose a text for this, or turned reminder mail off
            context = {**_context(rsvp, base), "lead": lead, "maybe": maybe}
            if maybe:
                context.update(
                    going=rsvp_link_url(event=event, member=rsvp.member, answer="going"),
                    not_going=rsvp_link_url(event=event, member=rsvp.member, answer="not_going"),
                )
            message = outbox_enqueue(
                kind="event_reminder",
                to=rsvp.member.email,
                subject=" ".join(
                    render_to_string("email/event_reminder_subject.txt", context).split()
                ),
                body=render_to_string("email/event_reminder.txt", context),
                reply_to=reply_address(event_id=event.pk, member_id=rsvp.member_id),
                from_email=sender_address(site_of(event)),
                headers=list_unsubscribe_headers(
                    member=rsvp.member, category="reminders", site=site_of(event)
                ),
                dedupe_key=(
                    f"reminder-maybe:{event.pk}:{rsvp.member_id}"
                    if maybe
                    else f"reminder:{event.pk}:{rsvp.member_id}:{lead}"
                ),
                member=rsvp.member,
            )
            queued += message is not None
    return queued
