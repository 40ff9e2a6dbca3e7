"""The full VIN goes to the member and to staff only: no public page kind that shows a car
carries it."""

import pytest
from django.urls import reverse

from community.models import Member
from tests.factories import CarFactory, MemberFactory

pytestmark = pytest.mark.django_db

VIN = "WMWXU7C52K2F12345"


@pytest.fixture
def car(cooper_s):
    owner = MemberFactory(profile_visibility=Member.Visibility.PUBLIC, show_garage=True)
    return CarFactory(
        owner=owner, car_model=cooper_s, nickname="Pepper", vin=VIN, photo="garage/x/pepper.jpg"
    )


def test_home_page_garage_shows_car_without_vin(client, car):
    html = client.get("/").content.decode()
    assert "Pepper" in html and VIN not in html


def test_profile_shows_car_to_visitors_without_vin(client, car):
    html = client.get(car.owner.get_absolute_url()).content.decode()
    assert "Pepper" in html and VIN not in html


def test_profile_shows_car_to_other_members_without_vin(client, member, car):
    client.force_login(member)
    html = client.get(car.owner.get_absolute_url()).content.decode()
    assert "Pepper" in html and VIN not in html


def test_profile_shows_vin_to_its_owner(client, car):
    client.force_login(car.owner)
    assert VIN in client.get(car.owner.get_absolute_url()).content.decode()


def test_garage_shows_vin_to_its_owner(client, car):
    client.force_login(car.owner)
    assert VIN in client.get(reverse("community:garage")).content.decode()
