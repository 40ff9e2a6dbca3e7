"""Writes for event series: publishing a series' dates as event pages, and skipping or moving one
date without touching the others.

A date is an ordinary event page, so skipping it (cancelling) and moving it (a new start) go
through the page's revision and publish, like any edit staff make: ``events.signals`` records the
change and the members who answered for that date hear of it, with their calendars updated.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community.outbox import outbox_enqueue
from events.models import EventPage, EventSeries, Rsvp, SeriesMember
from events.notifications import (
    SERIES_MAIL_RENDERER,
    notify_rsvp,
    rsvp_mail_kind,
    series_invite_sequence_next,
)
from events.recurrence import series_starts
from events.selectors import member_may_attend
from events.services.rsvp import RsvpError, rsvp_respond


class SeriesError(Exception):
    """A series rule said no; ``code`` is machine-readable, the message is for staff."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def _date_page(series: EventSeries, start: datetime) -> EventPage:
    return EventPage(
        title=series.title,
        slug=f"{slugify(series.title)[:40] or 'date'}-{timezone.localtime(start):%Y-%m-%d}",
        kind=series.kind,
        summary=series.summary,
        start=start,
        end=start + series.duration,
        venue_name=series.venue_name,
        venue_address=series.venue_address,
        host_club=series.host_club,
        audience=series.audience,
        capacity=series.capacity,
        guests_allowed=series.guests_allowed,
        reminder_hours=series.reminder_hours,
        rsvp_opens_at=(
            start - timedelta(days=series.rsvp_opens_days)
            if series.rsvp_opens_days is not None
            else None
        ),
        series=series,
        recurrence_id=start,
    )


@transaction.atomic
def series_dates_publish(*, series: EventSeries) -> list[EventPage]:
    """Publish every date of the series that has no page yet (under ``series.index``); dates
    already published, skipped or moved are left as they are. Returns the new pages."""
    series = EventSeries.objects.select_for_update().get(pk=series.pk)
    have = set(series.dates.values_list("recurrence_id", flat=True))
    created = []
    for start in series_starts(series):
        if start in have:
            continue
        page = _date_page(series, start)
        series.index.add_child(instance=page)
        page.save_revision().publish()
        created.append(page)
    return created


def _date_of_series(event: EventPage) -> EventPage:
    if event.series_id is None:
        raise SeriesError("This event is not a date of a series.", code="not_series")
    if event.is_past:
        raise SeriesError("This date is over.", code="past")
    return event.specific if not isinstance(event, EventPage) else event


@transaction.atomic
def series_date_skip(*, event: EventPage) -> EventPage:
    """Skip one date of a series: it is cancelled (members who answered for it are told, their
    calendars updated); the series' other dates are untouched."""
    event = _date_of_series(event)
    if event.is_cancelled:
        raise SeriesError("This date is already skipped.", code="already_skipped")
    event.status = EventPage.Status.CANCELLED
    event.save_revision().publish()
    return event


@transaction.atomic
def series_date_move(*, event: EventPage, start: datetime) -> EventPage:
    """Move one date of a series to ``start`` (it keeps its length); the others stay."""
    event = _date_of_series(event)
    if event.is_cancelled:
        raise SeriesError("A skipped date cannot be moved.", code="skipped")
    if start <= timezone.now():
        raise SeriesError("Move the date to a time still ahead.", code="in_the_past")
    length = event.end - event.start
    event.start, event.end = start, start + length
    event.save_revision().publish()  # events.signals: recorded as a change, members told
    return event


# --- Every date: members in the series ----------------------------------------------------------


def _declined(row: SeriesMember, dates: list) -> list:
    """The dates left out of the member's series invitation: those they said they will not come
    to, and, once they have left the series, the dates ahead they have not answered."""
    answers = dict(
        Rsvp.objects.filter(member=row.member, event__series=row.series).values_list(
            "event_id", "answer"
        )
    )
    now = timezone.now()
    return [
        d.recurrence_id
        for d in dates
        if answers.get(d.pk) == Rsvp.Answer.NOT_GOING
        or (not row.active and d.start > now and d.pk not in answers)
    ]


