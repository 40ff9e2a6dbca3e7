"""The lock that serialises every change of places on an event, for services and notifications
alike."""

from django.conf import settings

from events.models import EventPage


def lock_event(event: EventPage) -> None:
    """Serialise every change of places on this event (a row lock until the transaction ends).

    ``PADDOCK_RSVP_LOCKING = False`` exists only so a test can show that, without the lock,
    concurrent RSVPs overbook: never switch it off anywhere else.
    """
    if getattr(settings, "PADDOCK_RSVP_LOCKING", True):
        EventPage.objects.select_for_update(of=("self",)).only("pk").get(pk=event.pk)
