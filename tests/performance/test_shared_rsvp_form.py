"""The RSVP form in the event page's shared body (events.forms.RsvpForm(shared=True)): every member
of an audience gets the same form, with their own answer, guests and cars marked onto it as their
page is served, never another member's, and never stale."""

import re

import pytest
from django.test import Client

from community.page_parts import BODY_HEADER, FRESH_COOKIE
from events.models import Rsvp
from tests.factories import CarFactory, MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db


def rsvp_form(html: str) -> str:
    found = re.search(r'<form method="post" action="/events/\d+/rsvp/".*?</form>', html, re.S)
    assert found, "no RSVP form on the page"
    return found.group(0)


def checked_answers(form: str) -> list[str]:
    return re.findall(r'name="answer" value="([a-z_]+)"[^>]*\bchecked\b', form)


def guests_value(form: str) -> str:
    return re.search(r'<input type="number" name="guests" value="([^"]*)"', form).group(1)


def test_rsvp_form_comes_from_the_shared_body_for_the_second_member(dealership, page_cache):
    url = dealership.event.url
    dealership.client_of(dealership.alex).get(url)
    response = dealership.client_of(dealership.blake).get(url)
    assert response[BODY_HEADER] == "hit"
    assert "Send my RSVP" in rsvp_form(response.content.decode())


def test_members_own_answer_guests_and_car_are_marked_on_the_shared_form(dealership, page_cache):
    url = dealership.event.url
    car = dealership.alex.cars.get()
    Rsvp.objects.filter(event=dealership.event, member=dealership.alex).update(car=car)
    dealership.client_of(dealership.blake).get(url)  # Blake's visit keeps the body
    response = dealership.client_of(dealership.alex).get(url)
    form = rsvp_form(response.content.decode())
    assert response[BODY_HEADER] == "hit"
    assert checked_answers(form) == ["going"] and guests_value(form) == "1"
    assert f'<option value="{car.pk}" selected>{car}</option>' in form
    assert "Update my RSVP" in form


def test_member_on_a_shared_form_sees_no_other_members_answer_guests_or_cars(
    dealership, page_cache
):
    url = dealership.event.url
    alex_car = dealership.alex.cars.get()
    blake_car = CarFactory(owner=dealership.blake, car_model=dealership.cooper_s, year=2011)
    dealership.client_of(dealership.alex).get(url)  # Alex's visit keeps the body
    response = dealership.client_of(dealership.blake).get(url)
    form = rsvp_form(response.content.decode())
    assert response[BODY_HEADER] == "hit"
    assert checked_answers(form) == [] and guests_value(form) == "0"
    assert f'value="{alex_car.pk}"' not in form and f'value="{blake_car.pk}"' in form
    assert "Send my RSVP" in form and "Update my RSVP" not in form


def test_members_changed_answer_shows_on_the_shared_form_at_once(dealership, page_cache):
    url = dealership.event.url
    alex = dealership.client_of(dealership.alex)
    alex.get(url)
    alex.post(f"/events/{dealership.event.pk}/rsvp/", {"answer": "maybe", "guests": 0})
    alex.cookies.pop(FRESH_COOKIE, None)  # even from the shared body: marks are read per request
    response = alex.get(url)
    form = rsvp_form(response.content.decode())
    assert response[BODY_HEADER] == "hit"
    assert checked_answers(form) == ["maybe"] and guests_value(form) == "0"


def test_shared_rsvp_form_is_the_form_rendered_whole_for_the_member(dealership, page_cache):
    url = dealership.event.url
    alex = dealership.client_of(dealership.alex)
    alex.get(url)
    shared = alex.get(url)
    alex.cookies[FRESH_COOKIE] = "1"  # their pages rendered whole, as after a POST
    whole = alex.get(url)
    assert shared[BODY_HEADER] == "hit" and BODY_HEADER not in whole

    def normal(html: str) -> str:
        form = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", rsvp_form(html))
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", re.sub(r"\s+>", ">", form)))

    assert normal(shared.content.decode()) == normal(whole.content.decode())


def test_rsvp_form_of_a_club_event_stays_each_members_own(dealership, page_cache):
    event = make_event("Owners' drive", audience="club", host_club=dealership.club)
    car = dealership.alex.cars.get()
    dealership.client_of(dealership.blake).get(event.url)
    alex_page = dealership.client_of(dealership.alex).get(event.url).content.decode()
    blake_page = dealership.client_of(dealership.blake).get(event.url).content.decode()
    assert f'value="{car.pk}"' in rsvp_form(alex_page)
    assert "This event is for members of" in blake_page and "rsvp__form" not in blake_page


def test_member_of_a_private_club_sees_its_event_on_a_shared_body(page_cache):
    insider, outsider = MemberFactory(), MemberFactory()
    club = make_club("Inner Circle", access="private", members=[insider])
    event = make_event("Inner Circle night", audience="members", host_club=club)
    inside, outside = Client(), Client()
    inside.force_login(insider)
    outside.force_login(outsider)
    assert inside.get(event.url).status_code == 200
    assert outside.get(event.url).status_code == 404


def test_answer_sent_from_a_shared_form_after_the_deadline_is_refused(dealership, page_cache):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import EventPage

    url = dealership.event.url
    dealership.client_of(dealership.alex).get(url)  # the body, with the form, is kept
    past = timezone.now() - timedelta(minutes=1)
    EventPage.objects.filter(pk=dealership.event.pk).update(rsvp_deadline=past)  # time passed
    blake = dealership.client_of(dealership.blake)
    assert "rsvp__form" in blake.get(url).content.decode()  # the kept body: up to the TTL
    blake.post(f"/events/{dealership.event.pk}/rsvp/", {"answer": "going", "guests": 0})
    assert not Rsvp.objects.filter(event=dealership.event, member=dealership.blake).exists()
