"""The demo tells the truth, whatever day it is seeded: each event falls on the day its text names,
every answer and check-in comes before its event, a past event offers no RSVP or waitlist, and the
staff dashboard gives an event the same number of places as its page.

The demo's events are seeded once per "today" (days before the clocks change, and weeks before
Christmas) and rolled back after the module's last test.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

TODAYS = [
    "2026-10-21 10:00:00",  # a Wednesday; the clocks go back on the 25th
    "2026-12-09 08:15:00",  # a Wednesday, with Christmas ahead
]
# What the events need: the showroom, its members and their clubs (no posts, accessories, images).
STEPS = [
    "demo.steps.community.seed_dealership",
    "demo.steps.community.seed_car_models",
    "demo.steps.community.seed_members",
    "demo.steps.community.seed_clubs",
    "demo.steps.events.seed_events",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
SEASON_WORDS = re.compile(
    r"\b(spring|summer|autumn|fall|winter|christmas|easter|january|february|march|april|may|"
    r"june|july|august|september|october|november|december)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module", params=TODAYS, ids=["october", "december"])
def demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's events seeded on the given day, which stays frozen while the tests look."""
    from django.db import transaction
    from django.test import override_settings

    from demo.seed import seed_demo

    media = tmp_path_factory.mktemp("demo-media")
    # The clock is frozen on purpose, from the seed to the module's last test; pytest's own timing
    # stays real, or --durations reports the frozen day minus the real one as the setup time.
    with (
        freeze_time(request.param, ignore=["_pytest.timing"]),
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PADDOCK_PHOTO_ROOT=media / "photos"),
        transaction.atomic(),
    ):
        seed_demo(steps=STEPS)
        yield
        transaction.set_rollback(True)


def _events():
    from events.models import EventPage

    return list(EventPage.objects.live().select_related("host_club").order_by("start"))


def _text(event) -> str:
    body = " ".join(str(block.value) for block in event.body)
    club = event.host_club.title if event.host_club else ""
    return " ".join([event.title, event.summary, body, club])


def test_demo_events_fall_on_the_weekday_their_text_names(demo):
    checked = 0
    for event in _events():
        start = timezone.localtime(event.start)
        for ordinal, weekday in re.findall(
            r"\b(?:(first|second|third|fourth) )?(Monday|Tuesday|Wednesday|Thursday|Friday|"
            r"Saturday|Sunday)s?\b",
            _text(event),
        ):
            assert WEEKDAYS[start.weekday()] == weekday, (event.title, start)
            if ordinal:
                assert (start.day - 1) // 7 + 1 == ORDINALS[ordinal], (event.title, start)
            checked += 1
    assert checked >= 2  # "the first Sunday of every month", the Sunday Drivers' drive


def test_demo_events_do_not_all_fall_on_one_weekday(demo):
    assert len({timezone.localtime(e.start).weekday() for e in _events()}) >= 3


def test_demo_events_start_and_end_at_sensible_hours(demo):
    for event in _events():
        start, end = timezone.localtime(event.start), timezone.localtime(event.end)
        assert 7 <= start.hour <= 19 and start.minute in (0, 30), (event.title, start)
        assert start.date() == end.date() and end.hour <= 22, (event.title, end)


def test_demo_events_avoid_the_christmas_closure(demo):
    for event in _events():
        day = timezone.localtime(event.start).date()
        assert (day.month, day.day) < (12, 24) and (day.month, day.day) != (1, 1), event.title


def test_demo_events_have_past_and_coming_ones_relative_to_today(demo):
    now = timezone.now()
    events = _events()
    assert any(e.end < now for e in events)
    assert sum(e.start > now for e in events) >= 4
    assert all(abs(e.start - now) < timedelta(days=70) for e in events)


def test_demo_event_titles_and_addresses_name_no_season_or_month(demo):
    for event in _events():
        assert not SEASON_WORDS.search(f"{event.title} {event.slug}"), event.title


def test_demo_answers_are_given_before_their_event_and_after_joining(demo):
    from events.models import Rsvp

    now = timezone.now()
    rsvps = list(Rsvp.objects.select_related("event", "member"))
    assert len(rsvps) > 40
    for rsvp in rsvps:
        for name in ("created_at", "updated_at", "confirmed_at", "waitlisted_at"):
            at = getattr(rsvp, name)
            if at is not None:
                assert rsvp.member.date_joined < at < min(rsvp.event.start, now), (
                    rsvp.event.title,
                    name,
                    at,
                )
        if rsvp.waiver_accepted_at is not None:
            assert rsvp.waiver_accepted_at < rsvp.event.start


