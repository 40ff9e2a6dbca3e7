"""Check-in at the door: codes, ticking in and out, walk-ins, counts, the staff page and the CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Member
from events import checkin, services
from events.models import EventPage, Rsvp, Waiver
from tests.factories import CarFactory, MemberFactory, make_event

pytestmark = pytest.mark.django_db


def going(event, member, **kwargs):
    return services.rsvp_respond(event=event, member=member, answer="going", **kwargs)


def page_url(event, **params):
    url = reverse("events:checkin", args=[event.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in params.items())}" if params else url


# --- Codes ----------------------------------------------------------------------------------


def test_checkin_code_is_short_stable_and_differs_between_rsvps(member):
    event = make_event()
    mine, theirs = going(event, member), going(event, MemberFactory())
    code = checkin.checkin_code_for(mine)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    assert checkin.checkin_code_for(Rsvp.objects.get(pk=mine.pk)) == code
    assert checkin.checkin_code_for(theirs) != code


def test_checkin_code_changes_with_secret_key(member, settings):
    rsvp = going(make_event(), member)
    before = checkin.checkin_code_for(rsvp)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert checkin.checkin_code_for(rsvp) != before


def test_rsvp_for_code_accepts_lowercase_spaces_and_look_alike_letters(member):
    event = make_event()
    rsvp = going(event, member)
    code = checkin.checkin_code_for(rsvp)
    typed = f" {code.lower().replace('-', ' ')} ".replace("0", "o").replace("1", "l")
    assert checkin.rsvp_for_code(event=event, code=typed) == rsvp


def test_rsvp_for_code_reads_the_ticket_address(member):
    event = make_event()
    rsvp = going(event, member)
    scanned = f"http://shop.example{page_url(event, code=checkin.checkin_code_for(rsvp))}"
    assert checkin.rsvp_for_code(event=event, code=scanned) == rsvp


def test_rsvp_for_code_of_another_event_is_unknown(member):
    event, other = make_event("One"), make_event("Two")
    code = checkin.checkin_code_for(going(other, member))
    going(event, member)
    with pytest.raises(checkin.CheckinError) as excinfo:
        checkin.rsvp_for_code(event=event, code=code)
    assert excinfo.value.code == "unknown_code"


def test_rsvp_for_code_that_is_not_a_code_is_refused(member):
    event = make_event()
    going(event, member)
    with pytest.raises(checkin.CheckinError) as excinfo:
        checkin.rsvp_for_code(event=event, code="HELLO")
    assert excinfo.value.code == "bad_code"


def test_rsvp_for_code_made_with_fallback_key_is_accepted(member, settings):
    event = make_event()
    rsvp = going(event, member)
    old_code = checkin.checkin_code_for(rsvp)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-secret-key-for-this-test-only-0123456789"
    assert checkin.rsvp_for_code(event=event, code=old_code) == rsvp


# --- Ticking in and out ---------------------------------------------------------------------


def test_checkin_records_time_and_staff(member, staff):
    rsvp = going(make_event(), member)
    checkin.checkin(rsvp=rsvp, by=staff)
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is not None and rsvp.checked_in_by == staff


def test_checkin_twice_is_refused_and_keeps_first_time(member, staff):
    rsvp = going(make_event(), member)
    checkin.checkin(rsvp=rsvp, by=staff)
    first = Rsvp.objects.get(pk=rsvp.pk).checked_in_at
    with pytest.raises(checkin.CheckinError) as excinfo:
        checkin.checkin(rsvp=rsvp, by=MemberFactory(is_staff=True))
    assert excinfo.value.code == "already_checked_in"
    assert "Dana Staff" in str(excinfo.value)
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at == first


def test_checkin_waitlisted_is_refused(member, staff):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    rsvp = going(event, member)
    with pytest.raises(checkin.CheckinError) as excinfo:
        checkin.checkin(rsvp=rsvp, by=staff)
    assert excinfo.value.code == "not_confirmed"
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is None


def test_checkin_cancelled_event_is_refused(member, staff):
    event = make_event()
    rsvp = going(event, member)
    EventPage.objects.filter(pk=event.pk).update(status=EventPage.Status.CANCELLED)
    with pytest.raises(checkin.CheckinError) as excinfo:
        checkin.checkin(rsvp=rsvp, by=staff)
    assert excinfo.value.code == "cancelled"


def test_checkin_undo_clears_time_and_staff(member, staff):
    rsvp = going(make_event(), member)
    checkin.checkin(rsvp=rsvp, by=staff)
    checkin.checkin_undo(rsvp=rsvp, by=staff)
    rsvp.refresh_from_db()
    assert (rsvp.checked_in_at, rsvp.checked_in_by, rsvp.state) == (
        None,
        None,
        Rsvp.State.CONFIRMED,
    )


def test_checkin_undo_when_not_checked_in_is_refused(member, staff):
    rsvp = going(make_event(), member)
    with pytest.raises(checkin.CheckinError) as excinfo:
        checkin.checkin_undo(rsvp=rsvp, by=staff)
    assert excinfo.value.code == "not_checked_in"


# --- Walk-ins -------------------------------------------------------------------------------


def test_walk_in_new_person_creates_unverified_member_checked_in(staff):
    event = make_event()
    rsvp = checkin.walk_in(event=event, by=staff, name="Ola Newman", email="Ola@Example.com")
    member = Member.objects.get(email="ola@example.com")
    assert member.display_name == "Ola Newman" and not member.has_usable_password()
    assert EmailAddress.objects.filter(user=member, verified=False, primary=True).exists()
    assert not (member.email_invitations or member.email_community)
    assert member.profile_visibility == Member.Visibility.PRIVATE
    assert (rsvp.member, rsvp.state, rsvp.source, rsvp.checked_in_by) == (
        member,
        Rsvp.State.CONFIRMED,
        Rsvp.Source.WALK_IN,
        staff,
    )
    assert rsvp.checked_in_at is not None


def test_walk_in_with_existing_email_reuses_member(member, staff):
    checkin.walk_in(event=make_event(), by=staff, name="Someone", email=member.email.upper())
    assert Member.objects.filter(email=member.email).count() == 1
    assert Rsvp.objects.get(member=member).source == Rsvp.Source.WALK_IN


def test_walk_in_without_email_is_refused(staff):
    with pytest.raises(checkin.CheckinError) as excinfo:
        checkin.walk_in(event=make_event(), by=staff, name="Ola Newman", email="not-an-email")
    assert excinfo.value.code == "email"
    assert not Member.objects.filter(display_name="Ola Newman").exists()


def test_walk_in_waitlisted_member_is_confirmed_and_checked_in(member, staff):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    going(event, member)
    rsvp = checkin.walk_in(event=event, by=staff, member=member)
    rsvp.refresh_from_db()
    assert (rsvp.state, rsvp.waitlisted_at, rsvp.source) == (
        Rsvp.State.CONFIRMED,
        None,
        Rsvp.Source.WALK_IN,
    )
    assert rsvp.checked_in_at is not None


def test_walk_in_past_capacity_is_allowed_and_reported(staff):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    checkin.walk_in(event=event, by=staff, name="Ola Newman", email="ola@example.com")
    assert services.confirmed_places(event=event) == 2
    assert checkin.places_over_capacity(event=event) == 1
    assert checkin.checkin_counts(event=event).over_capacity == 1


def test_walk_in_of_confirmed_member_just_checks_in(member, staff):
    event = make_event()
    rsvp = going(event, member, guests=1)
    checkin.walk_in(event=event, by=staff, member=member)
    rsvp.refresh_from_db()
    assert (rsvp.source, rsvp.guests, rsvp.checked_in_by) == (Rsvp.Source.WEB, 1, staff)


def test_walk_in_with_too_many_guests_is_refused(staff):
    event = make_event(guests_allowed=1)
    with pytest.raises(checkin.CheckinError) as excinfo:
        checkin.walk_in(event=event, by=staff, name="Ola", email="ola@example.com", guests=3)
    assert excinfo.value.code == "guests"
    assert not Rsvp.objects.exists()


# --- Counts and CSV -------------------------------------------------------------------------


def test_checkin_counts_before_start_have_no_no_shows(member, staff):
    event = make_event(guests_allowed=2)
    checkin.checkin(rsvp=going(event, member, guests=2), by=staff)
    going(event, MemberFactory())
    counts = checkin.checkin_counts(event=event)
    assert (counts.expected, counts.expected_people, counts.checked_in) == (2, 4, 1)
    assert (counts.checked_in_people, counts.no_shows) == (3, None)


def test_checkin_counts_after_start_count_no_shows(member, staff):
    event = make_event()
    checkin.checkin(rsvp=going(event, member), by=staff)
    going(event, MemberFactory())
    going(event, MemberFactory())
    counts = checkin.checkin_counts(event=event, now=event.start + timedelta(minutes=30))
    assert (counts.expected, counts.checked_in, counts.no_shows) == (3, 1, 2)


def test_attendee_rows_list_confirmed_by_name_and_neutralise_formulas(staff):
    event = make_event(capacity=1)
    plotter = MemberFactory(display_name="=HYPERLINK(1)")
    anna = MemberFactory(display_name="Anna Able")
    car = CarFactory(owner=anna, registration="kb21 abc")
    going(event, plotter)
    going(event, anna, car=car)  # waitlisted: not an attendee
    checkin.walk_in(event=event, by=staff, member=anna)
    rows = list(checkin.attendee_rows(event=event))
    assert rows[0] == checkin.CSV_HEADER
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)", "Anna Able"]
    assert rows[2][5] == "KB21 ABC" and rows[2][9] == "Dana Staff"


# --- The staff page -------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_checkin_page_anonymous_goes_to_login(client):
    event = make_event()
    response = client.get(page_url(event))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_checkin_page_member_is_forbidden(client, member):
    event = make_event()
    rsvp = going(event, member)
    client.force_login(member)
    assert client.get(page_url(event)).status_code == 403
    post = client.post(reverse("events:checkin_tick", args=[event.pk]), {"rsvp": rsvp.pk})
    assert post.status_code == 403
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is None


def test_checkin_page_lists_attendees_by_name_with_counts(staff_client, staff):
    event = make_event()
    for name in ("Zoe Last", "Adam First"):
        going(event, MemberFactory(display_name=name))
    checkin.checkin(rsvp=Rsvp.objects.get(member__display_name="Zoe Last"), by=staff)
    response = staff_client.get(page_url(event))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].count("no-store")
    assert html.index("Adam First") < html.index("Zoe Last")
    assert response.context["counts"].checked_in == 1
    assert 'class="attendee attendee--in"' in html


def test_checkin_page_search_by_plate_ignores_spaces_and_case(staff_client):
    event = make_event()
    sam = MemberFactory(display_name="Sam Porter")
    going(event, sam, car=CarFactory(owner=sam, registration="KB21 XYZ"))
    going(event, MemberFactory(display_name="Kim Other"))
    response = staff_client.get(page_url(event, q="kb21xyz"))
    assert [r.member for r in response.context["attendees"]] == [sam]


def test_checkin_page_search_by_name_offers_walk_in_for_unconfirmed(staff_client, member):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    going(event, member)  # Sam Porter, waitlisted
    response = staff_client.get(page_url(event, q="sam por"))
    assert response.context["attendees"] == []
    [other] = response.context["others"]
    assert other == member and other.event_rsvp.state == Rsvp.State.WAITLISTED


def test_checkin_page_get_with_code_shows_attendee_and_changes_nothing(staff_client, member):
    event = make_event()
    rsvp = going(event, member)
    response = staff_client.get(page_url(event, code=checkin.checkin_code_for(rsvp)))
    assert response.context["found"] == rsvp
    assert "Check in Sam Porter" in response.content.decode()
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is None


def test_checkin_tick_view_checks_in_and_shows_undo(staff_client, staff, member):
    event = make_event()
    rsvp = going(event, member)
    response = staff_client.post(
        reverse("events:checkin_tick", args=[event.pk]), {"rsvp": rsvp.pk}, follow=True
    )
    assert "Checked in: Sam Porter" in response.content.decode()
    assert reverse("events:checkin_undo", args=[event.pk]) in response.content.decode()
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_by == staff


def test_checkin_tick_view_get_is_not_allowed(staff_client, member):
    event = make_event()
    going(event, member)
    assert staff_client.get(reverse("events:checkin_tick", args=[event.pk])).status_code == 405
    assert not Rsvp.objects.filter(checked_in_at__isnull=False).exists()


def test_checkin_tick_view_rsvp_of_another_event_is_404(staff_client, member):
    event, other = make_event("One"), make_event("Two")
    rsvp = going(other, member)
    response = staff_client.post(reverse("events:checkin_tick", args=[event.pk]), {"rsvp": rsvp.pk})
    assert response.status_code == 404
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is None


def test_checkin_code_view_checks_in_and_says_who(staff_client, member):
    event = make_event()
    rsvp = going(event, member)
    response = staff_client.post(
        reverse("events:checkin_code", args=[event.pk]),
        {"code": checkin.checkin_code_for(rsvp).lower()},
        follow=True,
    )
    assert "Checked in: Sam Porter" in response.content.decode()
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is not None


def test_checkin_code_view_second_scan_warns(staff_client, staff, member):
    event = make_event()
    rsvp = going(event, member)
    checkin.checkin(rsvp=rsvp, by=staff)
    response = staff_client.post(
        reverse("events:checkin_code", args=[event.pk]),
        {"code": checkin.checkin_code_for(rsvp)},
        follow=True,
    )
    assert "Sam Porter was already checked in at" in response.content.decode()


def test_checkin_code_view_unknown_code_shows_error(staff_client, member):
    event = make_event()
    going(event, member)
    response = staff_client.post(
        reverse("events:checkin_code", args=[event.pk]), {"code": "0000-0000"}
    )
    assert response.status_code == 400
    assert "No RSVP to this event has that code" in response.content.decode()
    html = response.content.decode()
    assert 'value="0000-0000" aria-invalid="true"' in html
    assert f'method="get" action="{page_url(event)}"' in html  # searching from here works
    assert not Rsvp.objects.filter(checked_in_at__isnull=False).exists()


def test_checkin_undo_view_clears_check_in(staff_client, staff, member):
    event = make_event()
    rsvp = going(event, member)
    checkin.checkin(rsvp=rsvp, by=staff)
    response = staff_client.post(
        reverse("events:checkin_undo", args=[event.pk]), {"rsvp": rsvp.pk, "q": "sam"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?q=sam")
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is None


def test_checkin_walk_in_view_new_person_over_capacity_warns(staff_client):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    response = staff_client.post(
        reverse("events:checkin_walk_in", args=[event.pk]),
        {"name": "Ola Newman", "email": "ola@example.com", "guests": 0},
        follow=True,
    )
    assert "Over capacity by 1 place" in response.content.decode()
    assert Rsvp.objects.get(member__email="ola@example.com").checked_in_at is not None


def test_checkin_walk_in_view_invalid_form_adds_nobody(staff_client):
    event = make_event()
    response = staff_client.post(
        reverse("events:checkin_walk_in", args=[event.pk]), {"name": "", "email": "ola@"}
    )
    assert response.status_code == 400
    assert response.context["walk_in_form"].errors.keys() == {"name", "email"}
    assert 'value="ola@"' in response.content.decode()  # what staff typed stays
    assert not Rsvp.objects.exists()


def test_checkin_views_need_csrf_token(staff, member):
    event = make_event()
    rsvp = going(event, member)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("events:checkin_tick", args=[event.pk]), {"rsvp": rsvp.pk})
    assert response.status_code == 403
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is None


def test_checkin_csv_downloads_attendees(staff_client, member):
    event = make_event()
    going(event, member)
    response = staff_client.get(reverse("events:checkin_csv", args=[event.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == checkin.CSV_HEADER and rows[1][:2] == ["Sam Porter", member.email]


def test_checkin_csv_member_is_forbidden(client, member):
    event = make_event()
    client.force_login(member)
    assert client.get(reverse("events:checkin_csv", args=[event.pk])).status_code == 403


def _page_queries(client, event) -> int:
    client.get(page_url(event, q="a"))  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(page_url(event, q="a")).status_code == 200
        assert client.get(page_url(event)).status_code == 200
    return len(ctx.captured_queries)


def test_checkin_page_queries_do_not_grow_with_attendees(staff_client, staff):
    waiver = Waiver.objects.create(title="Track waiver", text="At my own risk.")
    small = make_event("Small", kind="track_day", capacity=None, waiver=waiver)
    large = make_event("Large", kind="track_day", capacity=None, waiver=waiver)
    for event, count in ((small, 3), (large, 30)):
        for n in range(count):
            member = MemberFactory(display_name=f"Alex {n}")
            car = CarFactory(owner=member)
            rsvp = going(
                event,
                member,
                car=car,
                accept_waiver=True,
                emergency_contact_name="Jo",
                emergency_contact_phone="07700 900123",
            )
            if n % 2:
                checkin.checkin(rsvp=rsvp, by=staff)
        MemberFactory(display_name="Alex Unconfirmed")
    assert _page_queries(staff_client, large) == _page_queries(staff_client, small)


# --- The member's ticket on the event page --------------------------------------------------


def test_event_page_shows_code_and_qr_to_confirmed_member(client, member):
    event = make_event()
    rsvp = going(event, member)
    client.force_login(member)
    html = client.get(event.url).content.decode()
    assert checkin.checkin_code_for(rsvp) in html
    assert '<svg role="img" viewBox=' in html and "ticket__qr-code" in html


def test_event_page_shows_no_code_to_waitlisted_member(client, member):
    event = make_event(capacity=1)
    going(event, MemberFactory())
    rsvp = going(event, member)
    client.force_login(member)
    html = client.get(event.url).content.decode()
    assert checkin.checkin_code_for(rsvp) not in html and "ticket__qr" not in html


def test_event_page_code_is_not_shown_to_other_members(client, member):
    event = make_event()
    rsvp = going(event, member)
    client.force_login(MemberFactory())
    assert checkin.checkin_code_for(rsvp) not in client.get(event.url).content.decode()


def test_event_page_qr_holds_checkin_address(member, settings):
    """The QR's text is the staff page with the code, so a phone's camera app can open it."""
    from events.templatetags.checkin_tags import checkin_url

    event = make_event()
    rsvp = going(event, member)
    url = checkin_url(rsvp)
    assert url == f"{settings.SITE_URL}{page_url(event, code=checkin.checkin_code_for(rsvp))}"
    assert checkin.rsvp_for_code(event=event, code=url) == rsvp
