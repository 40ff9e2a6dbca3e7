"""Test drives at events, and the next-car box after one: members ask to drive a model the event
offers (the events layer's rule), and those who came to a past event are asked about their next
car."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from community.leads.services import SalesLeadError
from community.models import SalesLead
from events import services
from events.drives import drive_lead_create
from events.models import Rsvp
from tests.factories import CarModelFactory, MemberFactory, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def countryman(db):
    return CarModelFactory(make="MINI", name="Countryman")


@pytest.fixture
def aceman(db):
    return CarModelFactory(make="MINI", name="Aceman")


@pytest.fixture
def event(countryman):
    event = make_event("Countryman launch evening")
    event.test_drive_models.set([countryman])
    event.save_revision().publish()
    return event


def drive_url(event) -> str:
    return reverse("events:test_drive", args=[event.pk])


def html_of(client, event) -> str:
    return client.get(event.url).content.decode()


def test_test_drive_sends_logged_out_visitor_to_log_in_and_back(client, event, countryman):
    url = drive_url(event)
    response = client.post(url, {"car_model": countryman.pk})
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"
    assert not SalesLead.objects.exists()


def test_test_drive_creates_one_lead_for_the_model_at_the_event(
    logged_in, member, event, countryman
):
    response = logged_in.post(
        drive_url(event), {"car_model": countryman.pk, "message": "Saturday morning?"}
    )
    assert response.status_code == 302
    assert response.url == f"{event.url}#test-drive"
    lead = SalesLead.objects.get()
    assert (lead.kind, lead.member, lead.page_id, lead.message) == (
        SalesLead.Kind.TEST_DRIVE,
        member,
        event.pk,
        "Saturday morning?",
    )
    assert list(lead.car_models.all()) == [countryman]


def test_test_drive_success_message_names_the_model_and_event(logged_in, event, countryman):
    response = logged_in.post(drive_url(event), {"car_model": countryman.pk})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Thank you: we'll be in touch to book your drive of the MINI Countryman "
        "at Countryman launch evening."
    ]


def test_test_drive_asked_twice_makes_one_lead(logged_in, event, countryman):
    logged_in.post(drive_url(event), {"car_model": countryman.pk})
    response = logged_in.post(drive_url(event), {"car_model": countryman.pk})
    assert response.status_code == 302
    assert SalesLead.objects.count() == 1


def test_test_drive_of_a_model_the_event_does_not_offer_is_refused(logged_in, event, aceman):
    response = logged_in.post(drive_url(event), {"car_model": aceman.pk, "message": "Hi"})
    assert response.status_code == 200
    assert response.context["test_drive_form"].errors["car_model"] == [
        "Choose one of the cars to drive at this event."
    ]
    assert "Hi</textarea>" in response.content.decode()
    assert not SalesLead.objects.exists()


def test_drive_lead_create_refuses_a_model_the_event_does_not_offer(member, event, aceman):
    with pytest.raises(SalesLeadError) as excinfo:
        drive_lead_create(event=event, member=member, car_model=aceman, site=None)
    assert (excinfo.value.code, excinfo.value.field) == ("model", "car_model")
    assert not SalesLead.objects.exists()


def test_drive_lead_create_refuses_an_event_that_is_over(member, countryman):
    past = make_event("Last month's meet", days_ahead=-30)
    past.test_drive_models.set([countryman])
    with pytest.raises(SalesLeadError) as excinfo:
        drive_lead_create(event=past, member=member, car_model=countryman, site=None)
    assert excinfo.value.code == "past"
    assert not SalesLead.objects.exists()


def test_test_drive_without_a_model_shows_error_and_creates_nothing(logged_in, event):
    response = logged_in.post(drive_url(event), {"message": "Any time"})
    assert response.status_code == 200
    assert response.context["test_drive_form"].errors["car_model"] == [
        "Choose the car you would like to drive."
    ]
    assert not SalesLead.objects.exists()


def test_event_page_shows_test_drive_form_with_the_only_model_chosen(logged_in, event, countryman):
    html = html_of(logged_in, event)
    assert "Test drives" in html
    assert "Drive the new MINI Countryman at Countryman launch evening." in html
    assert "Ask for a test drive" in html
    radio = re.search(rf'<input[^>]*name="car_model"[^>]*value="{countryman.pk}"[^>]*>', html)
    assert radio and "checked" in radio.group(0)


def test_event_page_offers_a_choice_when_there_are_several_models(
    logged_in, event, countryman, aceman
):
    event.test_drive_models.set([countryman, aceman])
    event.save_revision().publish()
    html = html_of(logged_in, event)
    assert "Drive the new MINI Aceman or MINI Countryman at Countryman launch evening." in html
    assert not re.search(r'<input[^>]*name="car_model"[^>]*checked', html)


def test_event_page_hides_test_drives_when_the_event_offers_none(logged_in):
    html = html_of(logged_in, make_event("Cars & Coffee"))
    assert 'id="test-drive"' not in html
    assert "Ask for a test drive" not in html


def test_event_page_hides_test_drives_once_the_event_is_over(logged_in, countryman):
    past = make_event("Last month's meet", days_ahead=-30)
    past.test_drive_models.set([countryman])
    past.save_revision().publish()
    assert "Ask for a test drive" not in html_of(logged_in, past)


def test_event_page_asks_visitors_to_sign_in_for_a_test_drive(client, event):
    html = html_of(client, event)
    assert "Sign in to ask for a test drive" in html
    assert "Ask for a test drive" not in html


# --- After the event: "Thinking about your next car?" ---------------------------------------


def next_car_link(event) -> str:
    return f'href="{reverse("community:next_car")}?from={event.pk}"'


def test_after_event_box_shown_to_member_who_was_going(logged_in, member):
    past = make_event("Last month's meet", days_ahead=-30)
    Rsvp.objects.create(
        event=past, member=member, answer=Rsvp.Answer.GOING, state=Rsvp.State.CONFIRMED
    )
    html = html_of(logged_in, past)
    assert "Thinking about your next car?" in html
    assert next_car_link(past) in html


def test_after_event_box_shown_to_member_who_was_checked_in(logged_in, member):
    past = make_event("Last month's meet", days_ahead=-30)
    Rsvp.objects.create(
        event=past,
        member=member,
        answer=Rsvp.Answer.MAYBE,
        state=Rsvp.State.OUT,
        checked_in_at=timezone.now(),
    )
    assert next_car_link(past) in html_of(logged_in, past)


def test_after_event_box_hidden_from_member_who_did_not_go(logged_in, member):
    past = make_event("Last month's meet", days_ahead=-30)
    Rsvp.objects.create(
        event=past, member=member, answer=Rsvp.Answer.NOT_GOING, state=Rsvp.State.OUT
    )
    assert next_car_link(past) not in html_of(logged_in, past)


def test_after_event_box_hidden_before_the_event(logged_in, member):
    upcoming = make_event("Next month's meet")
    services.rsvp_respond(event=upcoming, member=member, answer="going")
    assert next_car_link(upcoming) not in html_of(logged_in, upcoming)


def test_after_event_box_hidden_from_other_members(client):
    past = make_event("Last month's meet", days_ahead=-30)
    Rsvp.objects.create(
        event=past, member=MemberFactory(), answer=Rsvp.Answer.GOING, state=Rsvp.State.CONFIRMED
    )
    client.force_login(MemberFactory())
    assert next_car_link(past) not in html_of(client, past)
