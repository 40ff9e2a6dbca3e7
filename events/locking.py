"""The lock that serialises every change of places on an event, for services and notifications
alike."""

from django.conf import settings

from events.models import EventPage
from paddock.prepared import Prepared

_LOCK = Prepared(
    lambda refresh, *, event_id: (
        EventPage.objects.only("pk", *refresh)
        .select_for_update(of=("self",))
        .filter(pk=event_id)
        .order_by()
    )
)


def lock_event(event: EventPage, *, refresh: tuple[str, ...] = ()) -> None:
    """Serialise every change of places on this event (a row lock until the transaction ends).

    ``refresh``: columns of the event to read again in the same statement, as they are once the
    lock is held (one round trip fewer while the lock is held).

    ``PADDOCK_RSVP_LOCKING = False`` exists only so a test can show that, without the lock,
    concurrent RSVPs overbook: never switch it off anywhere else.
    """
    if getattr(settings, "PADDOCK_RSVP_LOCKING", True):
        row = _LOCK.first(shape=tuple(refresh), event_id=event.pk)  # compiled once per process
        if row is None:
            raise EventPage.DoesNotExist(f"No event {event.pk} to lock.")
    elif refresh:
        row = EventPage.objects.only("pk", *refresh).get(pk=event.pk)
    else:
        return
    for name in refresh:
        setattr(event, name, getattr(row, name))
