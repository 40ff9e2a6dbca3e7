"""Event operations: RSVP, waitlist and promotion, check-in. Plain functions for views, admin and tasks.

Capacity rule: confirmed places (members plus their guests) never exceed the event's capacity, or
a run group's capacity on a track day. Every write that changes who holds a place first locks the
event's row (``SELECT ... FOR UPDATE``), so concurrent RSVPs are applied one at a time.

Waitlist rule (strict first come, first served): when places free up, the longest-waiting member
is promoted if their whole party (member plus guests) fits. If it does not, nobody behind them is
promoted past them, even a smaller party that would fit: they keep their turn until enough places
are free, or until they leave the waitlist or reduce their guests. Each promotion is recorded
(``Promotion``) with its time. The queue's order has one home, ``waitlist_queue``.

What a new answer gets has one home too, ``places_open``: while anyone waits in a pool, a newcomer
gets no place (they never jump the queue), else the free places. Event pages, listings, the
one-click link page and the answer itself all read it, so the page never promises a place that
an answer would not get.

Answers: every change of an RSVP gets the member one answer mail (events/notifications.py) with
the calendar entry they should now hold: an updated invite, or a cancel when they are not coming.

Keep the lock short: while the event's row is locked, only who holds which place is decided
(the event's columns are read in the locking statement; the places, the waitlist and whether the
member answered before counted in one statement) and the answer mail is queued as what to render,
with its calendar SEQUENCE recorded in order (in a first answer's own row); its templates and
calendar invite are rendered after commit, by the worker that sends it. A first answer runs four
statements under the lock.
"""

from typing import NamedTuple

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.ical import next_invite_sequence
from events.locking import lock_event
from events.models import EventPage, Promotion, Rsvp, RunGroup
from events.notifications import notify_rsvp, rsvp_mail_kind
from events.selectors import member_may_attend, member_rsvp, places_open_of
from paddock.prepared import Prepared


class RsvpError(Exception):
    """An RSVP rule said no; ``code`` is machine-readable, the message is for the member."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def _confirmed(event: EventPage, run_group: RunGroup | None):
    qs = Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED)
    return qs.filter(run_group=run_group) if run_group is not None else qs


def confirmed_places(*, event: EventPage, run_group: RunGroup | None = None) -> int:
    """Places held by confirmed RSVPs: each member plus their guests."""
    qs = _confirmed(event, run_group)
    return qs.count() + (qs.aggregate(guests=Sum("guests"))["guests"] or 0)


def capacity_of(*, event: EventPage, run_group: RunGroup | None = None) -> int | None:
    """The run group's places, or the event's in all (``EventPage.places_in_all``)."""
    if run_group is not None:
        return run_group.capacity
    return event.places_in_all


def free_places(*, event: EventPage, run_group: RunGroup | None = None) -> int | None:
    """Places still free, or None when there is no limit."""
    capacity = capacity_of(event=event, run_group=run_group)
    if capacity is None:
        return None
    return max(capacity - confirmed_places(event=event, run_group=run_group), 0)


def _fits(event, run_group, places: int, *, already_holding: int = 0) -> bool:
    free = free_places(event=event, run_group=run_group)
    return free is None or places <= free + already_holding


# --- The waitlist's order and what a new answer gets ------------------------------------------

WAITLIST_ORDER = ("waitlisted_at", "pk")  # first come, first served; the older row on a tie


def waitlist_queue(*, event, run_group=None):
    """The waitlist of one pool, first in line first: the event's (``run_group`` None) or a run
    group's. Every reader of the waitlist's order goes through here."""
    return Rsvp.objects.filter(
        event=event, state=Rsvp.State.WAITLISTED, run_group=run_group
    ).order_by(*WAITLIST_ORDER)


def _ahead_of(waitlisted_at, pk) -> Q:
    """Rows ahead of (``waitlisted_at``, ``pk``) in WAITLIST_ORDER: values or OuterRefs."""
    return Q(waitlisted_at__lt=waitlisted_at) | Q(waitlisted_at=waitlisted_at, pk__lt=pk)


def waitlist_position(*, rsvp: Rsvp) -> int | None:
    """1 for the head of the RSVP's queue; None when it is not waiting."""
    if rsvp.state != Rsvp.State.WAITLISTED:
        return None
    # waitlist_position_expression on the row, compiled once per process: an answer that joins
    # the waitlist tells the member their place at once.
    rows = _WAITLIST_POSITION.all(rsvp_id=rsvp.pk)
    return rows[0][0] if rows else None


