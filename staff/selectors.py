"""Reads for staff: who is in the service lounge, and everything about one owner (the owner card)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from community.models import Appointment, Car, Comment, Member, Membership, OutboundText, Post
from community.showrooms import dealership_name, default_site
from community.texts.conversations import KIND as CONVERSATION_KIND
from community.texts.selectors import (
    conversation_text_blocker,
    keyed_texts,
    member_conversation,
    text_blockers,
)
from events.models import EventPage, Rsvp
from staff import accessories

CAR_AGE_YEARS = 4  # "over four years old": when a finance agreement usually ends


def car_age_limit_year(today: date | None = None) -> int:
    """Cars of this model year or older are over four years old."""
    return (today or timezone.localdate()).year - CAR_AGE_YEARS - 1


def upcoming_events() -> list[EventPage]:
    """Live events still to come that members can answer, soonest first."""
    now = timezone.now()
    events = (
        EventPage.objects.live()
        .public()
        .filter(start__gt=now)
        .exclude(status=EventPage.Status.CANCELLED)
        .exclude(rsvp_deadline__lt=now)
        .select_related("host_club")
        .prefetch_related("audience_models")
        .order_by("start")
    )
    return [e for e in events if e.rsvp_open(now)]


def unanswered_events(members: list[Member]) -> dict[int, list[EventPage]]:
    """For each member, the upcoming events open to them that they have not answered.

    Expects ``active_memberships`` and ``cars`` prefetched (see ``owners_queryset``)."""
    events = upcoming_events()
    if not events or not members:
        return {m.pk: [] for m in members}
    answered = set(
        Rsvp.objects.filter(event__in=events, member__in=members).values_list(
            "member_id", "event_id"
        )
    )
    result = {}
    for member in members:
        club_ids = {m.club_id for m in member.active_memberships}
        model_ids = {car.car_model_id for car in member.cars.all()}
        result[member.pk] = [
            e
            for e in events
            if (member.pk, e.pk) not in answered
            and e.admits(club_ids=club_ids, model_ids=model_ids)
        ]
    return result


def owners_queryset():
    """Members with what the lounge screen and the digests show of them, in a fixed number of
    queries: cars and their models, active club memberships, the advisor."""
    return Member.objects.select_related("advisor").prefetch_related(
        Prefetch("cars", queryset=Car.objects.select_related("car_model").order_by("-year", "pk")),
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(status=Membership.Status.ACTIVE)
            .select_related("club")
            .order_by("club__title"),
            to_attr="active_memberships",
        ),
    )


@dataclass
class Visit:
    """A matched owner in the lounge: their appointment(s) and what staff should know."""

    member: Member
    appointments: list[Appointment]
    events: list[EventPage] = field(default_factory=list)
    accessories: list = field(default_factory=list)
    text_blocker: str = ""  # why the owner cannot be texted, "" when they can
    ready_text: OutboundText | None = None  # the "your car is ready" text, once sent
    ready_body: str = ""

    @property
    def first_time(self):
        return self.appointments[0].time


def lounge_day(*, day: date) -> dict:
    """Who is in the lounge on ``day``: matched owners (one entry each, by their first appointment)
    with cards, unanswered events and fitting accessories; and the customers who are not members."""
    appointments = list(
        Appointment.objects.filter(day=day).select_related("car__car_model").order_by("time", "pk")
    )
    member_ids = list(dict.fromkeys(a.member_id for a in appointments if a.member_id))
    members = {m.pk: m for m in owners_queryset().filter(pk__in=member_ids)}
    events = unanswered_events(list(members.values()))
    fitting = accessories.fitting_by_member(list(members.values()))
    visits = []
    for member_id in member_ids:
        member = members[member_id]
        visits.append(
            Visit(
                member=member,
                appointments=[a for a in appointments if a.member_id == member_id],
                events=events.get(member_id, []),
                accessories=fitting.get(member_id, []),
            )
        )
    return {
        "day": day,
        "visits": visits,
        "not_members": [a for a in appointments if a.member_id is None],
        "appointment_count": len(appointments),
        "car_age_limit_year": car_age_limit_year(day),
    }


def ready_text_key(day: date) -> str:
    """The outbox key of the day's "your car is ready" text: one per owner and day."""
    return f"lounge-ready:{day.isoformat()}"


def ready_text_body(*, appointments: list[Appointment], member: Member) -> str:
    """ "Paddock Motors: your MINI Cooper S (KB21 XYZ) is ready for collection." The car in the
    workshop (the appointment's), else the owner's newest car, else the appointment's plate."""
    car = next((a.car for a in appointments if a.car), None)
    if car is None:
        car = next(iter(member.cars.all()), None)
    plate = car.registration if car else next((a.plate for a in appointments if a.plate), "")
    what = str(car.car_model) if car else "car"
    if plate:
        what += f" ({plate})"
    return f"{dealership_name(default_site())}: your {what} is ready for collection."


