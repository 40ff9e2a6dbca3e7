"""RSVP rules: guests, deadline, audience, waitlist order and partial fits, track days."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import EventPage, Promotion, Rsvp, Waiver
from events.services import staff as staff_services
from tests.factories import CarFactory, MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db


def going(event, member, **kwargs):
    return services.rsvp_respond(event=event, member=member, answer="going", **kwargs)


def test_rsvp_going_with_guest_takes_two_places(member):
    event = make_event(capacity=10, guests_allowed=2)
    rsvp = going(event, member, guests=1)
    assert (rsvp.state, services.confirmed_places(event=event)) == (Rsvp.State.CONFIRMED, 2)


def test_rsvp_more_guests_than_allowed_is_refused(member):
    event = make_event(guests_allowed=1)
    with pytest.raises(services.RsvpError) as excinfo:
        going(event, member, guests=2)
    assert excinfo.value.code == "guests"
    assert not Rsvp.objects.exists()


def test_rsvp_after_deadline_is_refused(member):
    event = make_event(rsvp_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(services.RsvpError) as excinfo:
        going(event, member)
    assert excinfo.value.code == "deadline"


def test_rsvp_before_opening_is_refused(member):
    event = make_event(rsvp_opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(services.RsvpError) as excinfo:
        going(event, member)
    assert excinfo.value.code == "not_open"


def test_rsvp_to_club_event_by_non_member_is_refused(member):
    event = make_event(audience=EventPage.Audience.CLUB, host_club=make_club())
    with pytest.raises(services.RsvpError) as excinfo:
        going(event, member)
    assert excinfo.value.code == "not_invited"


def test_rsvp_to_model_owners_event_by_owner_is_accepted(member, cooper_s):
    CarFactory(owner=member, car_model=cooper_s)
    event = make_event(audience=EventPage.Audience.MODELS)
    event.audience_models.set([cooper_s])
    assert going(event, member).state == Rsvp.State.CONFIRMED


def test_rsvp_when_full_joins_waitlist_with_position(member):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    rsvp = going(event, member)
    assert (rsvp.state, services.waitlist_position(rsvp=rsvp)) == (Rsvp.State.WAITLISTED, 1)


def test_cancellation_promotes_first_waiting_and_records_time(member):
    event = make_event(capacity=1)
    first = MemberFactory()
    going(event, first)
    going(event, member)
    services.rsvp_respond(event=event, member=first, answer="not_going")
    promoted = Rsvp.objects.get(event=event, member=member)
    assert promoted.state == Rsvp.State.CONFIRMED
    assert Promotion.objects.get(rsvp=promoted).promoted_at is not None


def test_partial_fit_keeps_head_of_waitlist_first(member):
    """Strict first come, first served: a +1 at the head blocks a smaller party behind it."""
    event = make_event(capacity=2, guests_allowed=1)
    holder = MemberFactory()
    going(event, holder, guests=1)  # 2 of 2
    head = going(event, member, guests=1)  # waits for 2 places
    behind = going(event, MemberFactory())  # waits for 1 place
    services.rsvp_respond(event=event, member=holder, answer="going", guests=0)  # frees 1 place
    head.refresh_from_db()
    behind.refresh_from_db()
    assert (head.state, behind.state) == (Rsvp.State.WAITLISTED, Rsvp.State.WAITLISTED)


def test_capacity_increase_promotes_in_order(member):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    second, third = going(event, member), going(event, MemberFactory())
    staff_services.event_capacity_change(event=event, capacity=2)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.state, third.state) == (Rsvp.State.CONFIRMED, Rsvp.State.WAITLISTED)


def test_waitlist_leave_removes_member_from_queue(member):
    event = make_event(capacity=0)
    going(event, member)
    services.waitlist_leave(event=event, member=member)
    assert Rsvp.objects.get(member=member).state == Rsvp.State.OUT


def test_more_guests_than_free_places_keeps_existing_rsvp(member):
    event = make_event(capacity=2, guests_allowed=2)
    going(event, MemberFactory())
    going(event, member)
    with pytest.raises(services.RsvpError) as excinfo:
        going(event, member, guests=2)
    assert excinfo.value.code == "no_room_for_more"
    assert Rsvp.objects.get(member=member).guests == 0


@pytest.fixture
def track_day():
    waiver = Waiver.objects.create(title="Track day waiver", text="I drive at my own risk.")
    return make_event(
        "Castle Combe",
        kind=EventPage.Kind.TRACK_DAY,
        capacity=None,
        waiver=waiver,
        run_groups=[("Novice", 1), ("Advanced", 5)],
    )


def track_going(event, member, group_name="Novice", **kwargs):
    car = CarFactory(owner=member)
    defaults = {
        "car": car,
        "run_group": event.run_groups.get(name=group_name),
        "accept_waiver": True,
        "emergency_contact_name": "Jo Porter",
        "emergency_contact_phone": "07700 900123",
    }
    defaults.update(kwargs)
    return going(event, member, **defaults)


def test_track_day_without_car_is_refused(member, track_day):
    with pytest.raises(services.RsvpError) as excinfo:
        track_going(track_day, member, car=None)
    assert excinfo.value.code == "car_required"


def test_track_day_without_waiver_is_refused(member, track_day):
    with pytest.raises(services.RsvpError) as excinfo:
        track_going(track_day, member, accept_waiver=False)
    assert excinfo.value.code == "waiver"


def test_track_day_records_waiver_version_and_time(member, track_day):
    rsvp = track_going(track_day, member)
    assert rsvp.waiver_version.number == 1 and rsvp.waiver_accepted_at is not None


def test_waiver_text_change_makes_new_version():
    waiver = Waiver.objects.create(title="W", text="One")
    waiver.text = "Two"
    waiver.save()
    assert list(waiver.versions.values_list("number", "text")) == [(2, "Two"), (1, "One")]


def test_track_day_run_group_has_its_own_capacity(member, track_day):
    track_going(track_day, MemberFactory())
    novice = track_going(track_day, member)
    advanced = track_going(track_day, MemberFactory(), group_name="Advanced")
    assert (novice.state, advanced.state) == (Rsvp.State.WAITLISTED, Rsvp.State.CONFIRMED)


def test_track_day_assigns_car_numbers_in_confirmation_order(member, track_day):
    first = track_going(track_day, MemberFactory(), group_name="Advanced")
    second = track_going(track_day, member, group_name="Advanced")
    assert (first.car_number, second.car_number) == (1, 2)


def test_rsvp_view_get_is_not_allowed(client, member):
    event = make_event()
    client.force_login(member)
    assert client.get(reverse("events:rsvp", args=[event.pk])).status_code == 405
    assert not Rsvp.objects.exists()


def test_rsvp_view_error_shows_message_and_saves_nothing(client, member):
    event = make_event(guests_allowed=1)
    client.force_login(member)
    response = client.post(
        reverse("events:rsvp", args=[event.pk]), {"answer": "going", "guests": 5}, follow=True
    )
    assert "You can bring up to 1 guest" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_event_page_shows_places_left(client, member):
    event = make_event(capacity=10)
    going(event, member)
    assert "9</strong> of 10 places left" in client.get(event.url).content.decode()


def test_my_events_lists_members_upcoming_rsvps(client, member):
    event = make_event("Quay meet")
    make_event("Not mine")
    going(event, member)
    client.force_login(member)
    html = client.get(reverse("events:my_events")).content.decode()
    assert "Quay meet" in html and "Not mine" not in html


def test_club_page_lists_the_clubs_upcoming_events(client):
    club = make_club("Sunday Drivers")
    make_event("Dartmoor dawn run", host_club=club)
    make_event("Someone else's meet")
    html = client.get(club.url).content.decode()
    assert "Dartmoor dawn run" in html and "Someone else" not in html
