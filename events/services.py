"""Event operations: RSVP, waitlist and promotion, check-in. Plain functions for views, admin and tasks.

Capacity rule: confirmed places (members plus their guests) never exceed the event's capacity, or
a run group's capacity on a track day. Every write that changes who holds a place first locks the
event's row (``SELECT ... FOR UPDATE``), so concurrent RSVPs are applied one at a time.

Waitlist rule (strict first come, first served): when places free up, the longest-waiting member
is promoted if their whole party (member plus guests) fits. If it does not, nobody behind them is
promoted past them, even a smaller party that would fit: they keep their turn until enough places
are free, or until they leave the waitlist or reduce their guests. Each promotion is recorded
(``Promotion``) with its time.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from events.models import EventPage, Promotion, Rsvp, RunGroup
from events.notifications import notify_rsvp


class RsvpError(Exception):
    """An RSVP rule said no; ``code`` is machine-readable, the message is for the member."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def lock_event(event: EventPage) -> None:
    """Serialise every change of places on this event (a row lock until the transaction ends).

    ``PADDOCK_RSVP_LOCKING = False`` exists only so a test can show that, without the lock,
    concurrent RSVPs overbook: never switch it off anywhere else.
    """
    if getattr(settings, "PADDOCK_RSVP_LOCKING", True):
        EventPage.objects.select_for_update(of=("self",)).only("pk").get(pk=event.pk)


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


def _assign_car_number(rsvp: Rsvp) -> None:
    """Track days: each confirmed driver gets the event's next free car number, kept for good."""
    if rsvp.car_number is None and rsvp.event.is_track_day:
        taken = Rsvp.objects.filter(event_id=rsvp.event_id).aggregate(top=Max("car_number"))["top"]
        rsvp.car_number = (taken or 0) + 1


def promote_waitlist(
    *, event: EventPage, run_group: RunGroup | None = None, reason: str, notify: bool = True
) -> list[Rsvp]:
    """Promote waitlisted members in order while the head of the queue fits (see module docstring).

    Call with the event locked (inside ``rsvp_respond``, ``capacity_change``...).
    """
    promoted = []
    waiting = Rsvp.objects.filter(event=event, state=Rsvp.State.WAITLISTED)
    if run_group is not None:
        waiting = waiting.filter(run_group=run_group)
    for rsvp in waiting.order_by("waitlisted_at", "pk"):
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
    from events.selectors import member_may_attend

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
) -> Rsvp:
    """Record a member's answer; a "going" takes places if they fit, or joins the waitlist.

    Staff (``by_staff``) may record answers after the deadline, e.g. for a phone call.
    """
    if answer not in Rsvp.Answer.values:
        raise RsvpError("Answer going, maybe or not going.", code="answer")
    lock_event(event)
    now = timezone.now()  # after the lock: the order of places is the order of the lock
    event.refresh_from_db(fields=["status", "capacity", "start", "rsvp_opens_at", "rsvp_deadline"])
    if not by_staff:
        _check_open(event, now)
        _check_eligibility(event=event, member=member)
    elif event.is_cancelled:
        raise RsvpError("This event has been cancelled.", code="cancelled")

    rsvp = Rsvp.objects.filter(event=event, member=member).first() or Rsvp(
        event=event, member=member
    )
    was_state, was_group, was_places = rsvp.state, rsvp.run_group, rsvp.places if rsvp.pk else 0

    if answer != Rsvp.Answer.GOING:
        rsvp.answer, rsvp.state, rsvp.waitlisted_at = answer, Rsvp.State.OUT, None
        rsvp.source = source
        rsvp.save()
        if was_state == Rsvp.State.CONFIRMED:
            promote_waitlist(
                event=event, run_group=was_group, reason=f"{member} is no longer coming"
            )
        return rsvp

    guests = int(guests or 0)
    if guests < 0 or guests > event.guests_allowed:
        raise RsvpError(
            f"You can bring up to {event.guests_allowed} guest{'s' if event.guests_allowed != 1 else ''}.",
            code="guests",
        )
    if car is not None and car.owner_id != member.pk:
        raise RsvpError("Choose one of the cars in your garage.", code="car")
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
        return rsvp
    if was_state == Rsvp.State.CONFIRMED and same_pool:
        if not _fits(event, rsvp.run_group, rsvp.places, already_holding=holding):
            free = free_places(event=event, run_group=rsvp.run_group) or 0
            raise RsvpError(
                f"Only {free} more place{'s' if free != 1 else ''} left: your RSVP for {holding} stays as it was.",
                code="no_room_for_more",
            )
        rsvp.save()
        return rsvp
    # A new "going" (or a move to another run group): a place if it fits, otherwise the waitlist.
    if was_state == Rsvp.State.CONFIRMED:
        rsvp.state = Rsvp.State.OUT
        rsvp.save()
        promote_waitlist(event=event, run_group=was_group, reason=f"{member} changed run group")
    if was_state == Rsvp.State.WAITLISTED and was_group == rsvp.run_group:
        rsvp.state = Rsvp.State.WAITLISTED  # keeps their turn; promotion happens in order
        rsvp.save()
        promote_waitlist(event=event, run_group=rsvp.run_group, reason="waitlist re-checked")
        rsvp.refresh_from_db()
        return rsvp
    if _fits(event, rsvp.run_group, rsvp.places) and not _waitlist_ahead(event, rsvp.run_group):
        rsvp.state, rsvp.confirmed_at, rsvp.waitlisted_at = Rsvp.State.CONFIRMED, now, None
        _assign_car_number(rsvp)
    else:
        rsvp.state, rsvp.waitlisted_at = Rsvp.State.WAITLISTED, now
    rsvp.save()
    if notify:
        notify_rsvp(
            rsvp=rsvp, kind="confirmed" if rsvp.state == Rsvp.State.CONFIRMED else "waitlisted"
        )
    return rsvp


