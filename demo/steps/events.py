"""The demo dealership's events: meetups, drives, a track day and their RSVPs.

The events are read from demo/data/events.toml. Dates are relative to the day the demo is seeded,
so the calendar always has something coming up and something just past, and each falls on the day
its text says (``DemoEvent.rule``). Every answer and check-in is dated before its event, as if
members had answered over the weeks before. Idempotent: events are found by slug under the events
index.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.utils import timezone

from community.models import CarModel, ClubPage
from demo import blocks, images
from demo.data import DATA_DIR, DataFile, read
from demo.seed import DemoContext, wagtail_image
from events import services
from events.gpx import gpx_read
from events.models import (
    EventIndexPage,
    EventPage,
    EventSeries,
    Route,
    RouteStop,
    Rsvp,
    RunGroup,
    SeriesMember,
    Waiver,
)
from events.selectors import member_may_attend
from events.services.routes import route_save
from events.services.series import series_dates_publish, series_fill_in

FREQUENCIES = {"month": MONTHLY, "week": WEEKLY}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass(frozen=True)
class DemoEventIndex:
    title: str
    slug: str
    introduction: str


@dataclass(frozen=True)
class DemoWaiver:
    title: str
    text: str


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    kind: str = field(metadata={"choices": EventPage.Kind.values})
    # When it happens: every month or week, on a weekday (the nth of the month when nth is set),
    # and how far from today: the first occurrence at least ``days`` ahead or, for a past event
    # (negative), the last one at least ``-days`` ago.
    every: str = field(metadata={"choices": list(FREQUENCIES)})
    weekday: str = field(metadata={"choices": WEEKDAYS})
    days: int
    starts: time
    hours: float
    venue: str
    address: str
    summary: str
    body: str
    nth: int | None = None
    capacity: int | None = None
    guests: int = 1
    club: str = ""  # slug of the host club
    audience: str = field(
        default=EventPage.Audience.PUBLIC, metadata={"choices": EventPage.Audience.values}
    )
    colour: str = "#0f3b5f"
    motif: str = field(default="road", metadata={"choices": images.COVER_MOTIFS})
    going: int = 0  # demo members who said going (of those who may come)
    run_groups: tuple[tuple[str, int], ...] = ()  # (name, places)
    test_drives: tuple[str, ...] = ()  # car model names members can ask to drive there
    route: str = ""  # a drive's route, by name (demo/data/routes.toml)

    @property
    def rule(self) -> dict:
        """The ``rrule`` keywords of when it happens."""
        day = weekday(WEEKDAYS.index(self.weekday))
        return {"freq": FREQUENCIES[self.every], "byweekday": day(self.nth) if self.nth else day}

    def day(self, today: date) -> date:
        """The event's day for a demo seeded on ``today``: always on the day its rule says, never
        while the showroom is closed over Christmas."""
        anchor = datetime.combine(today + timedelta(days=self.days), time())
        rule = rrule(
            dtstart=anchor - timedelta(days=400), until=anchor + timedelta(days=400), **self.rule
        )
        days = [d.date() for d in rule if not _closed(d.date())]
        if self.days >= 0:
            return next(d for d in days if d >= anchor.date())
        return next(d for d in reversed(days) if d <= anchor.date())


@dataclass(frozen=True)
class DemoRoute:
    name: str
    club: str  # slug of the club whose route library keeps it
    gpx: str  # a GPX file in demo/data/
    description: str
    stops: tuple[tuple[str, str, float, float, int], ...]  # kind, name, lat, lon, minutes


def _closed(day: date) -> bool:
    """The showroom closes from Christmas Eve to New Year's Day: no events then."""
    return (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1)


def load_events(file: DataFile) -> list[DemoEvent]:
    events = file.entries(DemoEvent, "events", name="slug")
    for event in events:
        file.check(
            event.every == "month" or event.nth is None,
            entry=f"events {event.slug!r}",
            message='nth (the nth weekday of the month) needs every = "month"',
        )
    return events


EVENTS_FILE = read("events.toml")
EVENT_INDEX = EVENTS_FILE.entry(DemoEventIndex, "index")
WAIVER = EVENTS_FILE.entry(DemoWaiver, "waiver")
EVENTS = load_events(EVENTS_FILE)
ROUTES = {r.name: r for r in read("routes.toml").entries(DemoRoute, "routes", name="name")}


