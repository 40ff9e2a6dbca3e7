"""Demo events for ``manage.py seed_demo``: meetups, drives, a track day and their RSVPs.

Dates are relative to the day the demo is seeded, so the calendar always has something coming up
and something just past, and each falls on the day its text says (``DemoEvent.rule``). Every answer
and check-in is dated before its event, as if members had answered over the weeks before.
Idempotent: events are found by slug under the events index.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import FR, MONTHLY, SA, SU, TH, WEEKLY, rrule
from django.utils import timezone

from community.demo import DemoContext, _paragraph, _wagtail_image
from community.demo_images import club_cover
from community.models import ClubPage
from events import services
from events.models import EventIndexPage, EventPage, Rsvp, RunGroup, Waiver

WAIVER_TEXT = (
    "Track driving carries risks. I confirm that I hold a full driving licence, that my car is "
    "roadworthy and insured for track use or that I accept driving uninsured on track, that I will "
    "follow the marshals' flags and the briefing, and that I take part at my own risk.\n\n"
    "I will wear a helmet, keep to my run group and leave the track at once if asked."
)


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    kind: str
    # When it happens: the rule its text states (``rrule`` keywords), and how far from today: the
    # first occurrence at least ``days`` ahead or, for a past event (negative), the last one at
    # least ``-days`` ago.
    rule: dict
    days: int
    starts: time
    hours: float
    venue: str
    address: str
    summary: str
    body: str
    capacity: int | None = None
    guests: int = 1
    club: str = ""  # slug of the host club
    audience: str = EventPage.Audience.PUBLIC
    colour: str = "#0f3b5f"
    motif: str = "road"
    going: int = 0  # demo members who said going (of those who may come)
    run_groups: tuple[tuple[str, int], ...] = ()

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


def _closed(day: date) -> bool:
    """The showroom closes from Christmas Eve to New Year's Day: no events then."""
    return (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1)


COFFEE_SLUG = "cars-and-coffee-on-the-quay"

EVENTS = [
    DemoEvent(
        COFFEE_SLUG,
        "Cars & Coffee on the Quay",
        EventPage.Kind.CARS_AND_COFFEE,
        {"freq": MONTHLY, "byweekday": SU(+1)},  # the first Sunday of every month
        1,
        time(9, 0),
        2.5,
        "Harbourside MINI forecourt",
        "4 Quay Road\nSaltmouth TQ14 9ZX",
        "Bring your MINI, grab a coffee from the van and meet the owners who park next to you.",
        "The first Sunday of every month we clear the forecourt for members' cars. Coffee and pastries "
        "are on us; the workshop team is around for questions.",
        capacity=40,
        guests=2,
        colour="#0f3b5f",
        motif="coast",
        going=18,
    ),
    DemoEvent(
        "dartmoor-breakfast-drive",
        "Dartmoor Breakfast Drive",
        EventPage.Kind.DRIVE,
        {"freq": MONTHLY, "byweekday": SU(+3)},  # a Sunday, away from the club's first-Sunday run
        7,
        time(8, 0),
        4,
        "Meet at Haytor lower car park",
        "Haytor Vale\nNewton Abbot TQ13 9XT",
        "Sixty miles of moorland roads while they are quiet, breakfast at Widecombe.",
        "We leave in groups of five with a lead and a sweep car. Route cards and walkie-talkies provided.",
        capacity=10,
        guests=1,
        club="sunday-drivers",
        audience=EventPage.Audience.CLUB,
        colour="#3a5a40",
        motif="hills",
        going=15,
    ),
    DemoEvent(
        "castle-combe-track-day",
        "Castle Combe Track Day",
        EventPage.Kind.TRACK_DAY,
        {"freq": WEEKLY, "byweekday": FR},
        21,
        time(8, 0),
        9,
        "Castle Combe Circuit",
        "Castle Combe\nChippenham SN14 7EY",
        "Open pit lane in three run groups, with instruction for novices.",
        "Noise limit 105 dB static. Helmets can be borrowed on the day. Bring your own fuel money.",
        capacity=None,  # its places are its run groups'
        guests=1,
        colour="#7a1f1f",
        motif="track",
        going=9,
        run_groups=(("Novice", 10), ("Intermediate", 10), ("Advanced", 8)),
    ),
    DemoEvent(
        "new-models-evening",
        "New Models Evening",
        EventPage.Kind.SHOWROOM_EVENING,
        {"freq": WEEKLY, "byweekday": TH},
        14,
        time(18, 30),
        2.5,
        "Harbourside MINI showroom",
        "4 Quay Road\nSaltmouth TQ14 9ZX",
        "A first look at the latest models, a drink and the accessories that go with them.",
        "Our product genius walks through the new arrivals; the parts team brings the kit to match.",
        capacity=60,
        guests=2,
        colour="#1d3557",
        motif="coast",
        going=22,
    ),
    DemoEvent(
        "service-clinic",
        "Service Clinic",
        EventPage.Kind.SERVICE_CLINIC,
        {"freq": WEEKLY, "byweekday": SA},
        28,
        time(10, 0),
        3,
        "Harbourside MINI workshop",
        "4 Quay Road\nSaltmouth TQ14 9ZX",
        "A free check of tyres, battery, wipers and lights, with the technicians who service your car.",
        "Twenty-minute slots; bring your service book. Members get 10% off any work booked on the day.",
        capacity=20,
        guests=0,
        colour="#264653",
        motif="road",
        going=8,
    ),
    DemoEvent(
        "south-hams-coast-run",
        "South Hams Coast Run",
        EventPage.Kind.DRIVE,
        {"freq": WEEKLY, "byweekday": SU},
        -21,
        time(9, 30),
        5,
        "Slapton Sands car park",
        "Slapton\nKingsbridge TQ7 2QP",
        "The South Hams coast road from Slapton to Salcombe, lunch at the harbour.",
        "A relaxed convoy with regroup stops; photos in the community feed.",
        capacity=25,
        guests=1,
        colour="#b5651d",
        motif="coast",
        going=20,
    ),
]


