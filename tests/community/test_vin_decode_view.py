"""POST /garage/vin/: what a VIN says, for the garage form's offer; signed-in members only."""

import pytest
from django.urls import reverse

from tests.factories import CarModelFactory

pytestmark = pytest.mark.django_db

URL = reverse("community:car_vin_decode")


def test_vin_decode_view_sends_visitors_to_sign_in(client):
    response = client.post(URL, {"vin": "WMWXU7C52K2F12345"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_vin_decode_view_matches_make_to_catalogue_models(client, member, cooper_s):
    CarModelFactory(make="BMW", name="i4")
    client.force_login(member)
    data = client.post(URL, {"vin": "wmwxu7c52k2f12345"}).json()
    assert (data["make"], data["country"], data["years"][0], data["check_digit"]) == (
        "MINI",
        "Germany",
        2019,
        "not_used",
    )
    assert data["car_models"] == [cooper_s.pk]


def test_vin_decode_view_reports_wrong_check_digit_as_problem(client, member):
    client.force_login(member)
    data = client.post(URL, {"vin": "1HGCM82643A004352"}).json()
    assert data["check_digit"] == "invalid"
    assert data["problem"] == (
        "The 9th character should be 3 for this VIN: check for a mistyped character."
    )


def test_vin_decode_view_answers_400_with_coded_message_for_malformed_vin(client, member):
    client.force_login(member)
    response = client.post(URL, {"vin": "WMWXU7C52K2F1234"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "A VIN has exactly 17 characters; this one has 16.",
        "code": "vin_length",
    }


def test_vin_decode_view_is_never_cached(client, member):
    client.force_login(member)
    response = client.post(URL, {"vin": "WMWXU7C52K2F12345"})
    assert "no-store" in response["Cache-Control"]


def test_vin_decode_view_refuses_vin_in_the_address(client, member):
    client.force_login(member)
    assert client.get(URL, {"vin": "WMWXU7C52K2F12345"}).status_code == 405
