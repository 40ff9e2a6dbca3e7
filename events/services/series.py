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

from events.models import EventPage, EventSeries
from events.recurrence import series_starts


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
