"""An event that took place yesterday (dealership time), and members checked in at its door."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from events.checkin import checkin
from events.models import EventPage, Rsvp
from tests.factories import CarFactory, make_event


def yesterdays_event(title: str = "Cars & Coffee on the Quay", **fields) -> EventPage:
    """A live event from 09:00 to 12:00 yesterday."""
    event = make_event(title, **fields)
    yesterday = timezone.localdate() - timedelta(days=1)
    start = timezone.make_aware(datetime.combine(yesterday, time(9)))
    # Set as it was planned (an edit in the admin would record a change members must hear of).
    EventPage.objects.filter(pk=event.pk).update(start=start, end=start + timedelta(hours=3))
    return EventPage.objects.get(pk=event.pk)


def morning_after(event: EventPage, hour: int = 8, minute: int = 5) -> datetime:
    day = timezone.localtime(event.end).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def checked_in(event: EventPage, member, *, staff, car=None) -> Rsvp:
    """``member`` said going (with ``car``, their own new one if not given) and was ticked in."""
    car = car or CarFactory(owner=member)
    rsvp = Rsvp.objects.create(
        event=event, member=member, answer=Rsvp.Answer.GOING, state=Rsvp.State.CONFIRMED, car=car
    )
    return checkin(rsvp=rsvp, by=staff)


def said_going(event: EventPage, member) -> Rsvp:
    return Rsvp.objects.create(
        event=event, member=member, answer=Rsvp.Answer.GOING, state=Rsvp.State.CONFIRMED
    )
