"""Capacity holds under concurrency on real PostgreSQL, and the test can catch overbooking.

200 members RSVP at once to a 50-place event through the web view (each request in its own thread
with its own database connection). With the row lock, exactly 50 are confirmed and 150 waitlisted in
order. The negative control switches the lock off (a test-only setting) and widens the race window:
the same test then sees more than 50 confirmed, so it is able to catch overbooking.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from events import services
from events.models import Rsvp
from events.services import rsvp as rsvp_services
from tests.factories import make_event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MEMBERS = 200
CAPACITY = 50
WORKERS = 40


@pytest.fixture
def crowd(site_tree):
    from allauth.account.models import EmailAddress

    from community.models import Member

    Member.objects.bulk_create(
        [
            Member(email=f"rush{i}@example.com", display_name=f"Rusher {i}", handle=f"rusher-{i}")
            for i in range(MEMBERS)
        ]
    )
    members = list(Member.objects.filter(email__startswith="rush").order_by("pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members]
    )
    return members


def rush(event, members) -> list[int]:
    """Every member POSTs "going" at the same moment; returns the HTTP status codes."""
    start = threading.Barrier(min(WORKERS, len(members)))

    def one(member):
        client = Client()
        client.force_login(member)
        try:
            start.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
        try:
            return client.post(
                reverse("events:rsvp", args=[event.pk]), {"answer": "going"}
            ).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(one, members))


def test_rsvp_rush_confirms_exactly_capacity_and_waitlists_the_rest_in_order(crowd):
    event = make_event(capacity=CAPACITY, guests_allowed=0)
    statuses = rush(event, crowd)
    assert set(statuses) == {302}  # every request answered with a redirect back: no server error
    confirmed = Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED)
    waitlisted = Rsvp.objects.filter(event=event, state=Rsvp.State.WAITLISTED)
    assert (confirmed.count(), waitlisted.count()) == (CAPACITY, MEMBERS - CAPACITY)
    last_confirmed = max(confirmed.values_list("confirmed_at", flat=True))
    first_waitlisted = min(waitlisted.values_list("waitlisted_at", flat=True))
    assert last_confirmed <= first_waitlisted  # nobody was waitlisted before the places ran out
    positions = [
        services.waitlist_position(rsvp=r) for r in waitlisted.order_by("waitlisted_at", "pk")
    ]
    assert positions == list(range(1, MEMBERS - CAPACITY + 1))


def test_rsvp_rush_without_locking_overbooks_negative_control(crowd, settings, monkeypatch):
    settings.PADDOCK_RSVP_LOCKING = False
    original_fits = rsvp_services._fits

    def slow_fits(*args, **kwargs):  # widen the gap between reading the free places and taking one
        result = original_fits(*args, **kwargs)
        time.sleep(0.05)
        return result

    monkeypatch.setattr(rsvp_services, "_fits", slow_fits)
    event = make_event(capacity=CAPACITY, guests_allowed=0)
    rush(event, crowd[:120])
    assert services.confirmed_places(event=event) > CAPACITY


def test_cancellations_interleaved_with_new_rsvps_never_overbook_and_promote_in_order(crowd):
    event = make_event(capacity=20, guests_allowed=1)
    first, rest = crowd[:30], crowd[30:90]
    for member in first:  # 20 confirmed, 10 waitlisted, in this order
        services.rsvp_respond(event=event, member=member, answer="going")
    waitlist_before = list(
        Rsvp.objects.filter(event=event, state=Rsvp.State.WAITLISTED)
        .order_by("waitlisted_at", "pk")
        .values_list("member_id", flat=True)
    )
    stop = threading.Event()
    over = []

    def watch():
        while not stop.is_set():
            if services.confirmed_places(event=event) > 20:
                over.append(services.confirmed_places(event=event))
            time.sleep(0.002)
        connection.close()

    def act(i):
        try:
            if i % 2 == 0:
                services.rsvp_respond(event=event, member=first[i // 2], answer="not_going")
            else:
                services.rsvp_respond(event=event, member=rest[i], answer="going", guests=i % 2)
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(act, range(40)))
    stop.set()
    watcher.join()
    assert over == []
    assert services.confirmed_places(event=event) <= 20
    promoted = list(
        Rsvp.objects.filter(event=event, promotions__isnull=False)
        .order_by("promotions__promoted_at", "promotions__pk")
        .values_list("member_id", "waitlisted_at")
    )
    assert len(promoted) >= len(waitlist_before)
    assert [member_id for member_id, _ in promoted[: len(waitlist_before)]] == waitlist_before
    queue_times = [waitlisted_at for _, waitlisted_at in promoted]
    assert queue_times == sorted(
        queue_times
    )  # promoted strictly in the order they joined the waitlist


def test_rsvp_rush_to_one_date_of_a_series_never_overbooks_it_and_leaves_the_others(crowd):
    from datetime import date, datetime, time, timedelta

    from django.utils import timezone

    from events.models import EventSeries
    from events.services.series import series_dates_publish
    from tests.factories import event_index

    today = timezone.localdate()
    month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    sunday = month + timedelta(days=(6 - month.weekday()) % 7)
    series = EventSeries.objects.create(  # the first Sunday of each month, 12 dates
        title="Cars & Coffee",
        index=event_index(),
        venue_name="Forecourt",
        first_start=timezone.make_aware(datetime.combine(sunday, time(9))),
        duration=timedelta(hours=2),
        frequency=EventSeries.Frequency.MONTHLY,
        nth=1,
        weekday="SU",
        count=12,
        capacity=CAPACITY,
        guests_allowed=0,
    )
    dates = series_dates_publish(series=series)
    assert len(dates) == 12
    statuses = rush(dates[0], crowd)
    assert set(statuses) == {302}
    assert services.confirmed_places(event=dates[0]) == CAPACITY
    assert Rsvp.objects.filter(event=dates[0]).count() == MEMBERS
    assert not Rsvp.objects.exclude(event=dates[0]).exists()
