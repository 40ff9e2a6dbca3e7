"""The lock that serialises every change of places on an event, for services and notifications
alike."""

from django.conf import settings

from events.models import EventPage


def lock_event(event: EventPage, *, refresh: tuple[str, ...] = ()) -> None:
    """Serialise every change of places on this event (a row lock until the transaction ends).

    ``refresh``: columns of the event to read again in the same statement, as they are once the
    lock is held (one round trip fewer while the lock is held).

    ``PADDOCK_RSVP_LOCKING = False`` exists only so a test can show that, without the lock,
    concurrent RSVPs overbook: never switch it off anywhere else.
    """
    rows = EventPage.objects.only("pk", *refresh)
    if getattr(settings, "PADDOCK_RSVP_LOCKING", True):
        rows = rows.select_for_update(of=("self",))
    elif not refresh:
        return
    row = rows.get(pk=event.pk)
    for name in refresh:
        setattr(event, name, getattr(row, name))
