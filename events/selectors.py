"""Reads for events: who may come, listings, places left.

The event pages call these from ``get_context`` and ``serve``, so the models are read through their
module (``models.EventPage``): this module is imported while ``events.models`` is loading.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, Sum
from django.utils import timezone

from community.models import Car, ClubPage, Member, Membership, Post, PostPhoto
from community.selectors import (
    private_club_ids_visible_to,
    private_club_page_ids,
    visible_posts,
)
from community.showrooms import public_q, restricted_paths, site_of, under_q
from events import models
from events.gpx import gpx_write
from paddock.prepared import Prepared


def member_may_attend(*, event: models.EventPage, member) -> bool:
    if not getattr(member, "is_authenticated", False):
        return False
    if member.is_staff:
        return True
    club_ids = model_ids = ()
    if event.audience == models.EventPage.Audience.CLUB:
        club_ids = Membership.objects.filter(
            club_id=event.host_club_id, member=member, status=Membership.Status.ACTIVE
        ).values_list("club_id", flat=True)
    elif event.audience == models.EventPage.Audience.MODELS:
        model_ids = member.cars.values_list("car_model_id", flat=True)
    return event.admits(club_ids=list(club_ids), model_ids=list(model_ids))


# Who may see which live events (outside every private section): the rule's one home. For each
# kind of viewer, the audiences whose events they see (None: every audience) and which private
# clubs' events: "none", "theirs" (the private clubs they are active in) or "all". Both forms are
# built from it: ``events_visible_to`` (a queryset, for listings and compiled queries) and
# ``event_visible_to`` (one event in hand, no query: its page). tests/events/test_visibility_rule.py
# checks they agree on every kind of viewer, audience and host club.
EVENT_VISIBILITY = {
    "visitor": (frozenset({"public"}), "none"),  # EventPage.Audience.PUBLIC (models still loading)
    "member": (None, "theirs"),
    "staff": (None, "all"),
}


def _viewer_kind(viewer) -> str:
    if not getattr(viewer, "is_authenticated", False):
        return "visitor"
    return "staff" if viewer.is_staff else "member"


def events_visible_to(*, viewer, root=None):
    """Live events the viewer may see (``EVENT_VISIBILITY``): public ones, members' ones when
    signed in; never a private club's events for non-members. ``root``: only the events under this
    showroom's home page."""
    qs = models.EventPage.objects.live().filter(public_q(), under_q(root))
    audiences, private = EVENT_VISIBILITY[_viewer_kind(viewer)]
    if audiences is not None:
        qs = qs.filter(audience__in=sorted(audiences))
    if private == "none":
        qs = qs.exclude(host_club__access=ClubPage.Access.PRIVATE)
    elif private == "theirs":
        theirs = Membership.objects.filter(
            member=viewer, status=Membership.Status.ACTIVE, club__access=ClubPage.Access.PRIVATE
        ).values("club_id")
        qs = qs.filter(
            Q(host_club__isnull=True)
            | ~Q(host_club__access=ClubPage.Access.PRIVATE)
            | Q(host_club_id__in=theirs)
        )
    return qs


def event_visible_to(*, event: models.EventPage, viewer) -> bool:
    """Whether ``viewer`` may see ``event`` (``EVENT_VISIBILITY``, as ``events_visible_to``), from
    the event in hand: the private sections and private clubs are kept per cache generation, the
    viewer's own private clubs read once per request, so it runs no query for most events."""
    if not event.live or any(event.path.startswith(path) for path in restricted_paths()):
        return False
    audiences, private = EVENT_VISIBILITY[_viewer_kind(viewer)]
    if audiences is not None and event.audience not in audiences:
        return False
    if event.host_club_id is None or event.host_club_id not in private_club_page_ids():
        return True
    if private == "theirs":
        return event.host_club_id in private_club_ids_visible_to(viewer)
    return private == "all"


def _visible_event_query(shape: str, *, event_id: int, viewer_id: int | None = None):
    viewer = {
        "visitor": lambda: AnonymousUser(),
        "staff": lambda: Member(is_staff=True),
        "member": lambda: Member(pk=viewer_id),
    }[shape]()
    return events_visible_to(viewer=viewer).filter(pk=event_id).order_by()[:1]


_VISIBLE_EVENT = Prepared(_visible_event_query)