def seed_events(context: DemoContext) -> None:
    index = _events_index(context)
    waiver = Waiver.objects.filter(title=WAIVER.title).first() or Waiver.objects.create(
        title=WAIVER.title, text=WAIVER.text
    )
    members = [m for m in context.members.values() if not m.is_staff]
    rng = random.Random("paddock-events")
    for spec in EVENTS:
        event = EventPage.objects.child_of(index).filter(slug=spec.slug).first()
        if event is not None:
            if spec.route and not event.drive_route_id:
                EventPage.objects.filter(pk=event.pk).update(
                    drive_route=_route(context, spec.route)
                )
            context.report.kept("events")
            continue
        event = _create_event(context, index, spec, waiver)
        _seed_rsvps(event, spec, members, rng)
        context.report.created("events")


@dataclass(frozen=True)
class DemoSeries:
    title: str
    slug: str
    kind: str = field(metadata={"choices": EventPage.Kind.values})
    weekday: str = field(metadata={"choices": [w.upper()[:2] for w in WEEKDAYS]})
    nth: int
    count: int
    starts: time
    hours: float
    venue: str
    summary: str
    capacity: int | None = None
    guests: int = 1
    every_date: int = 0  # demo members in for every date


SERIES = EVENTS_FILE.entry(DemoSeries, "series")


def seed_series(context: DemoContext) -> None:
    """A monthly series from next month, its dates published, a few members in for every date
    (their RSVPs made without mail: seeding sends none)."""
    if EventSeries.objects.filter(title=SERIES.title).exists():
        context.report.kept("event series")
        return
    index = _events_index(context)
    weekday = [w.upper()[:2] for w in WEEKDAYS].index(SERIES.weekday)
    today = timezone.localdate()
    month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    first = month + timedelta(days=(weekday - month.weekday()) % 7 + 7 * (SERIES.nth - 1))
    series = EventSeries.objects.create(
        title=SERIES.title,
        index=index,
        kind=SERIES.kind,
        summary=SERIES.summary,
        venue_name=SERIES.venue,
        first_start=timezone.make_aware(datetime.combine(first, SERIES.starts)),
        duration=timedelta(hours=SERIES.hours),
        frequency=EventSeries.Frequency.MONTHLY,
        weekday=SERIES.weekday,
        nth=SERIES.nth,
        count=SERIES.count,
        capacity=SERIES.capacity,
        guests_allowed=SERIES.guests,
    )
    series.full_clean()
    series_dates_publish(series=series)
    members = [m for m in context.members.values() if not m.is_staff][: SERIES.every_date]
    for member in members:
        row = SeriesMember.objects.create(series=series, member=member)
        series_fill_in(member_row=row, notify=False)
    context.report.created("event series")


def _events_index(context: DemoContext) -> EventIndexPage:
    index = EventIndexPage.objects.child_of(context.home).first()
    if index is None:
        index = context.home.add_child(
            instance=EventIndexPage(
                title=EVENT_INDEX.title,
                slug=EVENT_INDEX.slug,
                show_in_menus=True,
                introduction=EVENT_INDEX.introduction,
            )
        )
        context.report.created("pages")
    return index


def _create_event(context, index, spec: DemoEvent, waiver) -> EventPage:
    start = timezone.make_aware(datetime.combine(spec.day(timezone.localdate()), spec.starts))
    cover = wagtail_image(
        context=context,
        title=f"{spec.title} cover",
        filename=f"{spec.slug}.jpg",
        data=images.club_cover(spec.title, colour=spec.colour, motif=spec.motif),
        description=f"Illustration for {spec.title}",
    )
    club = ClubPage.objects.filter(slug=spec.club).first() if spec.club else None
    event = EventPage(
        title=spec.title,
        slug=spec.slug,
        kind=spec.kind,
        start=start,
        end=start + timedelta(hours=spec.hours),
        venue_name=spec.venue,
        venue_address=spec.address,
        map_url="https://www.openstreetmap.org/",
        summary=spec.summary,
        body=[blocks.paragraph(f"<p>{spec.body}</p>")],
        cover_image=cover,
        host_club=club,
        audience=spec.audience
        if club or spec.audience != EventPage.Audience.CLUB
        else EventPage.Audience.MEMBERS,
        capacity=spec.capacity,
        guests_allowed=spec.guests,
        waiver=waiver if spec.kind == EventPage.Kind.TRACK_DAY else None,
        drive_route=_route(context, spec.route) if spec.route else None,
    )
    event.test_drive_models = list(CarModel.objects.filter(name__in=spec.test_drives))
    index.add_child(instance=event)
    for position, (name, capacity) in enumerate(spec.run_groups):
        RunGroup.objects.create(event=event, name=name, capacity=capacity, sort_order=position)
    return event


