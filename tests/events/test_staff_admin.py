"""Staff screens in the Wagtail admin: the RSVP list and export, RSVPs taken by phone, removing an
RSVP, changing capacity, and waivers. Places always go through the services' rules."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import EventPage, Promotion, Rsvp, Waiver
from tests.factories import CarFactory, MemberFactory, make_event

pytestmark = pytest.mark.django_db

INDEX = "event_rsvps:index"


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def going(event, member, **kwargs):
    return services.rsvp_respond(event=event, member=member, answer="going", **kwargs)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def add_rsvp(admin_client, event, member, **data):
    form = {"event": event.pk, "member": member.pk, "answer": "going", "guests": 0, **data}
    return admin_client.post(reverse("event_rsvps:add"), form)


# --- Listing and export ------------------------------------------------------------------------


def list_queries(admin_client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_rsvp_list_runs_the_same_queries_for_2_or_12_rsvps(admin_client):
    track = make_event("Track day", kind=EventPage.Kind.TRACK_DAY, run_groups=[("Novice", 20)])
    meet = make_event("Cars & coffee")
    group = track.run_groups.get()

    def add(n):
        for _ in range(n):
            member = MemberFactory()
            car = CarFactory(owner=member)
            Rsvp.objects.create(
                event=track, member=member, answer="going", state="confirmed", car=car,
                run_group=group, checked_in_at=timezone.now(),
            )  # fmt: skip
            going(meet, MemberFactory(), guests=1)

    url = reverse(INDEX)
    add(1)
    list_queries(admin_client, url)  # warm up: session, site, content types
    small = list_queries(admin_client, url)
    add(5)
    big = list_queries(admin_client, url)

    assert Rsvp.objects.count() == 12
    assert big == small


def test_rsvp_list_filters_by_event_and_check_in_and_offers_capacity_change(admin_client):
    event = make_event("Cars & coffee")
    other = make_event("Drive")
    here, elsewhere = MemberFactory(display_name="Here Now"), MemberFactory(display_name="Away")
    going(event, here)
    going(event, MemberFactory(display_name="Not Yet"))
    going(other, elsewhere)
    Rsvp.objects.filter(member=here).update(checked_in_at=timezone.now())

    response = admin_client.get(reverse(INDEX), {"event": event.pk, "checked_in": "yes"})

    html = response.content.decode()
    assert "Here Now" in html and "Not Yet" not in html and "Away" not in html
    assert reverse("event_rsvps:capacity", args=[event.pk]) in html


def test_rsvp_list_search_finds_member_by_plate(admin_client):
    event = make_event("Cars & coffee")
    driver = MemberFactory(display_name="Plate Owner")
    going(event, driver, car=CarFactory(owner=driver, registration="KB21 XYZ"))
    going(event, MemberFactory(display_name="Someone Else"))

    html = admin_client.get(reverse(INDEX), {"q": "KB21 XYZ"}).content.decode()

    assert "Plate Owner" in html and "Someone Else" not in html


def test_rsvp_csv_export_has_a_row_per_rsvp_with_local_times(admin_client):
    event = make_event("Cars & coffee", capacity=1, guests_allowed=2)
    first = MemberFactory(display_name="First In", email="first@example.com")
    going(event, first, guests=0)
    going(event, MemberFactory(display_name="Second In"), guests=2)

    response = admin_client.get(reverse(INDEX), {"event": event.pk, "export": "csv"})

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_name = {row["Member"]: row for row in rows}
    assert set(by_name) == {"First In", "Second In"}
    assert by_name["First In"]["Email"] == "first@example.com"
    assert by_name["First In"]["State"] == "Confirmed"
    assert by_name["Second In"]["State"] == "On the waitlist"
    assert by_name["Second In"]["Waitlist position"] == "1"
    assert by_name["Second In"]["Places"] == "3"
    local = timezone.localtime(Rsvp.objects.get(member=first).created_at)
    assert by_name["First In"]["Answered at"] == local.strftime("%Y-%m-%d %H:%M")


def test_rsvp_xlsx_export_downloads(admin_client):
    going(make_event(), MemberFactory())

    response = admin_client.get(reverse(INDEX), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- Adding an RSVP for a member ---------------------------------------------------------------


def test_staff_add_creates_confirmed_rsvp_with_staff_source(admin_client, member):
    event = make_event(capacity=10, guests_allowed=2)

    response = add_rsvp(admin_client, event, member, guests=1)

    assert response.status_code == 302
    rsvp = Rsvp.objects.get(event=event, member=member)
    assert (rsvp.state, rsvp.source, rsvp.places) == (Rsvp.State.CONFIRMED, Rsvp.Source.STAFF, 2)
    assert f"{member} is going" in texts(response)[0]


def test_staff_add_when_full_puts_member_on_waitlist(admin_client, member):
    event = make_event(capacity=1)
    going(event, MemberFactory())

    response = add_rsvp(admin_client, event, member)

    rsvp = Rsvp.objects.get(event=event, member=member)
    assert (rsvp.state, rsvp.source) == (Rsvp.State.WAITLISTED, Rsvp.Source.STAFF)
    assert "number 1 on the waitlist" in texts(response)[0]


def test_staff_add_after_deadline_is_accepted(admin_client, member):
    event = make_event(rsvp_deadline=timezone.now() - timedelta(hours=1))

    add_rsvp(admin_client, event, member)

    assert Rsvp.objects.get(event=event, member=member).state == Rsvp.State.CONFIRMED


def test_staff_add_to_cancelled_event_shows_service_error_on_form(admin_client, member):
    event = make_event(status=EventPage.Status.CANCELLED)

    response = add_rsvp(admin_client, event, member)

    assert response.status_code == 200
    assert "This event has been cancelled." in response.context["form"].non_field_errors()
    assert not Rsvp.objects.exists()


def test_staff_add_too_many_guests_shows_error_on_guests_field(admin_client, member):
    event = make_event(guests_allowed=1)

    response = add_rsvp(admin_client, event, member, guests=3)

    assert response.context["form"].errors["guests"] == ["You can bring up to 1 guest."]
    assert not Rsvp.objects.exists()


def test_staff_add_track_day_with_plate_run_group_and_waiver(admin_client, member):
    waiver = Waiver.objects.create(title="Track waiver", text="At your own risk.")
    event = make_event(
        "Track day", kind=EventPage.Kind.TRACK_DAY, waiver=waiver, run_groups=[("Novice", 5)]
    )
    CarFactory(owner=member, registration="KB21 ABC")

    add_rsvp(
        admin_client,
        event,
        member,
        car_registration="kb21abc",
        run_group=event.run_groups.get().pk,
        accept_waiver="on",
        emergency_contact_name="Alex Porter",
        emergency_contact_phone="07700 900123",
    )

    rsvp = Rsvp.objects.get(event=event, member=member)
    assert (rsvp.state, rsvp.car.registration, rsvp.car_number) == ("confirmed", "KB21 ABC", 1)
    assert rsvp.waiver_version == waiver.current_version


def test_staff_add_with_unknown_plate_is_refused(admin_client, member):
    event = make_event()

    response = add_rsvp(admin_client, event, member, car_registration="ZZ99 ZZZ")

    assert "has no car with this plate" in response.context["form"].errors["car_registration"][0]
    assert not Rsvp.objects.exists()


def test_staff_edit_changes_guests_through_the_rules(admin_client, member):
    event = make_event(capacity=2, guests_allowed=2)
    rsvp = going(event, member)
    going(event, MemberFactory())

    response = admin_client.post(
        reverse("event_rsvps:edit", args=[rsvp.pk]), {"answer": "going", "guests": 1}
    )

    assert response.status_code == 200  # refused: no room for a guest
    assert "Only 0 more places left" in str(response.context["form"].non_field_errors())
    assert Rsvp.objects.get(pk=rsvp.pk).guests == 0


# --- Removing an RSVP and changing capacity ---------------------------------------------------


def test_delete_frees_the_place_and_promotes_first_waiting(admin_client):
    event = make_event(capacity=1)
    holder, first, second = (MemberFactory(display_name=n) for n in ("Holder", "First", "Second"))
    rsvp = going(event, holder)
    going(event, first)
    going(event, second)

    response = admin_client.post(reverse("event_rsvps:delete", args=[rsvp.pk]))

    assert response.status_code == 302
    assert not Rsvp.objects.filter(pk=rsvp.pk).exists()
    states = dict(Rsvp.objects.values_list("member__display_name", "state"))
    assert states == {"First": Rsvp.State.CONFIRMED, "Second": Rsvp.State.WAITLISTED}
    assert Promotion.objects.get().rsvp.member == first
    assert "Promoted from the waitlist: First." in texts(response)[0]


def test_delete_of_waitlisted_rsvp_promotes_nobody(admin_client):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    waiting = going(event, MemberFactory())

    admin_client.post(reverse("event_rsvps:delete", args=[waiting.pk]))

    assert Rsvp.objects.count() == 1 and not Promotion.objects.exists()


def test_capacity_change_promotes_in_order_and_reports_who(admin_client):
    event = make_event(capacity=1)
    going(event, MemberFactory(display_name="Holder"))
    going(event, MemberFactory(display_name="First"))
    going(event, MemberFactory(display_name="Second"))
    going(event, MemberFactory(display_name="Third"))

    url = reverse("event_rsvps:capacity", args=[event.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"capacity": 3})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 3
    confirmed = set(
        Rsvp.objects.filter(state="confirmed").values_list("member__display_name", flat=True)
    )
    assert confirmed == {"Holder", "First", "Second"}
    assert "Promoted from the waitlist: First (1), Second (1)." in texts(response)[0]


def test_capacity_change_survives_the_next_publish(admin_client):
    event = make_event(capacity=1)
    event.save_revision().publish()

    admin_client.post(reverse("event_rsvps:capacity", args=[event.pk]), {"capacity": 5})
    page = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    page.summary = "Now with more places."
    page.save_revision().publish()

    assert EventPage.objects.get(pk=event.pk).capacity == 5


def test_capacity_change_of_a_run_group(admin_client):
    event = make_event("Track day", kind=EventPage.Kind.TRACK_DAY, run_groups=[("Novice", 1)])
    group = event.run_groups.get()

    admin_client.post(
        reverse("event_rsvps:capacity", args=[event.pk]), {"pool": group.pk, "capacity": 4}
    )

    group.refresh_from_db()
    assert group.capacity == 4


def test_negative_capacity_is_refused(admin_client):
    event = make_event(capacity=3)

    response = admin_client.post(reverse("event_rsvps:capacity", args=[event.pk]), {"capacity": -1})

    assert response.status_code == 200 and response.context["form"].errors["capacity"]
    event.refresh_from_db()
    assert event.capacity == 3


def test_capacity_change_needs_a_staff_login(client, member):
    event = make_event(capacity=1)
    client.force_login(member)

    response = client.post(reverse("event_rsvps:capacity", args=[event.pk]), {"capacity": 9})

    assert response.status_code == 302  # to the admin login: members have no admin access
    event.refresh_from_db()
    assert event.capacity == 1


# --- Waivers and the member chooser ----------------------------------------------------------


def test_waiver_edit_creates_a_new_version(admin_client):
    admin_client.post(
        reverse("event_waivers:add"), {"title": "Track waiver", "text": "Drive carefully."}
    )
    waiver = Waiver.objects.get()
    admin_client.post(
        reverse("event_waivers:edit", args=[waiver.pk]),
        {"title": "Track waiver", "text": "Drive carefully. Helmets on."},
    )

    assert list(waiver.versions.values_list("number", flat=True)) == [2, 1]
    assert "Track waiver" in admin_client.get(reverse("event_waivers:index")).content.decode()


def test_waiver_cannot_be_deleted(admin_client):
    waiver = Waiver.objects.create(title="Track waiver", text="Drive carefully.")

    response = admin_client.post(reverse("event_waivers:delete", args=[waiver.pk]))

    assert response.status_code in (302, 403)
    assert Waiver.objects.filter(pk=waiver.pk).exists()


def test_member_chooser_searches_by_name_email_or_plate(admin_client):
    driver = MemberFactory(display_name="Robin Driver")
    CarFactory(owner=driver, registration="KB21 QRS")
    MemberFactory(display_name="Other Person")

    url = reverse("events_member_chooser:choose_results")
    by_plate = admin_client.get(url, {"q": "kb21qrs"}).content.decode()
    by_name = admin_client.get(url, {"q": "robin"}).content.decode()

    assert "Robin Driver" in by_plate and "Other Person" not in by_plate
    assert "Robin Driver" in by_name and "Other Person" not in by_name


def test_edit_form_of_track_day_rsvp_keeps_accepted_waiver_ticked(admin_client, member):
    waiver = Waiver.objects.create(title="Track waiver", text="At your own risk.")
    event = make_event(
        "Track day", kind=EventPage.Kind.TRACK_DAY, waiver=waiver, run_groups=[("Novice", 5)]
    )
    rsvp = going(
        event,
        member,
        car=CarFactory(owner=member),
        run_group=event.run_groups.get(),
        accept_waiver=True,
        emergency_contact_name="Alex Porter",
        emergency_contact_phone="07700 900123",
    )

    form = admin_client.get(reverse("event_rsvps:edit", args=[rsvp.pk])).context["form"]

    assert form.initial["accept_waiver"] is True
    assert form.initial["emergency_contact_name"] == "Alex Porter"
    assert "event" not in form.fields and "member" not in form.fields