def seed_events(context: DemoContext) -> None:
    index = _events_index(context)
    waiver = Waiver.objects.filter(title="Track day waiver").first() or Waiver.objects.create(
        title="Track day waiver", text=WAIVER_TEXT
    )
    members = [m for m in context.members.values() if not m.is_staff]
    rng = random.Random("paddock-events")
    for spec in EVENTS:
        event = EventPage.objects.child_of(index).filter(slug=spec.slug).first()
        if event is not None:
            context.report.kept("events")
            continue
        event = _create_event(context, index, spec, waiver)
        _seed_rsvps(event, spec, members, rng)
        context.report.created("events")


def _events_index(context: DemoContext) -> EventIndexPage:
    index = EventIndexPage.objects.child_of(context.home).first()
    if index is None:
        index = context.home.add_child(
            instance=EventIndexPage(
                title="Events",
                slug="events",
                show_in_menus=True,
                introduction="Meetups, drives, track days and evenings at the showroom. Members RSVP here or "
                "straight from the invitation email.",
            )
        )
        context.report.created("pages")
    return index


def _create_event(context, index, spec: DemoEvent, waiver) -> EventPage:
    start = timezone.make_aware(datetime.combine(spec.day(timezone.localdate()), spec.starts))
    cover = _wagtail_image(
        context,
        title=f"{spec.title} cover",
        filename=f"{spec.slug}.jpg",
        data=club_cover(spec.title, colour=spec.colour, motif=spec.motif),
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
        body=[("paragraph", _paragraph(f"<p>{spec.body}</p>")["value"])],
        cover_image=cover,
        host_club=club,
        audience=spec.audience
        if club or spec.audience != EventPage.Audience.CLUB
        else EventPage.Audience.MEMBERS,
        capacity=spec.capacity,
        guests_allowed=spec.guests,
        waiver=waiver if spec.kind == EventPage.Kind.TRACK_DAY else None,
    )
    index.add_child(instance=event)
    for position, (name, capacity) in enumerate(spec.run_groups):
        RunGroup.objects.create(event=event, name=name, capacity=capacity, sort_order=position)
    return event


def _seed_rsvps(event: EventPage, spec: DemoEvent, members, rng: random.Random) -> None:
    from events.selectors import member_may_attend

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