def _route(context: DemoContext, name: str) -> Route:
    """The named demo route from its club's route library, added there the first time."""
    route = Route.objects.filter(name=name).first()
    if route is not None:
        return route
    spec = ROUTES[name]
    route = Route(
        name=spec.name,
        club=ClubPage.objects.filter(slug=spec.club).first(),
        description=spec.description,
    )
    for position, (kind, stop, lat, lon, minutes) in enumerate(spec.stops):
        route.stops.add(
            RouteStop(
                kind=kind,
                name=stop,
                lat=lat,
                lon=lon,
                minutes_after_start=minutes,
                sort_order=position,
            )
        )
    route_save(route=route, track=gpx_read((DATA_DIR / spec.gpx).read_bytes()))
    context.report.created("routes")
    return route


def _seed_rsvps(event: EventPage, spec: DemoEvent, members, rng: random.Random) -> None:
    # Staff-recorded answers are accepted for past events too; only members who may come answer.
    members = [m for m in members if member_may_attend(event=event, member=m)]
    chosen = rng.sample(members, min(spec.going, len(members)))
    groups = list(event.run_groups.all())
    for n, member in enumerate(chosen):
        car = member.cars.first()
        kwargs = {"guests": rng.choice([0, 0, 1]) if spec.guests else 0, "car": car}
        if event.is_track_day:
            if car is None:
                continue
            kwargs.update(
                run_group=groups[n % len(groups)],
                accept_waiver=True,
                emergency_contact_name="Partner",
                emergency_contact_phone="07700 900" + f"{n:03d}",
                guests=0,
            )
        try:
            services.rsvp_respond(
                event=event, member=member, answer="going", by_staff=True, notify=False, **kwargs
            )
        except services.RsvpError:
            continue
    answered = set(Rsvp.objects.filter(event=event).values_list("member_id", flat=True))
    undecided = [m for m in members if m.pk not in answered]
    for member in rng.sample(undecided, min(3, len(undecided))):
        services.rsvp_respond(
            event=event, member=member, answer="maybe", by_staff=True, notify=False
        )
    _date_answers(event, rng)
    if event.is_past:
        attended = Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED)
        for rsvp in attended:
            if rng.random() < 0.85:
                rsvp.checked_in_at = event.start + timedelta(minutes=rng.randint(-10, 25))
                rsvp.save(update_fields=["checked_in_at"])


def _date_answers(event: EventPage, rng: random.Random) -> None:
    """Date the answers just recorded as given over the weeks before the event (or before today,
    for one still to come), in the order they were recorded, so the waitlist keeps its order."""
    now = timezone.now()
    latest = min(now - timedelta(minutes=5), event.start - timedelta(days=1))
    earliest = min(latest, event.start - timedelta(days=21)) - timedelta(hours=1)
    if not event.is_past:
        earliest = max(earliest, now - timedelta(days=12))
    rsvps = list(Rsvp.objects.filter(event=event).select_related("member").order_by("pk"))
    step = (latest - earliest) / (len(rsvps) + 1)
    for n, rsvp in enumerate(rsvps, start=1):
        at = earliest + step * n - timedelta(minutes=rng.randint(0, 30))
        at = min(max(at, rsvp.member.date_joined + timedelta(hours=1)), latest)
        Rsvp.objects.filter(pk=rsvp.pk).update(
            created_at=at,
            updated_at=at,
            confirmed_at=at if rsvp.confirmed_at else None,
            waitlisted_at=at if rsvp.waitlisted_at else None,
            waiver_accepted_at=at if rsvp.waiver_accepted_at else None,
        )
