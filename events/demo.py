"""Demo events for ``manage.py seed_demo``: a season of meetups, drives, a track day and RSVPs.

Dates are relative to the day the demo is seeded, so the calendar always has something coming up
and something just past. Idempotent: events are found by slug under the events index.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

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
    days: int  # from today; negative for past events
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
    going: int = 0  # demo members who said going
    run_groups: tuple[tuple[str, int], ...] = ()


EVENTS = [
    DemoEvent(
        "cars-and-coffee-december",
        "Cars & Coffee on the Quay",
        EventPage.Kind.CARS_AND_COFFEE,
        5,
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
        "dartmoor-sunrise-drive",
        "Dartmoor Sunrise Drive",
        EventPage.Kind.DRIVE,
        12,
        time(6, 30),
        4,
        "Meet at Haytor lower car park",
        "Haytor Vale\nNewton Abbot TQ13 9XT",
        "Sixty miles of moorland roads at dawn, breakfast at Widecombe.",
        "We leave in groups of five with a lead and a sweep car. Route cards and walkie-talkies provided.",
        capacity=15,
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
        26,
        time(8, 0),
        9,
        "Castle Combe Circuit",
        "Castle Combe\nChippenham SN14 7EY",
        "Open pit lane in three run groups, with instruction for novices.",
        "Noise limit 105 dB static. Helmets can be borrowed on the day. Bring your own fuel money.",
        capacity=None,
        guests=1,
        colour="#7a1f1f",
        motif="track",
        going=9,
        run_groups=(("Novice", 10), ("Intermediate", 10), ("Advanced", 8)),
    ),
    DemoEvent(
        "winter-showroom-evening",
        "Winter Showroom Evening",
        EventPage.Kind.SHOWROOM_EVENING,
        19,
        time(18, 30),
        2.5,
        "Harbourside MINI showroom",
        "4 Quay Road\nSaltmouth TQ14 9ZX",
        "A first look at the new models, mulled wine and the winter accessories.",
        "Our product genius walks through the new Countryman; the parts team brings winter kit.",
        capacity=60,
        guests=2,
        colour="#1d3557",
        motif="coast",
        going=22,
    ),
    DemoEvent(
        "winter-service-clinic",
        "Winter Service Clinic",
        EventPage.Kind.SERVICE_CLINIC,
        33,
        time(10, 0),
        3,
        "Harbourside MINI workshop",
        "4 Quay Road\nSaltmouth TQ14 9ZX",
        "Free winter check: tyres, battery, wipers and lights, with the technicians who service your car.",
        "Twenty-minute slots; bring your service book. Members get 10% off any work booked on the day.",
        capacity=20,
        guests=0,
        colour="#264653",
        motif="road",
        going=8,
    ),
    DemoEvent(
        "autumn-coast-run",
        "Autumn Coast Run",
        EventPage.Kind.DRIVE,
        -24,
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
    day = timezone.localdate() + timedelta(days=spec.days)
    start = timezone.make_aware(datetime.combine(day, spec.starts))
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
    past = spec.days < 0  # staff-recorded answers are accepted for past events too
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
    for member in rng.sample(members, 3):
        if not Rsvp.objects.filter(event=event, member=member).exists():
            services.rsvp_respond(
                event=event, member=member, answer="maybe", by_staff=True, notify=False
            )
    if past:
        attended = Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED)
        for rsvp in attended:
            if rng.random() < 0.85:
                rsvp.checked_in_at = event.start + timedelta(minutes=rng.randint(-10, 25))
                rsvp.save(update_fields=["checked_in_at"])
