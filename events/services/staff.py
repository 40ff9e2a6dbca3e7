"""Staff operations on events: remove an RSVP, change capacity, record changes members must hear of.

These are what the Wagtail admin calls (see ``events/admin_views.py``). Like ``events.services``
they lock the event's row before changing who holds a place, so the capacity and waitlist rules
hold while members RSVP at the same time.

Values changed here outside the page editor (capacity, status, sequence) are also written into
the event's saved revisions: Wagtail publishes a page from a revision's content, so without that
the next publish would quietly put the old values back.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from events.locking import lock_event
from events.models import EventChange, EventPage, Promotion, Rsvp, RunGroup
from events.notifications import notify_rsvp
from events.services.rsvp import RsvpError, promote_waitlist
from paddock.celery import enqueue


def _reason(text: str) -> str:
    """Promotion.reason holds 60 characters."""
    limit = Promotion._meta.get_field("reason").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


@transaction.atomic
def rsvp_remove(*, rsvp: Rsvp, by) -> list[Rsvp]:
    """Delete an RSVP (staff removing a member); the places it held go to the waitlist, in order.
    A member who was coming (or might) is told, with a METHOD:CANCEL for their calendar.

    Returns the RSVPs promoted from the waitlist.
    """
    event = rsvp.event
    lock_event(event)
    current = Rsvp.objects.filter(pk=rsvp.pk).select_related("member", "run_group").first()
    if current is None:  # removed meanwhile: nothing left to free
        return []
    event.refresh_from_db(fields=["capacity", "status", "kind", "sequence"])
    held_places = current.state == Rsvp.State.CONFIRMED
    run_group = current.run_group
    if current.answer != Rsvp.Answer.NOT_GOING:  # their calendar holds the invite: cancel it
        current.event = event
        notify_rsvp(rsvp=current, kind="removed")
    current.delete()
    if not held_places:
        return []
    return promote_waitlist(
        event=event, run_group=run_group, reason=_reason(f"{current.member} removed by {by}")
    )


@transaction.atomic
def event_capacity_change(
    *, event: EventPage, capacity: int | None, run_group: RunGroup | None = None, by=None
) -> list[Rsvp]:
    """Change the event's places (or a run group's); more places promote from the waitlist.

    ``capacity`` None means no limit (the whole event only). Returns the RSVPs promoted. The new
    capacity is also written into the page's revisions, so the next publish from the editor keeps
    it. This is the one door for a capacity change.
    """
    if capacity is not None and capacity < 0:
        raise RsvpError("Capacity cannot be negative.", code="capacity")
    if run_group is not None:
        if run_group.event_id != event.pk:
            raise RsvpError("That run group belongs to another event.", code="run_group")
        if capacity is None:
            raise RsvpError("A run group needs a number of places.", code="capacity")
    lock_event(event, refresh=("sequence",))  # promotions' mails: SEQUENCE follows the event's
    if run_group is not None:
        run_group.capacity = capacity
        run_group.save(update_fields=["capacity"])
    else:
        EventPage.objects.filter(pk=event.pk).update(capacity=capacity)
        event.capacity = capacity
    promoted = promote_waitlist(event=event, run_group=run_group, reason="more places")
    if run_group is None:
        _revisions_patch(event, values={"capacity": capacity})
    else:
        _revisions_patch(event, run_group_capacities={run_group.pk: capacity})
    return promoted


# --- Changes members must hear about ----------------------------------------------------------


def _local(value):
    return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE))


def _when(value) -> str:
    """ "Sat 6 Dec 10:00" in the dealership's time zone."""
    return date_format(_local(value), "D j M H:i")


def _end_text(start, end) -> str:
    """The end time alone when the event ends on the day it starts, else day and time."""
    if _local(start).date() == _local(end).date():
        return date_format(_local(end), "H:i")
    return _when(end)


def _one_line(address: str) -> str:
    return ", ".join(line.strip() for line in (address or "").splitlines() if line.strip())


