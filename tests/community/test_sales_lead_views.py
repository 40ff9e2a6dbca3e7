"""Members ask what their car is worth and tell the sales team about their next car: the pages
are for members only, a rule's error lands on its field with what was typed kept, and one
request makes one lead of the right kind."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from community.models import SalesLead
from tests.factories import CarFactory, CarModelFactory, MemberFactory, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def car(member, cooper_s):
    return CarFactory(owner=member, car_model=cooper_s, year=2019, trim="")


def checked(html: str, name: str, value: str) -> bool:
    """Whether the radio or checkbox ``name``/``value`` is ticked in ``html``."""
    pattern = rf'<input(?=[^>]*name="{name}")(?=[^>]*value="{value}")(?=[^>]*\bchecked\b)[^>]*>'
    return re.search(pattern, html) is not None


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- What is my car worth? -----------------------------------------------------------------


def test_car_worth_sends_logged_out_visitor_to_log_in_and_back(client, car):
    url = reverse("community:car_worth", args=[car.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_car_worth_form_shows_fields_and_button(logged_in, car):
    response = logged_in.get(reverse("community:car_worth", args=[car.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="mileage"' in html and 'name="condition"' in html and 'name="message"' in html
    assert "Miles on the clock" in html
    assert "Ask for a valuation" in html


def test_car_worth_post_creates_one_trade_in_lead_for_the_car(logged_in, member, car):
    response = logged_in.post(
        reverse("community:car_worth", args=[car.pk]),
        {"mileage": "42000", "condition": "good", "message": "Full service history."},
    )
    assert response.status_code == 302
    assert response.url == reverse("community:garage")
    lead = SalesLead.objects.get()
    assert (lead.kind, lead.member, lead.car, lead.mileage, lead.condition, lead.message) == (
        SalesLead.Kind.TRADE_IN,
        member,
        car,
        42000,
        "good",
        "Full service history.",
    )
    assert (lead.year, lead.make, lead.model) == (2019, "MINI", "Cooper S")


def test_car_worth_success_message_names_the_car(logged_in, car):
    response = logged_in.post(
        reverse("community:car_worth", args=[car.pk]),
        {"mileage": "42000", "condition": "good"},
        follow=True,
    )
    assert "Thank you: we'll be in touch about what your 2019 MINI Cooper S is worth." in (
        messages_of(response)
    )


def test_car_worth_missing_mileage_shows_error_keeps_input_and_creates_nothing(logged_in, car):
    response = logged_in.post(
        reverse("community:car_worth", args=[car.pk]),
        {"mileage": "", "condition": "fair", "message": "Scuffed bumper."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["mileage"] == ["Give the mileage, in miles."]
    html = response.content.decode()
    assert "Scuffed bumper." in html
    assert checked(html, "condition", "fair")
    assert not SalesLead.objects.exists()


def test_car_worth_service_error_lands_on_its_field(logged_in, car, monkeypatch):
    monkeypatch.setattr("community.leads.services.MAX_MILEAGE", 10)
    response = logged_in.post(
        reverse("community:car_worth", args=[car.pk]), {"mileage": "500", "condition": "good"}
    )
    assert response.status_code == 200
    assert "Give the mileage, from 0 to 10 miles." in response.context["form"].errors["mileage"]
    assert not SalesLead.objects.exists()


def test_car_worth_for_another_members_car_is_404(logged_in, cooper_s):
    theirs = CarFactory(owner=MemberFactory(), car_model=cooper_s)
    response = logged_in.post(
        reverse("community:car_worth", args=[theirs.pk]), {"mileage": "1000", "condition": "good"}
    )
    assert response.status_code == 404
    assert not SalesLead.objects.exists()


def test_car_worth_asked_twice_makes_one_lead_and_thanks_both_times(logged_in, car):
    url = reverse("community:car_worth", args=[car.pk])
    data = {"mileage": "42000", "condition": "good"}
    first = logged_in.post(url, data)
    second = logged_in.post(url, data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == reverse("community:garage")
    assert SalesLead.objects.count() == 1


def test_garage_links_each_car_to_its_valuation(logged_in, car):
    html = logged_in.get(reverse("community:garage")).content.decode()
    assert reverse("community:car_worth", args=[car.pk]) in html
    assert ">What is it worth?</a>" in html


# --- I'm thinking about my next car ---------------------------------------------------------


def test_next_car_sends_logged_out_visitor_to_log_in_and_back(client):
    url = reverse("community:next_car")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_next_car_form_shows_models_on_sale_only(logged_in, cooper_s):
    CarModelFactory(make="MINI", name="Paceman", last_year=2016)
    response = logged_in.get(reverse("community:next_car"))
    html = response.content.decode()
    assert "MINI Cooper S" in html and "Paceman" not in html
    assert "Tell the sales team" in html


def test_next_car_post_creates_one_next_car_lead(logged_in, member, cooper_s):
    countryman = CarModelFactory(make="MINI", name="Countryman")
    response = logged_in.post(
        reverse("community:next_car"),
        {"car_models": [cooper_s.pk, countryman.pk], "timeframe": "soon", "message": "Estate?"},
    )
    assert response.status_code == 302
    lead = SalesLead.objects.get()
    assert (lead.kind, lead.member, lead.timeframe, lead.message, lead.page) == (
        SalesLead.Kind.NEXT_CAR,
        member,
        "soon",
        "Estate?",
        None,
    )
    assert set(lead.car_models.all()) == {cooper_s, countryman}


def test_next_car_success_says_thanks(logged_in, cooper_s):
    response = logged_in.post(
        reverse("community:next_car"),
        {"car_models": [cooper_s.pk], "timeframe": "now"},
        follow=True,
    )
    assert "Thank you: the sales team will be in touch about your next car." in messages_of(
        response
    )


def test_next_car_from_an_event_stores_the_event_and_returns_to_it(logged_in, cooper_s):
    event = make_event(days_ahead=-2)
    response = logged_in.post(
        reverse("community:next_car"),
        {"car_models": [cooper_s.pk], "timeframe": "year", "from": str(event.pk)},
    )
    assert response.url == event.url
    assert SalesLead.objects.get().page_id == event.pk


def test_next_car_form_carries_the_from_page_in_a_hidden_field(logged_in):
    event = make_event(days_ahead=-2)
    html = logged_in.get(f"{reverse('community:next_car')}?from={event.pk}").content.decode()
    assert f'<input type="hidden" name="from" value="{event.pk}">' in html


def test_next_car_ignores_an_invalid_from_page(logged_in, cooper_s):
    logged_in.post(
        reverse("community:next_car"),
        {"car_models": [cooper_s.pk], "timeframe": "year", "from": "999999"},
    )
    logged_in.post(
        reverse("community:next_car"),
        {"car_models": [cooper_s.pk], "timeframe": "now", "from": "not-a-page"},
    )
    assert list(SalesLead.objects.values_list("page_id", flat=True)) == [None]


def test_next_car_without_model_or_note_shows_error_on_models_and_creates_nothing(logged_in):
    response = logged_in.post(reverse("community:next_car"), {"timeframe": "later"})
    assert response.status_code == 200
    assert response.context["form"].errors["car_models"] == [
        "Choose a model you are interested in, or tell us what you are looking for."
    ]
    assert checked(response.content.decode(), "timeframe", "later")
    assert not SalesLead.objects.exists()


def test_next_car_without_timeframe_shows_error_and_creates_nothing(logged_in, cooper_s):
    response = logged_in.post(
        reverse("community:next_car"), {"car_models": [cooper_s.pk], "message": "Electric?"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["timeframe"] == ["Choose when you might change."]
    assert "Electric?" in response.content.decode()
    assert not SalesLead.objects.exists()


def test_profile_edit_and_garage_link_to_next_car(logged_in):
    url = reverse("community:next_car")
    for page in ("community:profile_edit", "community:garage"):
        html = logged_in.get(reverse(page)).content.decode()
        assert f'href="{url}">Thinking about your next car?</a>' in html, page