def visible_event(*, viewer, event_id: int) -> models.EventPage | None:
    """The live event ``event_id`` if ``viewer`` may see it (``events_visible_to``), else None.
    Compiled once per process: it runs on every answer and form an event's page posts."""
    if not getattr(viewer, "is_authenticated", False):
        return _VISIBLE_EVENT.first(shape="visitor", event_id=event_id)
    if viewer.is_staff:
        return _VISIBLE_EVENT.first(shape="staff", event_id=event_id)
    return _VISIBLE_EVENT.first(shape="member", event_id=event_id, viewer_id=viewer.pk)


_MEMBER_RSVP = Prepared(
    lambda shape, *, event_id, member_id: models.Rsvp.objects.filter(
        event_id=event_id, member_id=member_id
    ).order_by("pk")[:1]
)


def member_rsvp(*, event: models.EventPage, member, cars=()) -> models.Rsvp | None:
    """``member``'s RSVP for ``event`` (None for a visitor or without one), with the event and,
    when it names one of ``cars`` (the member's, with their models), that car: compiled once per
    process (every event page a member opens)."""
    if not getattr(member, "is_authenticated", False):
        return None
    rsvp = _MEMBER_RSVP.first(event_id=event.pk, member_id=member.pk)
    if rsvp is not None:
        rsvp.event = event  # the page itself: its ticket needs no second read of it
        car = next((car for car in cars if car.pk == rsvp.car_id), None)
        if car is not None:
            rsvp.car = car
    return rsvp


