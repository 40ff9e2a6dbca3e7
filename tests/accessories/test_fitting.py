"""accessories_fitting(cars): model match and the car's year within the fitment's open range."""

import pytest

from accessories.selectors import accessories_fitting
from tests.factories import CarFactory, CarModelFactory, make_accessory

pytestmark = pytest.mark.django_db


@pytest.fixture
def countryman(db):
    return CarModelFactory(make="MINI", name="Countryman")


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_accessory_fitting_same_model_and_year_in_range_is_found(member, cooper_s):
    car = CarFactory(owner=member, car_model=cooper_s, year=2021)
    make_accessory("Roof rack", fits=[(cooper_s, 2014, 2023)])
    assert titles(accessories_fitting([car])) == {"Roof rack"}


def test_accessory_for_another_model_is_not_found(member, cooper_s, countryman):
    car = CarFactory(owner=member, car_model=cooper_s, year=2021)
    make_accessory("Tow bar", fits=[(countryman, None, None)])
    assert titles(accessories_fitting([car])) == set()


def test_accessory_whose_years_end_before_the_car_is_not_found(member, cooper_s):
    car = CarFactory(owner=member, car_model=cooper_s, year=2021)
    make_accessory("Old mats", fits=[(cooper_s, 2007, 2013)])
    assert titles(accessories_fitting([car])) == set()


def test_accessory_whose_years_start_after_the_car_is_not_found(member, cooper_s):
    car = CarFactory(owner=member, car_model=cooper_s, year=2021)
    make_accessory("New mats", fits=[(cooper_s, 2024, None)])
    assert titles(accessories_fitting([car])) == set()


def test_open_ended_years_fit_every_model_year(member, cooper_s):
    car = CarFactory(owner=member, car_model=cooper_s, year=2021)
    make_accessory("From 2014", fits=[(cooper_s, 2014, None)])
    make_accessory("Up to 2021", fits=[(cooper_s, None, 2021)])
    make_accessory("Any year", fits=[(cooper_s, None, None)])
    assert titles(accessories_fitting([car])) == {"From 2014", "Up to 2021", "Any year"}


def test_boundary_years_are_included(member, cooper_s):
    car = CarFactory(owner=member, car_model=cooper_s, year=2021)
    make_accessory("Exactly 2021", fits=[(cooper_s, 2021, 2021)])
    assert titles(accessories_fitting([car])) == {"Exactly 2021"}


def test_accessories_fitting_any_of_several_cars_are_found_once(member, cooper_s, countryman):
    cars = [
        CarFactory(owner=member, car_model=cooper_s, year=2021),
        CarFactory(owner=member, car_model=countryman, year=2018),
    ]
    make_accessory("Both", fits=[(cooper_s, None, None), (countryman, None, None)])
    make_accessory("Countryman only", fits=[(countryman, 2017, None)])
    result = accessories_fitting(cars)
    assert sorted(result.values_list("title", flat=True)) == ["Both", "Countryman only"]


def test_unpublished_accessory_is_not_found(member, cooper_s):
    car = CarFactory(owner=member, car_model=cooper_s, year=2021)
    accessory = make_accessory("Draft", fits=[(cooper_s, None, None)])
    accessory.unpublish()
    assert titles(accessories_fitting([car])) == set()


def test_no_cars_fit_nothing(cooper_s):
    make_accessory("Roof rack", fits=[(cooper_s, None, None)])
    assert titles(accessories_fitting([])) == set()