def _series_mail(member_row: SeriesMember, rsvps: list, *, template: str) -> None:
    """The member's mail about the series (``series_joined`` or ``series_left``) with their
    series invitation as it now stands. Queued as what to render (the dates' locks taken by the
    RSVPs just made are held until commit): what they answered, the dates left out of their
    calendar and the invitation's SEQUENCE are decided now; templates and the calendar are
    rendered by the sender (``series_mail_render``)."""
    series, member = member_row.series, member_row.member
    dates = list(series.dates.all())
    sequence = series_invite_sequence_next(series=series, member=member, dates=dates)
    stamp = member_row.left_at or member_row.joined_at
    outbox_enqueue(
        kind=template,
        to=member.email,
        render={
            "renderer": SERIES_MAIL_RENDERER,
            "data": {
                "member_row": member_row.pk,
                "template": template,
                "answered": [{"event": r.event_id, "state": r.state} for r in rsvps],
                "declined": [d.isoformat() for d in _declined(member_row, dates)],
                "sequence": sequence,
            },
        },
        dedupe_key=f"{template}:{member_row.pk}:{stamp.timestamp():.6f}",
        member=member,
    )


@transaction.atomic
def series_join(*, series: EventSeries, member, guests: int = 0) -> SeriesMember:
    """ "Count me in for every date": the member is RSVP'd "going" to each date whose RSVPs are
    open now (each subject to its places and waitlist) and to each later date as its RSVPs open,
    and gets the whole series in their calendar (one invitation, RRULE and all)."""
    guests = int(guests or 0)
    if not 0 <= guests <= series.guests_allowed:
        raise SeriesError(
            f"You can bring up to {series.guests_allowed} guest"
            f"{'s' if series.guests_allowed != 1 else ''}.",
            code="guests",
        )
    upcoming = series.dates.live().filter(start__gt=timezone.now()).order_by("start").first()
    if upcoming is None:
        raise SeriesError("This series has no dates ahead.", code="over")
    if not member_may_attend(event=upcoming, member=member):
        raise SeriesError("This series is not open to you.", code="not_invited")
    row, created = SeriesMember.objects.select_for_update().get_or_create(
        series=series, member=member, defaults={"guests": guests}
    )
    if not created and row.active and row.guests == guests:
        return row  # asked twice: nothing new
    row.guests, row.left_at = guests, None
    if not created:
        row.joined_at = timezone.now()
    row.save()
    rsvps = series_fill_in(member_row=row, notify=False)  # the mail below says how each went
    _series_mail(row, rsvps, template="series_joined")
    return row


@transaction.atomic
def series_leave(*, series: EventSeries, member) -> SeriesMember | None:
    """Stop answering later dates for the member; answers already given stay (each can be
    changed on its date). Their series invitation is sent again without the dates ahead they
    have not answered, so their calendar keeps only the dates they are coming to."""
    row = SeriesMember.objects.select_for_update().filter(series=series, member=member).first()
    if row is None or not row.active:
        return row
    row.left_at = timezone.now()
    row.save(update_fields=["left_at"])
    _series_mail(row, [], template="series_left")
    return row


def series_fill_in(*, member_row: SeriesMember | None = None, notify: bool = True) -> list:
    """RSVP the series' members "going" to each date whose RSVPs are open and that they have not
    answered (a member who said "not going" to one date keeps that answer). Each RSVP takes its
    place or joins the waitlist as any RSVP does; with ``notify`` the member gets that date's
    answer mail (without a calendar entry: the series invitation holds the date). Returns the
    RSVPs made. Run by beat (``events.tasks.series_fill_in_task``) and when a member joins."""
    rows = SeriesMember.objects.filter(left_at__isnull=True).select_related("series", "member")
    if member_row is not None:
        rows = rows.filter(pk=member_row.pk)
    now = timezone.now()
    made = []
    for row in rows:
        answered = set(
            Rsvp.objects.filter(member=row.member, event__series=row.series).values_list(
                "event_id", flat=True
            )
        )
        for event in row.series.dates.live().filter(start__gt=now).order_by("start"):
            if event.pk in answered or not event.rsvp_open(now):
                continue
            try:
                rsvp = rsvp_respond(
                    event=event,
                    member=row.member,
                    answer=Rsvp.Answer.GOING,
                    guests=min(row.guests, event.guests_allowed),
                    source=Rsvp.Source.SERIES,
                    notify=False,
                )
            except RsvpError:
                continue  # not open to them after all (audience, waiver...): that date alone
            if notify:
                notify_rsvp(rsvp=rsvp, kind=rsvp_mail_kind(rsvp), calendar=False)
            made.append(rsvp)
    return made