def test_demo_check_ins_happen_at_past_events_around_their_start(demo):
    from events.models import Rsvp

    checked_in = list(Rsvp.objects.filter(checked_in_at__isnull=False).select_related("event"))
    assert checked_in
    for rsvp in checked_in:
        assert rsvp.event.is_past
        assert rsvp.event.start - timedelta(hours=1) <= rsvp.checked_in_at <= rsvp.event.end


def test_demo_waitlist_keeps_the_order_members_answered_in(demo):
    from events.models import Rsvp

    waiting = Rsvp.objects.filter(state=Rsvp.State.WAITLISTED).order_by("event_id", "pk")
    assert waiting.exists()  # the demo shows a full event with a waitlist
    by_event = {}
    for rsvp in waiting:
        by_event.setdefault(rsvp.event_id, []).append(rsvp.waitlisted_at)
    for times in by_event.values():
        assert times == sorted(times)


def test_demo_owner_card_dates_each_answer_before_its_event(demo, client):
    from community.models import Member
    from events.models import Rsvp

    rsvp = Rsvp.objects.filter(event__end__lt=timezone.now()).select_related("event").first()
    client.force_login(Member.objects.get(email="staff@paddock.localhost"))
    response = client.get(reverse("staff:owner_card", args=[rsvp.member_id]))
    assert response.status_code == 200
    moments = [
        m for m in response.context["timeline"] if m.kind == "rsvp" and rsvp.event.title in m.text
    ]
    assert moments and all(m.when < rsvp.event.start for m in moments)


def test_demo_past_event_page_offers_no_rsvp_or_waitlist(demo, client):
    from events.models import Rsvp

    past = [e for e in _events() if e.is_past]
    assert past
    went = Rsvp.objects.filter(event=past[0], state=Rsvp.State.CONFIRMED).first()
    for viewer in (None, went.member):
        if viewer is not None:
            client.force_login(viewer)
        html = client.get(past[0].url).content.decode()
        assert "This event has taken place" in html
        assert "Are you coming?" not in html
        assert "waitlist" not in html.lower()
        assert reverse("events:rsvp", args=[past[0].pk]) not in html
        assert "places left" not in html


def test_demo_event_listing_shows_past_events_as_taken_place(demo, client):
    from events.models import EventIndexPage

    html = client.get(EventIndexPage.objects.live().first().url).content.decode()
    past = html[html.index('id="past-heading"') :]
    past = past[: past.index("</section>")]
    assert past.count("This event has taken place") == past.count('class="card event-card') >= 1
    assert "waitlist" not in past.lower() and "places left" not in past


def _dashboard_capacities() -> dict[int, str]:
    """Event id -> the places the staff dashboard's "Upcoming events" panel gives it."""
    from django.test import RequestFactory

    from community.models import Member
    from staff.dashboard import UpcomingEventsPanel

    request = RequestFactory().get("/admin/")
    request.user = Member.objects.get(email="staff@paddock.localhost")
    html = UpcomingEventsPanel().render_html({"request": request})
    return {
        int(pk): capacity.strip()
        for pk, capacity in re.findall(
            r"\?event=(\d+)\">.*?<span data-confirmed>\d+</span> / ([^<]+?)\s*(?:<|$)",
            html,
            re.DOTALL,
        )
    }


def test_demo_dashboard_gives_each_event_the_places_its_page_gives(demo, client):
    from community.models import Member
    from events.models import EventPage

    client.force_login(Member.objects.get(email="staff@paddock.localhost"))
    shown = _dashboard_capacities()
    assert len(shown) >= 4
    for pk, capacity in shown.items():
        event = EventPage.objects.get(pk=pk)
        page = client.get(event.url)
        on_page = page.context["capacity"]
        assert capacity == ("no limit" if on_page is None else str(on_page)), event.title
        if page.context["places_left"]:
            assert f"of {on_page} places left" in page.content.decode()


def test_demo_track_day_has_the_places_of_its_run_groups_on_the_dashboard(demo):
    from events.models import EventPage

    track_day = EventPage.objects.get(kind=EventPage.Kind.TRACK_DAY)
    groups = sum(group.capacity for group in track_day.run_groups.all())
    assert _dashboard_capacities()[track_day.pk] == str(groups)