def attach_ready_texts(*, visits: list[Visit], day: date) -> None:
    """For the lounge screen: whether each owner can be texted, and the day's "ready" text sent
    to them, in two queries."""
    members = [visit.member for visit in visits]
    blockers = text_blockers(members=members)
    sent = keyed_texts(
        kind=CONVERSATION_KIND, key=ready_text_key(day), member_ids=[m.pk for m in members]
    )
    for visit in visits:
        visit.text_blocker = blockers[visit.member.pk]
        visit.ready_text = sent.get(visit.member.pk)
        visit.ready_body = ready_text_body(appointments=visit.appointments, member=visit.member)


def lounge_by_advisor(*, day: date) -> list[tuple[Member, list[Visit]]]:
    """The day's matched owners grouped by their advisor (owners without one are left out)."""
    grouped: dict[int, tuple[Member, list[Visit]]] = {}
    for visit in lounge_day(day=day)["visits"]:
        advisor = visit.member.advisor
        if advisor is None or not advisor.is_active or not advisor.is_staff:
            continue
        grouped.setdefault(advisor.pk, (advisor, []))[1].append(visit)
    return sorted(grouped.values(), key=lambda item: item[0].display_name)


# --- the owner card -----------------------------------------------------------------------------


@dataclass
class Moment:
    when: datetime
    kind: str  # joined, car, club, rsvp, checkin, post, comment, lead, lounge
    text: str
    url: str = ""


def _moment_at(day: date, at=None) -> datetime:
    naive = datetime.combine(day, at or datetime.min.time())
    return timezone.make_aware(naive)


def owner_card(*, member: Member) -> dict:
    """Everything the dealership knows about one owner, and a timeline of it, newest first."""
    member = owners_queryset().get(pk=member.pk)
    cars = list(member.cars.all())
    memberships = list(
        Membership.objects.filter(member=member).select_related("club").order_by("-created_at")
    )
    rsvps = list(
        Rsvp.objects.filter(member=member)
        .select_related("event", "car__car_model")
        .order_by("-event__start")
    )
    posts = list(Post.objects.filter(author=member).select_related("club").order_by("-created_at"))
    comments = list(
        Comment.objects.filter(author=member).select_related("post").order_by("-created_at")
    )
    leads = accessories.leads_of(member)
    visits = list(
        Appointment.objects.filter(member=member).select_related("car__car_model").order_by("-day")
    )
    timeline = [Moment(member.date_joined, "joined", "Joined the community")]
    for car in cars:
        timeline.append(Moment(car.created_at, "car", f"Added {car} to the garage"))
    for membership in memberships:
        timeline.append(
            Moment(
                membership.created_at,
                "club",
                f"{membership.get_status_display()}: {membership.club.title}",
            )
        )
    for rsvp in rsvps:
        timeline.append(
            Moment(
                rsvp.created_at,
                "rsvp",
                f"Answered {rsvp.get_answer_display().lower()} to {rsvp.event.title}"
                f" ({rsvp.get_source_display().split(' (')[0].lower()})",
            )
        )
        if rsvp.checked_in_at:
            timeline.append(
                Moment(rsvp.checked_in_at, "checkin", f"Checked in at {rsvp.event.title}")
            )
    for post in posts:
        timeline.append(
            Moment(post.created_at, "post", f"Posted “{post.title}”", post.get_absolute_url())
        )
    for comment in comments:
        timeline.append(
            Moment(
                comment.created_at,
                "comment",
                f"Commented on “{comment.post.title}”",
                comment.post.get_absolute_url(),
            )
        )
    for lead in leads:
        timeline.append(Moment(lead.created_at, "lead", accessories.lead_summary(lead), lead.url))
    for visit in visits:
        timeline.append(
            Moment(
                _moment_at(visit.day, visit.time),
                "lounge",
                f"Service appointment: {visit.work or 'work not given'}",
            )
        )
    timeline.sort(key=lambda m: m.when, reverse=True)
    attended = [r for r in rsvps if r.checked_in_at]
    return {
        "member": member,
        "cars": cars,
        "car_age_limit_year": car_age_limit_year(),
        "memberships": memberships,
        "rsvps": rsvps,
        "attended": attended,
        "unanswered_events": unanswered_events([member])[member.pk],
        "posts": posts,
        "comments": comments,
        "leads": leads,
        "lead_features": accessories.available(),
        "visits": visits,
        "timeline": timeline,
        "verified_email": member.emailaddress_set.filter(verified=True).exists(),
        "conversation": member_conversation(member=member),
        "text_blocker": conversation_text_blocker(member=member),
        "now": timezone.now(),
    }
