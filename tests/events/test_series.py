"""Event series: a rule's dates published as event pages, one date skipped or moved without
touching the others, and the series invitation calendars read (RRULE, EXDATE, RECURRENCE-ID),
checked with recurring-ical-events."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from events.ical import series_date_ics, series_ics
from events.models import EventPage, EventSeries, Rsvp, SeriesMember
from events.recurrence import series_starts
from events.services.series import (
    SeriesError,
    series_date_move,
    series_date_skip,
    series_dates_publish,
    series_fill_in,
    series_join,
    series_leave,
)
from tests.factories import MemberFactory, event_index

pytestmark = pytest.mark.django_db

TZ = ZoneInfo(settings.TIME_ZONE)
ORGANIZER = "rsvp+series@paddock.example"


def first_sunday_after(day: date) -> date:
    month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return month + timedelta(days=(6 - month.weekday()) % 7)


@pytest.fixture
def series(db):
    start = datetime.combine(first_sunday_after(timezone.localdate()), time(9), TZ)
    return EventSeries.objects.create(
        title="Cars & Coffee",
        index=event_index(),
        kind=EventPage.Kind.CARS_AND_COFFEE,
        venue_name="Harbourside MINI forecourt",
        first_start=start,
        duration=timedelta(hours=2, minutes=30),
        frequency=EventSeries.Frequency.MONTHLY,
        nth=1,
        weekday="SU",
        count=12,
        capacity=40,
    )


@pytest.fixture
def dates(series):
    series_dates_publish(series=series)
    return list(series.dates.order_by("recurrence_id"))


def occurrences(ics: bytes) -> list[datetime]:
    calendar = Calendar.from_ical(ics)
    found = recurring_ical_events.of(calendar).between(date(2000, 1, 1), date(2100, 1, 1))
    return sorted(e["DTSTART"].dt for e in found)


def test_series_starts_are_the_first_sunday_of_each_month_at_the_same_local_time(series):
    starts = series_starts(series)
    assert len(starts) == 12
    assert all(s.weekday() == 6 and s.day <= 7 for s in starts)
    assert {timezone.localtime(s, TZ).time() for s in starts} == {time(9)}  # across clock changes


def test_publishing_a_series_makes_one_live_event_page_per_date(series, dates):
    assert len(dates) == 12 and all(d.live for d in dates)
    assert [d.start for d in dates] == series_starts(series)
    assert {(d.capacity, d.end - d.start) for d in dates} == {(40, timedelta(hours=2.5))}


def test_publishing_a_series_again_adds_no_date_twice(series, dates):
    assert series_dates_publish(series=series) == []
    assert series.dates.count() == 12


def test_each_date_keeps_its_own_rsvps(series, dates):
    from events.services import rsvp_respond

    member = MemberFactory()
    rsvp_respond(event=dates[0], member=member, answer="going")
    assert dates[0].rsvps.count() == 1 and dates[1].rsvps.count() == 0


def test_skipping_a_date_cancels_it_alone(series, dates):
    series_date_skip(event=dates[2])
    states = list(series.dates.order_by("recurrence_id").values_list("status", flat=True))
    assert states[2] == EventPage.Status.CANCELLED
    assert states[:2] + states[3:] == [EventPage.Status.SCHEDULED] * 11


def test_moving_a_date_changes_its_start_alone_and_keeps_its_recurrence_id(series, dates):
    planned = dates[4].start
    moved = planned + timedelta(hours=1)
    series_date_move(event=dates[4], start=moved)
    fifth = EventPage.objects.get(pk=dates[4].pk)
    assert (fifth.start, fifth.recurrence_id) == (moved, planned)
    assert fifth.end - fifth.start == timedelta(hours=2.5)
    others = [d for d in series.dates.order_by("recurrence_id") if d.pk != fifth.pk]
    assert all(d.start == d.recurrence_id for d in others)


def test_a_date_that_is_not_in_a_series_cannot_be_skipped_as_one(series):
    from tests.factories import make_event

    with pytest.raises(SeriesError) as error:
        series_date_skip(event=make_event())
    assert error.value.code == "not_series"


def test_series_invitation_gives_every_date_to_a_calendar(series, dates):
    ics = series_ics(series=series, member=MemberFactory(), organizer_email=ORGANIZER, dates=dates)
    assert occurrences(ics) == [timezone.localtime(d.start, TZ) for d in dates]
    assert b"RRULE:FREQ=MONTHLY;COUNT=12;BYDAY=1SU" in ics


def test_series_invitation_after_a_skip_and_a_move_gives_eleven_dates_and_the_moved_time(
    series, dates
):
    moved = dates[4].start + timedelta(hours=1)
    series_date_skip(event=dates[2])
    series_date_move(event=dates[4], start=moved)
    fresh = list(series.dates.all())
    ics = series_ics(series=series, member=MemberFactory(), organizer_email=ORGANIZER, dates=fresh)
    found = occurrences(ics)
    expected = [d.start for i, d in enumerate(dates) if i not in (2, 4)] + [moved]
    assert len(found) == 11
    assert found == sorted(timezone.localtime(s, TZ) for s in expected)


def test_skipped_date_is_sent_as_a_cancel_of_that_date_only(series, dates):
    skipped = series_date_skip(event=dates[2])
    member = MemberFactory()
    ics = Calendar.from_ical(
        series_date_ics(event=skipped, member=member, organizer_email=ORGANIZER)
    )
    [vevent] = ics.walk("VEVENT")
    assert ics["METHOD"] == "CANCEL" and vevent["STATUS"] == "CANCELLED"
    assert vevent["RECURRENCE-ID"].dt == timezone.localtime(dates[2].recurrence_id, TZ)
    master = Calendar.from_ical(
        series_ics(series=series, member=member, organizer_email=ORGANIZER, dates=dates)
    ).walk("VEVENT")[0]
    assert vevent["UID"] == master["UID"]


def test_moved_date_is_sent_as_a_request_for_that_date_with_its_new_time(series, dates):
    moved_to = dates[4].start + timedelta(hours=1)
    moved = series_date_move(event=dates[4], start=moved_to)
    ics = Calendar.from_ical(
        series_date_ics(event=moved, member=MemberFactory(), organizer_email=ORGANIZER)
    )
    [vevent] = ics.walk("VEVENT")
    assert ics["METHOD"] == "REQUEST"
    assert vevent["RECURRENCE-ID"].dt == timezone.localtime(dates[4].recurrence_id, TZ)
    assert vevent["DTSTART"].dt == timezone.localtime(moved_to, TZ)


def test_series_invitation_sequence_goes_up_when_a_date_changes(series, dates):
    member = MemberFactory()
    before = Calendar.from_ical(
        series_ics(series=series, member=member, organizer_email=ORGANIZER, dates=dates)
    ).walk("VEVENT")[0]["SEQUENCE"]
    series_date_skip(event=dates[2])
    after = Calendar.from_ical(
        series_ics(
            series=series, member=member, organizer_email=ORGANIZER, dates=series.dates.all()
        )
    ).walk("VEVENT")[0]["SEQUENCE"]
    assert after > before


# --- Every date -------------------------------------------------------------------------------


def test_joining_a_series_answers_each_open_date_going(series, dates):
    member = MemberFactory()
    series_join(series=series, member=member)
    going = Rsvp.objects.filter(member=member, state=Rsvp.State.CONFIRMED)
    assert going.count() == 12 and set(going.values_list("source", flat=True)) == {"series"}


def test_a_later_date_fills_in_when_its_rsvps_open(series, dates):
    later = dates[6]
    EventPage.objects.filter(pk=later.pk).update(rsvp_opens_at=later.start - timedelta(days=7))
    member = MemberFactory()
    series_join(series=series, member=member)
    assert not Rsvp.objects.filter(member=member, event=later).exists()
    with freeze_time(later.start - timedelta(days=6)):
        series_fill_in()
    assert Rsvp.objects.get(member=member, event=later).state == Rsvp.State.CONFIRMED


def test_a_full_date_puts_a_series_member_on_its_waitlist_and_leaves_the_others(series, dates):
    EventPage.objects.filter(pk=dates[1].pk).update(capacity=1)
    first, second = MemberFactory(), MemberFactory()
    series_join(series=series, member=first)
    series_join(series=series, member=second)
    states = dict(Rsvp.objects.filter(member=second).values_list("event_id", "state"))
    assert states[dates[1].pk] == Rsvp.State.WAITLISTED
    assert [states[d.pk] for d in dates if d.pk != dates[1].pk] == [Rsvp.State.CONFIRMED] * 11


def test_a_date_a_series_member_declined_stays_declined(series, dates):
    from events.services import rsvp_respond

    member = MemberFactory()
    rsvp_respond(event=dates[3], member=member, answer="not_going")
    series_join(series=series, member=member)
    series_fill_in()
    assert Rsvp.objects.get(member=member, event=dates[3]).answer == Rsvp.Answer.NOT_GOING


def test_joining_sends_one_mail_with_the_whole_series_in_the_calendar(
    series, dates, mailoutbox, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        series_join(series=series, member=member)
    [message] = mailoutbox
    assert message.subject == "You're in for every Cars & Coffee"
    [(filename, data, mimetype)] = message.attachments
    assert occurrences(data if isinstance(data, bytes) else data.encode()) == [
        timezone.localtime(d.start, TZ) for d in dates
    ]


def test_joining_twice_sends_nothing_more(
    series, dates, mailoutbox, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        series_join(series=series, member=member)
        series_join(series=series, member=member)
    assert len(mailoutbox) == 1 and Rsvp.objects.filter(member=member).count() == 12


def test_a_member_who_left_is_not_put_down_for_later_dates(series, dates):
    later = dates[6]
    EventPage.objects.filter(pk=later.pk).update(rsvp_opens_at=later.start - timedelta(days=7))
    member = MemberFactory()
    series_join(series=series, member=member)
    series_leave(series=series, member=member)
    with freeze_time(later.start - timedelta(days=6)):
        series_fill_in()
    assert not Rsvp.objects.filter(member=member, event=later).exists()


def test_series_guests_beyond_the_limit_are_refused(series, dates):
    with pytest.raises(SeriesError) as error:
        series_join(series=series, member=MemberFactory(), guests=5)
    assert error.value.code == "guests" and not Rsvp.objects.exists()


def test_member_counts_themselves_in_from_a_dates_page(client, series, dates):
    member = MemberFactory()
    client.force_login(member)
    page = client.get(dates[0].url).content.decode()
    assert "Count me in for every date" in page
    response = client.post(reverse("events:series_join", args=[dates[0].pk]), {"guests": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#series")
    assert SeriesMember.objects.get(member=member).guests == 1
    assert "You're in for every date" in client.get(dates[0].url).content.decode()


def test_staff_create_a_series_in_the_admin_and_its_dates_are_published(admin_client, db):
    index = event_index()
    start = datetime.combine(first_sunday_after(timezone.localdate()), time(9), TZ)
    response = admin_client.post(
        reverse("event_series:add"),
        {
            "title": "Cars & Coffee",
            "kind": "cars_coffee",
            "index": index.pk,
            "summary": "",
            "first_start": timezone.localtime(start, TZ).strftime("%Y-%m-%d %H:%M"),
            "duration": "02:30:00",
            "frequency": "MONTHLY",
            "nth": "1",
            "weekday": "SU",
            "count": "12",
            "venue_name": "Harbourside MINI forecourt",
            "venue_address": "",
            "audience": "public",
            "capacity": "40",
            "guests_allowed": "1",
            "reminder_hours": "48,3",
            "rsvp_opens_days": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    series = EventSeries.objects.get()
    assert series.dates.live().count() == 12
    assert {d.capacity for d in series.dates.all()} == {40}


def test_a_series_whose_first_date_is_not_on_its_weekday_is_refused(series):
    from django.core.exceptions import ValidationError

    series.weekday = "SA"
    with pytest.raises(ValidationError) as error:
        series.full_clean()
    assert "first_start" in error.value.message_dict


def _calendar_of(message) -> Calendar:
    [(_, data, _)] = message.attachments
    return Calendar.from_ical(data if isinstance(data, bytes) else data.encode())


def test_series_member_hears_of_a_skipped_date_as_a_cancel_of_that_date_of_the_series(
    series, dates, mailoutbox, django_capture_on_commit_callbacks
):
    from events.notifications import notify_event_change

    member = MemberFactory()
    series_join(series=series, member=member)
    series_date_skip(event=dates[2])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_event_change(change_id=dates[2].changes.get().pk)
    [message] = [m for m in mailoutbox if member.email in m.to]
    calendar = _calendar_of(message)
    [vevent] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL" and str(vevent["UID"]).startswith("series-")
    assert vevent["RECURRENCE-ID"].dt == timezone.localtime(dates[2].recurrence_id, TZ)


def test_series_member_hears_of_a_moved_date_as_a_request_for_that_date_of_the_series(
    series, dates, mailoutbox, django_capture_on_commit_callbacks
):
    from events.notifications import notify_event_change

    member = MemberFactory()
    series_join(series=series, member=member)
    planned = dates[4].start
    series_date_move(event=dates[4], start=planned + timedelta(hours=1))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_event_change(change_id=dates[4].changes.get().pk)
    [message] = [m for m in mailoutbox if member.email in m.to]
    calendar = _calendar_of(message)
    [vevent] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert vevent["RECURRENCE-ID"].dt == timezone.localtime(planned, TZ)
    assert vevent["DTSTART"].dt == timezone.localtime(planned + timedelta(hours=1), TZ)


def test_series_member_promoted_from_a_waitlist_gets_that_date_of_the_series_not_a_new_entry(
    series, dates, mailoutbox, django_capture_on_commit_callbacks
):
    from events.services import rsvp_respond

    EventPage.objects.filter(pk=dates[0].pk).update(capacity=1)
    first, second = MemberFactory(), MemberFactory()
    rsvp_respond(event=dates[0], member=first, answer="going")
    series_join(series=series, member=second)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_respond(event=dates[0], member=first, answer="not_going")
    [promoted] = [m for m in mailoutbox if second.email in m.to]
    [vevent] = _calendar_of(promoted).walk("VEVENT")
    assert str(vevent["UID"]).startswith("series-") and "RECURRENCE-ID" in vevent
    assert "with the rest of the series" in promoted.body


def test_series_member_saying_not_going_to_one_date_gets_that_date_cancelled_alone(
    series, dates, mailoutbox, django_capture_on_commit_callbacks
):
    from events.services import rsvp_respond

    member = MemberFactory()
    series_join(series=series, member=member)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_respond(event=dates[1], member=member, answer="not_going")
    [message] = mailoutbox
    calendar = _calendar_of(message)
    [vevent] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL" and str(vevent["UID"]).startswith("series-")
    assert vevent["RECURRENCE-ID"].dt == timezone.localtime(dates[1].recurrence_id, TZ)


def test_each_series_message_to_a_member_has_a_higher_sequence(
    series, dates, mailoutbox, django_capture_on_commit_callbacks
):
    from events.services import rsvp_respond

    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        series_join(series=series, member=member)
        rsvp_respond(event=dates[1], member=member, answer="not_going")
        rsvp_respond(event=dates[1], member=member, answer="going")
    sequences = [_calendar_of(m).walk("VEVENT")[0]["SEQUENCE"] for m in mailoutbox]
    assert len(sequences) == 3 and sequences == sorted(set(sequences))


def test_leaving_a_series_keeps_only_the_answered_dates_in_the_members_calendar(
    series, dates, mailoutbox, django_capture_on_commit_callbacks
):
    for later in dates[6:]:
        EventPage.objects.filter(pk=later.pk).update(rsvp_opens_at=later.start - timedelta(days=7))
    member = MemberFactory()
    series_join(series=series, member=member)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        series_leave(series=series, member=member)
    [message] = mailoutbox
    assert message.subject == "You have left Cars & Coffee"
    [(_, data, _)] = message.attachments
    found = occurrences(data if isinstance(data, bytes) else data.encode())
    assert found == [timezone.localtime(d.start, TZ) for d in dates[:6]]