def _waitlist_ahead(event: EventPage, run_group: RunGroup | None) -> bool:
    """Someone already waiting keeps their turn: a newcomer never jumps the queue."""
    waiting = Rsvp.objects.filter(event=event, state=Rsvp.State.WAITLISTED)
    if run_group is not None:
        waiting = waiting.filter(run_group=run_group)
    return waiting.exists()


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
def waitlist_leave(*, event: EventPage, member) -> None:
    """Leave the waitlist with one click (nothing to free: waitlisted members hold no places)."""
    lock_event(event)
    Rsvp.objects.filter(event=event, member=member, state=Rsvp.State.WAITLISTED).update(
        state=Rsvp.State.OUT,
        answer=Rsvp.Answer.NOT_GOING,
        waitlisted_at=None,
        updated_at=timezone.now(),
    )


@transaction.atomic
def capacity_change(
    *, event: EventPage, capacity: int | None, run_group: RunGroup | None = None
) -> list[Rsvp]:
    """Change the number of places; a larger capacity promotes from the waitlist in order.

    Staff screens call ``services_staff.event_capacity_change``, which also writes the new capacity
    into the page's revisions so that the next publish from the editor keeps it.
    """
    lock_event(event)
    if run_group is not None:
        run_group.capacity = capacity
        run_group.save(update_fields=["capacity"])
    else:
        EventPage.objects.filter(pk=event.pk).update(capacity=capacity)
        event.capacity = capacity
    return promote_waitlist(event=event, run_group=run_group, reason="more places")


def waitlist_position(*, rsvp: Rsvp) -> int | None:
    if rsvp.state != Rsvp.State.WAITLISTED:
        return None
    ahead = Rsvp.objects.filter(
        event=rsvp.event_id, state=Rsvp.State.WAITLISTED, run_group=rsvp.run_group_id
    )
    ahead = ahead.filter(waitlisted_at__lt=rsvp.waitlisted_at) | ahead.filter(
        waitlisted_at=rsvp.waitlisted_at, pk__lt=rsvp.pk
    )
    return ahead.count() + 1
