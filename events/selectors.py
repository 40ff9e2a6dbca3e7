"""Reads for events: who may come, listings, what an event page shows."""

import calendar
from datetime import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from community.contributions import EVENT_SECTIONS, sections
from community.models import ClubPage, Membership
from community.showrooms import public_q, site_of, under_q
from events.models import EventPage, Rsvp


def member_may_attend(*, event: EventPage, member) -> bool:
    if not getattr(member, "is_authenticated", False):
        return False
    if member.is_staff:
        return True
    club_ids = model_ids = ()
    if event.audience == EventPage.Audience.CLUB:
        club_ids = Membership.objects.filter(
            club_id=event.host_club_id, member=member, status=Membership.Status.ACTIVE
        ).values_list("club_id", flat=True)
    elif event.audience == EventPage.Audience.MODELS:
        model_ids = member.cars.values_list("car_model_id", flat=True)
    return event.admits(club_ids=list(club_ids), model_ids=list(model_ids))


def events_visible_to(*, viewer, root=None):
    """Live events the viewer may see: public ones, members' ones when signed in; never a private
    club's events for non-members. ``root``: only the events under this showroom's home page."""
    qs = EventPage.objects.live().filter(public_q(), under_q(root))
    if not getattr(viewer, "is_authenticated", False):
        return qs.filter(audience=EventPage.Audience.PUBLIC).exclude(
            host_club__access=ClubPage.Access.PRIVATE
        )
    if viewer.is_staff:
        return qs
    my_private = Membership.objects.filter(
        member=viewer, status=Membership.Status.ACTIVE, club__access=ClubPage.Access.PRIVATE
    ).values("club_id")
    return qs.filter(
        Q(host_club__isnull=True)
        | ~Q(host_club__access=ClubPage.Access.PRIVATE)
        | Q(host_club_id__in=my_private)
    )


def with_places(qs):
    """Annotate confirmed places (members + guests) and waitlist length in the same query."""
    confirmed = Q(rsvps__state=Rsvp.State.CONFIRMED)
    return qs.annotate(
        confirmed_count=Count("rsvps", filter=confirmed),
        confirmed_guests=Sum("rsvps__guests", filter=confirmed),
        waitlist_count=Count("rsvps", filter=Q(rsvps__state=Rsvp.State.WAITLISTED)),
    )


def _month_range(value: str):
    try:
        start = datetime.strptime(value, "%Y-%m")
    except (TypeError, ValueError):
        return None
    tz = timezone.get_current_timezone()
    last = calendar.monthrange(start.year, start.month)[1]
    return (
        timezone.make_aware(start, tz),
        timezone.make_aware(start.replace(day=last, hour=23, minute=59, second=59), tz),
    )


def event_listing(*, index, viewer, params) -> dict:
    now = timezone.now()
    qs = with_places(
        events_visible_to(viewer=viewer).child_of(index).select_related("cover_image", "host_club")
    )
    kind = params.get("kind", "")
    if kind in EventPage.Kind.values:
        qs = qs.filter(kind=kind)
    club = params.get("club", "")
    if club.isdigit():
        qs = qs.filter(host_club_id=int(club))
    month = _month_range(params.get("month", ""))
    if month:
        qs = qs.filter(start__range=month)
    upcoming = list(qs.filter(end__gte=now).order_by("start"))
    past = list(qs.filter(end__lt=now).order_by("-start")[:12])
    for event in upcoming + past:
        _attach_places(event)
    return {
        "upcoming_events": upcoming,
        "past_events": past,
        "kinds": EventPage.Kind.choices,
        "clubs": ClubPage.objects.live()
        .filter(under_q(_showroom_root(index)))
        .exclude(access=ClubPage.Access.PRIVATE)
        .order_by("title"),
        "filters": {"kind": kind, "club": club, "month": params.get("month", "") if month else ""},
    }


def _showroom_root(page):
    site = site_of(page)
    return site.root_page if site is not None else None


def _attach_places(event: EventPage) -> None:
    taken = (getattr(event, "confirmed_count", 0) or 0) + (
        getattr(event, "confirmed_guests", 0) or 0
    )
    event.places_taken = taken
    event.places_left = None if event.capacity is None else max(event.capacity - taken, 0)


def upcoming_events(*, viewer, limit: int = 3, host_club=None, root=None) -> list[EventPage]:
    """The next events the viewer may see (under the showroom's home page ``root``, if given)."""
    qs = events_visible_to(viewer=viewer, root=root).filter(end__gte=timezone.now())
    if host_club is not None:
        qs = qs.filter(host_club=host_club)
    events = list(with_places(qs).select_related("cover_image").order_by("start")[:limit])
    for event in events:
        _attach_places(event)
    return events


def event_page_context(*, event: EventPage, request) -> dict:
    from events.forms import RsvpForm
    from events.services import free_places, waitlist_position

    viewer = request.user
    my_rsvp = None
    form = None
    if viewer.is_authenticated:
        my_rsvp = (
            Rsvp.objects.filter(event=event, member=viewer)
            .select_related("car__car_model", "run_group")
            .first()
        )
        saved = request.session.pop(f"rsvp-form-{event.pk}", None)
        initial = {}
        if my_rsvp:
            initial = {
                "answer": my_rsvp.answer,
                "guests": my_rsvp.guests,
                "car": my_rsvp.car_id,
                "run_group": my_rsvp.run_group_id,
                "emergency_contact_name": my_rsvp.emergency_contact_name,
                "emergency_contact_phone": my_rsvp.emergency_contact_phone,
            }
        form = (
            RsvpForm(saved, event=event, member=viewer)
            if saved
            else RsvpForm(initial=initial, event=event, member=viewer)
        )
    going = list(
        Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED)
        .select_related("member")
        .order_by("confirmed_at", "pk")
    )
    shown = [r.member for r in going if r.member.profile_visible_to(viewer)]
    groups = []
    if event.is_track_day:
        for group in event.run_groups.all():
            groups.append({"group": group, "free": free_places(event=event, run_group=group)})
    return {
        **sections(EVENT_SECTIONS, viewer=viewer, event=event),  # accessories on display
        "my_rsvp": my_rsvp,
        "waitlist_position": waitlist_position(rsvp=my_rsvp) if my_rsvp else None,
        "rsvp_form": form,
        "may_attend": member_may_attend(event=event, member=viewer),
        "rsvp_open": event.rsvp_open(),
        "places_left": free_places(event=event),
        "going_count": sum(r.places for r in going),
        "going_members": shown[:30],
        "going_hidden": len(going) - len(shown[:30]),
        "run_group_places": groups,
        "waiver_version": event.waiver.current_version if event.waiver_id else None,
        "now": timezone.now(),
    }


def member_events(*, member) -> dict:
    """The member's RSVPs: upcoming (going, waitlisted, maybe) and past attended."""
    rsvps = (
        Rsvp.objects.filter(member=member, event__live=True)
        .exclude(state=Rsvp.State.OUT, answer=Rsvp.Answer.NOT_GOING)
        .select_related("event", "event__cover_image", "run_group")
        .order_by("event__start")
    )
    now = timezone.now()
    upcoming = [r for r in rsvps if r.event.end >= now]
    past = [r for r in reversed(rsvps) if r.event.end < now and r.state == Rsvp.State.CONFIRMED]
    return {"upcoming_rsvps": upcoming, "past_rsvps": past[:20]}
