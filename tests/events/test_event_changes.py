"""Publishing an event with a new time, venue or a cancellation records an EventChange."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from events import signals
from events.models import EventChange, EventPage
from tests.factories import event_index, make_event

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SAT_10 = datetime(2031, 12, 6, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _change_receivers():
    signals.connect()  # EventsConfig.ready() does this at start-up; see the last test


def live_event(**fields) -> EventPage:
    """A live event on Sat 6 Dec 2031, 10:00 to 13:00, at Saltmouth Quay."""
    event = make_event("Cars & Coffee on the Quay", **fields)
    EventPage.objects.filter(pk=event.pk).update(start=SAT_10, end=SAT_10 + timedelta(hours=3))
    return EventPage.objects.get(pk=event.pk)


def test_publish_new_time_records_change_with_summary_and_bumps_sequence():
    event = live_event()
    event.start, event.end = SAT_10 + timedelta(hours=1), SAT_10 + timedelta(hours=4)
    event.save_revision().publish()

    change = EventChange.objects.get(event=event)
    assert change.kind == EventChange.Kind.CHANGED
    assert change.summary == "Moved from Sat 6 Dec 10:00 to Sat 6 Dec 11:00"
    assert (change.sequence, change.notified_at) == (1, None)
    event.refresh_from_db()
    assert (event.sequence, event.status) == (1, EventPage.Status.CHANGED)


def test_publish_new_venue_and_shorter_event_describes_both():
    event = live_event()
    event.end = SAT_10 + timedelta(hours=2)
    event.venue_name, event.venue_address = "The Old Mill", "Mill Lane\nKingsbridge"
    event.save_revision().publish()

    change = EventChange.objects.get(event=event)
    assert change.summary == (
        "Now ends at 12:00 (was 13:00); venue now The Old Mill, Mill Lane, Kingsbridge"
    )


def test_publish_cancellation_records_cancelled_change():
    event = live_event()
    event.status = EventPage.Status.CANCELLED
    event.save_revision().publish()

    change = EventChange.objects.get(event=event)
    assert change.kind == EventChange.Kind.CANCELLED
    assert change.summary == "Cancelled: it was on Sat 6 Dec 10:00 at Saltmouth Quay"
    event.refresh_from_db()
    assert (event.sequence, event.status) == (1, EventPage.Status.CANCELLED)


def test_publish_title_and_summary_only_records_nothing():
    event = live_event()
    event.title = "Cars, Coffee & Croissants"
    event.summary = "Now with pastries."
    event.save_revision().publish()

    assert not EventChange.objects.exists()
    event.refresh_from_db()
    assert (event.sequence, event.status) == (0, EventPage.Status.SCHEDULED)


def test_first_publish_of_a_draft_records_nothing():
    event = EventPage(
        title="Spring drive",
        slug="spring-drive",
        start=SAT_10,
        end=SAT_10 + timedelta(hours=3),
        venue_name="Dealership forecourt",
        live=False,
    )
    event_index().add_child(instance=event)
    event.save_revision()
    event.start = SAT_10 + timedelta(days=1)  # edited again before it was ever published
    event.end = event.start + timedelta(hours=3)
    event.save_revision().publish()

    assert not EventChange.objects.exists()
    assert EventPage.objects.get(pk=event.pk).sequence == 0


def test_later_publish_keeps_sequence_and_changed_status():
    """Revisions hold the values of their time: a later publish must not undo the change."""
    event = live_event()
    event.start, event.end = SAT_10 + timedelta(hours=1), SAT_10 + timedelta(hours=4)
    event.save_revision().publish()

    editing = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    editing.summary = "Bring a friend."
    editing.save_revision().publish()

    event.refresh_from_db()
    assert (event.sequence, event.status, event.summary) == (
        1,
        EventPage.Status.CHANGED,
        "Bring a friend.",
    )
    assert EventChange.objects.count() == 1


def test_second_change_gets_the_next_sequence():
    event = live_event()
    event.start, event.end = SAT_10 + timedelta(hours=1), SAT_10 + timedelta(hours=4)
    event.save_revision().publish()
    editing = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    editing.status = EventPage.Status.CANCELLED
    editing.save_revision().publish()

    assert list(EventChange.objects.values_list("kind", "sequence")) == [
        (EventChange.Kind.CHANGED, 1),
        (EventChange.Kind.CANCELLED, 2),
    ]
    assert EventPage.objects.get(pk=event.pk).sequence == 2


def test_events_app_ready_connects_the_change_receivers():
    """The receivers must be connected at start-up (EventsConfig.ready), not only once the admin
    has been loaded: scheduled publishing runs in a management command."""
    signals.disconnect()
    try:
        apps.get_app_config("events").ready()
        event = live_event()
        event.venue_name = "The Old Mill"
        event.save_revision().publish()
        assert EventChange.objects.filter(event=event).exists()
    finally:
        signals.connect()