def waitlist_position_after_answer(*, rsvp: Rsvp) -> int | None:
    """``waitlist_position`` of the RSVP ``rsvp_respond`` just returned, as the member is told it:
    counted under the lock when the answer joined the end of its queue, else read."""
    if rsvp.state != Rsvp.State.WAITLISTED:
        return None
    known = getattr(rsvp, "waitlist_position_at_answer", None)
    return known if known is not None else waitlist_position(rsvp=rsvp)


def waitlist_position_expression():
    """``waitlist_position`` as a query expression, to annotate a list of RSVPs (None unless
    waitlisted): the same queue and order, for staff listings and exports."""
    ahead = (
        Rsvp.objects.filter(event=OuterRef("event"), state=Rsvp.State.WAITLISTED)
        .annotate(pool=Coalesce("run_group_id", Value(0)))
        .filter(pool=Coalesce(OuterRef("run_group_id"), Value(0)))
        .filter(_ahead_of(OuterRef("waitlisted_at"), OuterRef("pk")))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(
            state=Rsvp.State.WAITLISTED,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


class PlaceCounts(NamedTuple):
    """One pool's numbers (the run group's, or the event's own): confirmed members and their
    guests, who waits in its queue, and (when asked for a member) the pk of the member's RSVP."""

    members: int
    guests: int
    waiting: int
    mine: int | None = None


def places_open(
    *, event: EventPage, run_group: RunGroup | None = None, counts: PlaceCounts | None = None
) -> int | None:
    """Places a new answer "going" would get now (None: no limit; 0: it joins the waitlist).
    What event pages show as "places left" and what ``rsvp_respond`` applies. ``counts``: the
    pool's numbers, counted under the event's lock with nothing written since."""
    capacity = capacity_of(event=event, run_group=run_group)
    if capacity is None:
        return None
    if counts is None:
        counts = place_counts(event=event, run_group=run_group)
    return places_open_of(
        capacity=capacity, taken=counts.members + counts.guests, waiting=counts.waiting
    )


def place_counts(
    *, event: EventPage, run_group: RunGroup | None = None, member_id: int | None = None
) -> PlaceCounts:
    """The pool's numbers in one statement, compiled once per process (it runs under the event's
    lock on every answer); with ``member_id``, whether that member has answered this event."""
    pool = "event" if run_group is None else "run group"
    slots = {"event_id": event.pk}
    if run_group is not None:
        slots["run_group_id"] = run_group.pk
    if member_id is not None:
        slots["member_id"] = member_id
    rows = _PLACE_COUNTS.all(shape=(pool, member_id is not None), **slots)
    return PlaceCounts(*rows[0]) if rows else PlaceCounts(0, 0, 0)


def _place_counts_query(
    shape: tuple[str, bool], *, event_id: int, run_group_id: int | None = None, member_id=None
):
    """Confirmed members and guests (of the run group, or of the whole event) and who waits in
    the same queue (the run group's, or the event's own: no run group); the member's RSVP."""
    pool, with_member = shape
    confirmed = Q(state=Rsvp.State.CONFIRMED)
    if pool == "run group":
        confirmed &= Q(run_group_id=run_group_id)
        waiting = Q(state=Rsvp.State.WAITLISTED, run_group_id=run_group_id)
    else:
        waiting = Q(state=Rsvp.State.WAITLISTED, run_group__isnull=True)
    numbers = {
        "members": Count("pk", filter=confirmed),
        "guests": Coalesce(Sum("guests", filter=confirmed), 0),
        "waiting": Count("pk", filter=waiting),
    }
    if with_member:
        numbers["mine"] = Max("pk", filter=Q(member_id=member_id))
    return (
        Rsvp.objects.filter(event_id=event_id)
        .order_by()
        .values("event_id")
        .annotate(**numbers)
        .values_list(*numbers)
    )


_PLACE_COUNTS = Prepared(_place_counts_query)
_WAITLIST_POSITION = Prepared(
    lambda shape, *, rsvp_id: (
        Rsvp.objects.filter(pk=rsvp_id)
        .annotate(position=waitlist_position_expression())
        .values_list("position")
    )
)


def _assign_car_number(rsvp: Rsvp) -> None:
    """Track days: each confirmed driver gets the event's next free car number, kept for good."""
    if rsvp.car_number is None and rsvp.event.is_track_day:
        taken = Rsvp.objects.filter(event_id=rsvp.event_id).aggregate(top=Max("car_number"))["top"]
        rsvp.car_number = (taken or 0) + 1


def promote_waitlist(
    *, event: EventPage, run_group: RunGroup | None = None, reason: str, notify: bool = True
) -> list[Rsvp]:
    """Promote waitlisted members in order while the head of the queue fits (see module docstring).

    Call with the event locked (inside ``rsvp_respond``, ``services.staff.event_capacity_change``...).
    """
    promoted = []
    for rsvp in waitlist_queue(event=event, run_group=run_group):
        if not _fits(event, run_group, rsvp.places):
            break
        rsvp.state = Rsvp.State.CONFIRMED
        rsvp.confirmed_at = timezone.now()
        _assign_car_number(rsvp)
        rsvp.save(update_fields=["state", "confirmed_at", "car_number", "updated_at"])
        Promotion.objects.create(rsvp=rsvp, places=rsvp.places, reason=reason[:200])
        if notify:
            notify_rsvp(rsvp=rsvp, kind="promoted")
        promoted.append(rsvp)
    return promoted


def _check_eligibility(*, event: EventPage, member) -> None:
    if not member_may_attend(event=event, member=member):
        raise RsvpError("This event is for invited members only.", code="not_invited")


def _check_open(event: EventPage, now) -> None:
    if event.is_cancelled:
        raise RsvpError("This event has been cancelled.", code="cancelled")
    if now >= event.start:
        raise RsvpError("This event has already started.", code="started")
    if event.rsvp_opens_at and now < event.rsvp_opens_at:
        local = timezone.localtime(event.rsvp_opens_at)
        raise RsvpError(f"RSVPs open on {local:%-d %B at %H:%M}.", code="not_open")
    if event.rsvp_deadline and now > event.rsvp_deadline:
        raise RsvpError("The RSVP deadline has passed.", code="deadline")


def _snapshot(rsvp: Rsvp) -> tuple:
    """What an answer mail reports: a change of any of these is news to the member."""
    return (rsvp.answer, rsvp.state, rsvp.guests, rsvp.car_id, rsvp.run_group_id)


@transaction.atomic
def rsvp_respond(
    *,
    event: EventPage,
    member,
    answer: str,
    guests: int = 0,
    car=None,
    run_group: RunGroup | None = None,
    accept_waiver: bool = False,
    emergency_contact_name: str = "",
    emergency_contact_phone: str = "",
    source: str = Rsvp.Source.WEB,
    by_staff: bool = False,
    notify: bool = True,
    acknowledge: bool = False,
) -> Rsvp:
    """Record a member's answer; a "going" takes places if they fit, or joins the waitlist.

    Every change (answer, place, guests, car, run group) gets the member one answer mail with the
    calendar entry they should now hold: an updated invite, or a cancel for "not going" (none for
    a first "not going": there is nothing to cancel). ``acknowledge`` sends it even when nothing
    changed (a member who wrote a reply gets an answer). A "maybe" keeps its guests and car, so a
    later "yes" keeps them; "not going" clears them. Staff (``by_staff``) may record answers after
    the deadline, e.g. for a phone call. ``notify=False`` (demo data) sends no answer mail.
    """
    if answer not in Rsvp.Answer.values:
        raise RsvpError("Answer going, maybe or not going.", code="answer")
    lock_event(
        event, refresh=("status", "capacity", "start", "rsvp_opens_at", "rsvp_deadline", "sequence")
    )
    now = timezone.now()  # after the lock: the order of places is the order of the lock
    if not by_staff:
        _check_open(event, now)
        _check_eligibility(event=event, member=member)
    elif event.is_cancelled:
        raise RsvpError("This event has been cancelled.", code="cancelled")

    # One statement for the answer's pool and whether the member answered before: a first
    # answer (most of a burst) needs no other read under the lock.
    counts = place_counts(
        event=event, run_group=run_group if event.is_track_day else None, member_id=member.pk
    )
    rsvp = None
    if counts.mine is not None:
        rsvp = member_rsvp(event=event, member=member)
    rsvp = rsvp or Rsvp(event=event, member=member)
    rsvp.event, rsvp.member = event, member
    # A first answer's row is written with the calendar SEQUENCE its answer mail will carry
    # (it always gets one: nothing can dedupe a new row's mail), instead of recording it after.
    sequence_in_row = (
        rsvp.pk is None
        and notify
        and answer != Rsvp.Answer.NOT_GOING
        and event.series_id is None  # a series' date is on the series' own invitation
    )
    if sequence_in_row:
        rsvp.invite_sequence = next_invite_sequence(rsvp)
    before = _snapshot(rsvp) if rsvp.pk else None
    held_invite = rsvp.pk is not None and rsvp.answer != Rsvp.Answer.NOT_GOING
    rsvp, promoted = _rsvp_apply(
        rsvp=rsvp,
        event=event,
        member=member,
        answer=answer,
        guests=guests,
        car=car,
        run_group=run_group,
        accept_waiver=accept_waiver,
        emergency_contact_name=emergency_contact_name,
        emergency_contact_phone=emergency_contact_phone,
        source=source,
        now=now,
        counts=counts if rsvp.pk is None else None,
    )
    if notify and not promoted and (acknowledge or _snapshot(rsvp) != before):
        nothing_to_cancel = rsvp.answer == Rsvp.Answer.NOT_GOING and not held_invite
        notify_rsvp(
            rsvp=rsvp,
            kind=rsvp_mail_kind(rsvp),
            calendar=not nothing_to_cancel,
            sequence_in_row=sequence_in_row,
        )
    return rsvp


def _check_guests(event: EventPage, guests) -> int:
    guests = int(guests or 0)
    if guests < 0 or guests > event.guests_allowed:
        raise RsvpError(
            f"You can bring up to {event.guests_allowed} guest{'s' if event.guests_allowed != 1 else ''}.",
            code="guests",
        )
    return guests


def _rsvp_apply(
    *,
    rsvp: Rsvp,
    event: EventPage,
    member,
    answer: str,
    guests,
    car,
    run_group,
    accept_waiver,
    emergency_contact_name,
    emergency_contact_phone,
    source,
    now,
    counts: PlaceCounts | None = None,
) -> tuple[Rsvp, bool]:
    """Apply the answer with the event locked; returns (rsvp, whether it was promoted from the
    waitlist here, which already told the member). ``counts``: the answer's pool, counted under
    the lock before anything was written (a first answer)."""
    was_state, was_group, was_places = rsvp.state, rsvp.run_group, rsvp.places if rsvp.pk else 0
    if car is not None and car.owner_id != member.pk and answer != Rsvp.Answer.NOT_GOING:
        raise RsvpError("Choose one of the cars in your garage.", code="car")

    if answer != Rsvp.Answer.GOING:
        if answer == Rsvp.Answer.MAYBE:  # kept, so that a later "yes" keeps them
            rsvp.guests, rsvp.car = _check_guests(event, guests), car
            if event.is_track_day and run_group is not None:
                rsvp.run_group = run_group
        else:  # not going: nothing is held or planned any more
            rsvp.guests, rsvp.car = 0, None
        rsvp.answer, rsvp.state, rsvp.waitlisted_at = answer, Rsvp.State.OUT, None
        rsvp.source = source
        rsvp.save()
        if was_state == Rsvp.State.CONFIRMED:
            promote_waitlist(
                event=event, run_group=was_group, reason=f"{member} is no longer coming"
            )
        return rsvp, False

    guests = _check_guests(event, guests)
    if event.is_track_day:
        _check_track_day(
            event=event,
            car=car,
            run_group=run_group,
            accept_waiver=accept_waiver,
            emergency_contact_name=emergency_contact_name,
            emergency_contact_phone=emergency_contact_phone,
        )
        rsvp.emergency_contact_name = emergency_contact_name.strip()
        rsvp.emergency_contact_phone = emergency_contact_phone.strip()
        if (
            rsvp.waiver_version_id is None
            or rsvp.waiver_version_id != event.waiver.current_version.pk
        ):
            rsvp.waiver_version = event.waiver.current_version
            rsvp.waiver_accepted_at = now

    rsvp.answer, rsvp.guests, rsvp.car, rsvp.source = answer, guests, car, source
    rsvp.run_group = run_group if event.is_track_day else None
    same_pool = was_state == Rsvp.State.CONFIRMED and was_group == rsvp.run_group
    holding = was_places if same_pool else 0

    if was_state == Rsvp.State.CONFIRMED and same_pool and rsvp.places <= holding:
        rsvp.save()  # fewer or the same places: stays confirmed, frees the rest
        if rsvp.places < holding:
            promote_waitlist(
                event=event, run_group=rsvp.run_group, reason=f"{member} brings fewer guests"
            )
        return rsvp, False
    if was_state == Rsvp.State.CONFIRMED and same_pool:
        more = places_open(event=event, run_group=rsvp.run_group)  # nobody waiting is passed
        if more is not None and rsvp.places - holding > more:
            raise RsvpError(
                f"Only {more} more place{'s' if more != 1 else ''} left: your RSVP for {holding} stays as it was.",
                code="no_room_for_more",
            )
        rsvp.save()
        return rsvp, False
    # A new "going" (or a move to another run group): a place if it fits, otherwise the waitlist.
    if was_state == Rsvp.State.CONFIRMED:
        rsvp.state = Rsvp.State.OUT
        rsvp.save()
        promote_waitlist(event=event, run_group=was_group, reason=f"{member} changed run group")
    if was_state == Rsvp.State.WAITLISTED and was_group == rsvp.run_group:
        rsvp.state = Rsvp.State.WAITLISTED  # keeps their turn; promotion happens in order
        rsvp.save()
        promoted = promote_waitlist(
            event=event, run_group=rsvp.run_group, reason="waitlist re-checked"
        )
        rsvp.refresh_from_db()
        return rsvp, any(other.pk == rsvp.pk for other in promoted)
    open_places = places_open(event=event, run_group=rsvp.run_group, counts=counts)
    if open_places is None or rsvp.places <= open_places:
        rsvp.state, rsvp.confirmed_at, rsvp.waitlisted_at = Rsvp.State.CONFIRMED, now, None
        _assign_car_number(rsvp)
    else:
        rsvp.state, rsvp.waitlisted_at = Rsvp.State.WAITLISTED, now
    rsvp.save()
    if rsvp.state == Rsvp.State.WAITLISTED and counts is not None:
        # Stamped last under the lock, the answer stands behind everyone counted waiting in its
        # queue (WAITLIST_ORDER): its place is known without another read.
        rsvp.waitlist_position_at_answer = counts.waiting + 1
    return rsvp, False


def _check_track_day(
    *, event, car, run_group, accept_waiver, emergency_contact_name, emergency_contact_phone
):
    if car is None:
        raise RsvpError("Choose the car from your garage that you will drive.", code="car_required")
    if event.run_groups.exists() and (run_group is None or run_group.event_id != event.pk):
        raise RsvpError("Choose a run group.", code="run_group")
    if event.waiver_id and not accept_waiver:
        raise RsvpError("Read and accept the waiver to take part.", code="waiver")
    if not emergency_contact_name.strip() or not emergency_contact_phone.strip():
        raise RsvpError(
            "Give an emergency contact's name and phone number.", code="emergency_contact"
        )


@transaction.atomic
def waitlist_leave(*, event: EventPage, member) -> Rsvp | None:
    """Leave the waitlist with one click (nothing to free: waitlisted members hold no places).
    The member's answer mail cancels the tentative entry in their calendar."""
    lock_event(event, refresh=("sequence",))  # the answer mail's SEQUENCE follows the event's
    rsvp = Rsvp.objects.filter(event=event, member=member, state=Rsvp.State.WAITLISTED).first()
    if rsvp is None:
        return None
    rsvp.state, rsvp.answer, rsvp.waitlisted_at = Rsvp.State.OUT, Rsvp.Answer.NOT_GOING, None
    rsvp.guests, rsvp.car = 0, None
    rsvp.save()
    notify_rsvp(rsvp=rsvp, kind="noted")
    return rsvp