def _changes(event: EventPage, previous) -> list[str]:
    parts = []
    moved = previous.start != event.start
    end_changed = previous.end != event.end
    if moved:
        text = f"moved from {_when(previous.start)} to {_when(event.start)}"
        if end_changed and (previous.end - previous.start) != (event.end - event.start):
            text += f", now until {_end_text(event.start, event.end)}"
        parts.append(text)
    elif end_changed:
        parts.append(
            f"now ends at {_end_text(event.start, event.end)} "
            f"(was {_end_text(previous.start, previous.end)})"
        )
    if previous.venue_name != event.venue_name:
        venue = event.venue_name
        if _one_line(event.venue_address):
            venue += f", {_one_line(event.venue_address)}"
        parts.append(f"venue now {venue}")
    elif _one_line(previous.venue_address) != _one_line(event.venue_address):
        parts.append(f"venue address now {_one_line(event.venue_address) or 'not given'}")
    return parts


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


@transaction.atomic
def event_change_record(*, event: EventPage, previous) -> EventChange | None:
    """Record a change of time, venue or cancellation, for the emails that tell members.

    ``event`` is the event as just published, ``previous`` the event as it was live before (any
    object with ``start``, ``end``, ``venue_name``, ``venue_address``, ``status`` and
    ``sequence``). Nothing is recorded when none of those changed (a new title or description is
    not news). Otherwise the calendar SEQUENCE goes up by one and, for a new time or venue, the
    status becomes "changed" (a cancelled event stays cancelled). Returns the EventChange, whose
    ``notified_at`` stays empty until the email features send it.
    """
    cancelled = event.status == EventPage.Status.CANCELLED
    was_cancelled = previous.status == EventPage.Status.CANCELLED
    parts = _changes(event, previous)
    if cancelled and not was_cancelled:
        kind = EventChange.Kind.CANCELLED
        summary = f"Cancelled: it was on {_when(event.start)} at {event.venue_name}"
    elif was_cancelled and not cancelled:
        kind = EventChange.Kind.CHANGED
        summary = _sentence(["back on: no longer cancelled", *parts])
    elif parts and not cancelled:
        kind = EventChange.Kind.CHANGED
        summary = _sentence(parts)
    else:
        return None

    row = EventPage.objects.select_for_update(of=("self",)).only("sequence", "status")
    row = row.get(pk=event.pk)
    sequence = max(row.sequence, previous.sequence or 0) + 1
    status = event.status
    if kind == EventChange.Kind.CHANGED and parts and not cancelled:
        status = EventPage.Status.CHANGED
    # A queryset update: saving the page would publish it again.
    EventPage.objects.filter(pk=event.pk).update(sequence=sequence, status=status)
    event.sequence, event.status = sequence, status
    _revisions_patch(event, values={"sequence": sequence}, live_values={"status": status})
    change = EventChange.objects.create(event=event, kind=kind, summary=summary, sequence=sequence)
    transaction.on_commit(lambda: _queue_change_notice(change.pk))
    return change


def _queue_change_notice(change_id: int) -> None:
    # The broker may be away: enqueue() logs and returns; beat's event-changes sweep sends it.
    enqueue("events.tasks.event_change_notify_task", change_id)


# --- Revisions --------------------------------------------------------------------------------


def _revisions_patch(
    event: EventPage,
    *,
    values: dict | None = None,
    live_values: dict | None = None,
    run_group_capacities: dict | None = None,
) -> None:
    """Write values changed outside the editor into the live revision and any newer drafts.

    ``values`` go into all of them, ``live_values`` into the live revision alone (a newer draft
    may hold a status an editor chose on purpose).
    """
    live_id = (
        EventPage.objects.filter(pk=event.pk).values_list("live_revision_id", flat=True).first()
    )
    revisions = event.revisions.order_by("created_at", "pk")
    if live_id:
        live = revisions.filter(pk=live_id).first()
        if live is not None:
            revisions = revisions.filter(created_at__gte=live.created_at)
    else:
        revisions = revisions.reverse()[:1]  # never published: the latest draft alone
    for revision in revisions:
        content = revision.content
        content.update(values or {})
        if revision.pk == live_id:
            content.update(live_values or {})
        for group in content.get("run_groups") or []:
            if run_group_capacities and group.get("pk") in run_group_capacities:
                group["capacity"] = run_group_capacities[group["pk"]]
        revision.content = content
        revision.save(update_fields=["content"])