def with_places(qs):
    """Annotate confirmed places (members + guests), waitlist length, who waits in the event's own
    queue (``waitlist_queue`` with no run group) and the run groups' places (for
    ``EventPage.places_in_all``) in the same query, for ``attach_places``."""
    confirmed = Q(rsvps__state=models.Rsvp.State.CONFIRMED)
    waiting = Q(rsvps__state=models.Rsvp.State.WAITLISTED)
    return models.with_run_group_places(qs).annotate(
        confirmed_count=Count("rsvps", filter=confirmed),
        confirmed_guests=Sum("rsvps__guests", filter=confirmed),
        waitlist_count=Count("rsvps", filter=waiting),
        event_queue_count=Count("rsvps", filter=waiting & Q(rsvps__run_group__isnull=True)),
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


def _month_choices(events, selected: str) -> list[tuple[str, str]]:
    """("2026-12", "December 2026") for every month that has an event, plus the one chosen."""
    months = {
        moment.strftime("%Y-%m"): moment
        for moment in events.datetimes("start", "month", tzinfo=timezone.get_current_timezone())
    }
    if selected and selected not in months:
        months[selected] = datetime.strptime(selected, "%Y-%m")
    return [(value, months[value].strftime("%B %Y")) for value in sorted(months)]


EVENT_LISTING_KEYS = ("upcoming_events", "past_events", "kinds", "clubs", "months", "filters")


def event_listing(*, index, viewer, params) -> dict:
    now = timezone.now()
    visible = events_visible_to(viewer=viewer).child_of(index)
    qs = with_places(visible.select_related("cover_image", "host_club"))
    kind = params.get("kind", "")
    if kind in models.EventPage.Kind.values:
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
        attach_places(event)
    return {
        "upcoming_events": upcoming,
        "past_events": past,
        "kinds": models.EventPage.Kind.choices,
        "clubs": ClubPage.objects.live()
        .filter(under_q(_showroom_root(index)))
        .exclude(access=ClubPage.Access.PRIVATE)
        .order_by("title"),
        "months": _month_choices(visible, params.get("month", "") if month else ""),
        "filters": {"kind": kind, "club": club, "month": params.get("month", "") if month else ""},
    }


def _showroom_root(page):
    site = site_of(page)
    return site.root_page if site is not None else None


def places_open_of(*, capacity: int | None, taken: int, waiting: int) -> int | None:
    """The rule, on numbers already counted: places a new "going" can take now (None: no limit).
    Anyone waiting keeps their turn, so while the queue is not empty there are none, even when
    some are free (the head's party does not fit them yet)."""
    if capacity is None:
        return None
    if waiting:
        return 0
    return max(capacity - taken, 0)


def attach_places(event: models.EventPage) -> None:
    """``places_taken`` and ``places_left`` on an event annotated by ``with_places``: places left
    are what a new answer would get (``places_open_of``, the rule the answer applies)."""
    taken = (getattr(event, "confirmed_count", 0) or 0) + (
        getattr(event, "confirmed_guests", 0) or 0
    )
    event.places_taken = taken
    event.places_left = places_open_of(
        capacity=event.places_in_all,
        taken=taken,
        waiting=getattr(event, "event_queue_count", 0) or 0,
    )


def upcoming_events(*, viewer, limit: int = 3, host_club=None, root=None) -> list[models.EventPage]:
    """The next events the viewer may see (under the showroom's home page ``root``, if given)."""
    qs = events_visible_to(viewer=viewer, root=root).filter(end__gte=timezone.now())
    if host_club is not None:
        qs = qs.filter(host_club=host_club)
    events = list(with_places(qs).select_related("cover_image").order_by("start")[:limit])
    for event in events:
        attach_places(event)
    return events


def member_events(*, member) -> dict:
    """The member's RSVPs: upcoming (going, waitlisted, maybe) and past attended."""
    rsvps = (
        models.Rsvp.objects.filter(member=member, event__live=True)
        .exclude(state=models.Rsvp.State.OUT, answer=models.Rsvp.Answer.NOT_GOING)
        .select_related("event", "event__cover_image", "run_group")
        .order_by("event__start")
    )
    now = timezone.now()
    upcoming = [r for r in rsvps if r.event.end >= now]
    past = [
        r for r in reversed(rsvps) if r.event.end < now and r.state == models.Rsvp.State.CONFIRMED
    ]
    return {"upcoming_rsvps": upcoming, "past_rsvps": past[:20]}


# --- Replies by text ----------------------------------------------------------------------------


def open_invitations(*, member) -> list[models.EventPage]:
    """Upcoming live events ``member`` was invited to and can still answer, soonest first: what a
    texted "yes" may apply to (events/text_replies.py)."""
    now = timezone.now()
    events = (
        models.EventPage.objects.live()
        .filter(invitations__member=member, start__gt=now)
        .exclude(status=models.EventPage.Status.CANCELLED)
        .order_by("start", "pk")
        .distinct()
    )
    return [event for event in events if event.rsvp_open(now)]


def pending_question(*, member) -> models.InboundText | None:
    """The "Which one?" question last texted to ``member``, while it may still be answered."""
    return (
        models.InboundText.objects.filter(
            member=member,
            outcome=models.InboundText.Outcome.ASKED,
            choices_until__gt=timezone.now(),
        )
        .order_by("-received_at", "-pk")
        .first()
    )


# --- Drives' routes ----------------------------------------------------------------------------


def route_stops(*, event: models.EventPage) -> list[dict]:
    """The event's route's stops, numbered from 1, each with its time on the day (or None)."""
    if not event.drive_route_id:
        return []
    start = timezone.localtime(event.start)
    return [
        {
            "number": number,
            "stop": stop,
            "kind": stop.get_kind_display(),
            "time": start + timedelta(minutes=stop.minutes_after_start)
            if stop.minutes_after_start is not None
            else None,
        }
        for number, stop in enumerate(event.drive_route.stops.all(), start=1)
    ]


def route_stop_lines(*, event: models.EventPage) -> list[str]:
    """The stops as mail lines: "1. 09:00  Meeting point: Tavistock Pannier Market"."""
    lines = []
    for item in route_stops(event=event):
        when = f"{item['time']:%H:%M}  " if item["time"] else ""
        lines.append(f"{item['number']}. {when}{item['kind']}: {item['stop'].name}")
    return lines


def route_summary(*, event: models.EventPage) -> str:
    """ "Dartmoor loop, 35 miles (56 km), about 1 h 07 min of driving", for mail."""
    if not event.drive_route_id:
        return ""
    route = event.drive_route
    driving = f", {route.duration_text} of driving" if route.duration_text else ""
    return f"{route.name}, {route.distance_text}{driving}"


def meeting_point_links(*, stop) -> dict:
    """Links that open the meeting point in Apple Maps and Google Maps."""
    where = f"{stop.lat:.6f},{stop.lon:.6f}"
    return {
        "apple": "https://maps.apple.com/?" + urlencode({"q": stop.name, "ll": where}),
        "google": "https://www.google.com/maps/search/?" + urlencode({"api": "1", "query": where}),
    }


def route_plan(*, event: models.EventPage) -> dict | None:
    """What a drive's page shows of its route: the map's data, the numbered stops with their
    times, distance and driving time, and the meeting point's map links. None without a route."""
    route = event.drive_route if event.drive_route_id else None
    if route is None:
        return None
    stops = route_stops(event=event)
    meeting = next(
        (s for s in stops if s["stop"].kind == models.RouteStop.Kind.MEETING_POINT),
        stops[0] if stops else None,
    )
    return {
        "route": route,
        "stops": stops,
        "meeting": meeting,
        "meeting_links": meeting_point_links(stop=meeting["stop"]) if meeting else None,
        "map": {
            "points": route.points or [[s["stop"].lat, s["stop"].lon] for s in stops],
            "stops": [
                {
                    "number": s["number"],
                    "name": s["stop"].name,
                    "kind": s["kind"],
                    "lat": s["stop"].lat,
                    "lon": s["stop"].lon,
                    "time": f"{s['time']:%H:%M}" if s["time"] else "",
                }
                for s in stops
            ],
            "tiles": settings.PADDOCK_MAP_TILES,
            "attribution": settings.PADDOCK_MAP_ATTRIBUTION,
        },
    }


def route_gpx(*, event: models.EventPage) -> str:
    """The event's route as a GPX document: its track and its stops as waypoints."""
    route = event.drive_route
    return gpx_write(name=route.name, points=route.points, stops=list(route.stops.all()))


def in_series(*, event: models.EventPage, member) -> bool:
    """Whether ``member`` said "count me in" for every date of ``event``'s series."""
    if event.series_id is None or not getattr(member, "is_authenticated", False):
        return False
    return models.SeriesMember.objects.filter(
        series_id=event.series_id, member=member, left_at__isnull=True
    ).exists()


def series_invitation_holds(*, event: models.EventPage, member) -> bool:
    """Whether ``member``'s calendar holds ``event`` through its series' invitation (they joined
    the series at some time: that invitation is never withdrawn), so mail about this date changes
    that date of the series instead of sending an invitation of its own."""
    if event.series_id is None:
        return False
    return models.SeriesMember.objects.filter(series_id=event.series_id, member=member).exists()


# --- The event's album (the photo drop) ------------------------------------------------------


def checked_in_rsvps(*, event: models.EventPage):
    """The RSVPs of the members ticked in at the door: who gets the photo drop."""
    return models.Rsvp.objects.filter(event=event, checked_in_at__isnull=False)


def was_checked_in(*, event: models.EventPage, member) -> bool:
    if not getattr(member, "is_authenticated", False):
        return False
    return checked_in_rsvps(event=event).filter(member=member).exists()


def may_add_event_photos(*, event: models.EventPage, member) -> bool:
    """Members checked in at the event add photos to its album, and staff; once it has begun."""
    if not getattr(member, "is_authenticated", False) or event.is_cancelled:
        return False
    if event.start > timezone.now():
        return False
    return member.is_staff or was_checked_in(event=event, member=member)


def taggable_cars(*, event: models.EventPage):
    """The cars photos of the event may be tagged with: those checked in at the door (the car
    each checked-in member came in; all of a member's cars when their RSVP names none)."""
    rsvps = checked_in_rsvps(event=event)
    came_in = rsvps.filter(car__isnull=False).values("car_id")
    without_car = rsvps.filter(car__isnull=True).values("member_id")
    return (
        Car.objects.filter(Q(pk__in=came_in) | Q(owner_id__in=without_car))
        .select_related("car_model", "owner")
        .order_by("owner__display_name", "pk")
    )


def event_album_posts(*, event: models.EventPage, viewer):
    """The event's photo posts the viewer may see, published ones only (a post waiting for a
    moderator is in the album once approved), newest first."""
    return (
        visible_posts(viewer=viewer, include_own_pending=False)
        .filter(event_page_id=event.pk, kind=Post.Kind.ALBUM)
        .select_related("author")
        .prefetch_related("photos", "cars__car_model")
    )


def event_album_photos(*, event: models.EventPage, viewer, limit: int | None = None) -> list:
    """The approved photos of the event's album, each with its post (author, tagged cars)."""
    photos = (
        PostPhoto.objects.filter(
            post__in=event_album_posts(event=event, viewer=viewer).values("pk")
        )
        .select_related("post__author")
        .prefetch_related("post__cars__car_model")
        .order_by("-post__created_at", "post_id", "position", "pk")
    )
    return list(photos[:limit] if limit else photos)


def event_album_share_photos(*, event: models.EventPage, limit: int = 6) -> list:
    """Up to ``limit`` photos for the album's share image: those any visitor may see."""
    return event_album_photos(event=event, viewer=AnonymousUser(), limit=limit)
