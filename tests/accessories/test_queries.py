"""The accessory listing, an accessory's page and a showcase run as many SQL queries for 2 accessories
(with their fitments, models and photos) as for 10 with more of each.

Each test renders once, grows the data, renders once more to make the new images' renditions, and
then counts the queries of one more render. A failure lists the queries that grew.
"""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accessories.models import RelatedAccessory, ShowcaseItem, ShowcasePage
from tests.factories import (
    CarFactory,
    CarModelFactory,
    accessory_index,
    make_accessory,
    make_image,
)

pytestmark = pytest.mark.django_db


class Catalogue:
    def __init__(self, member):
        self.models = []
        self.accessories = []
        self.member = member
        self.add_models(2)
        CarFactory(owner=member, car_model=self.models[0], year=2021)
        CarFactory(owner=member, car_model=self.models[1], year=2018)

    def add_models(self, count):
        start = len(self.models)
        self.models += [
            CarModelFactory(make="MINI", name=f"Model {start + n}") for n in range(count)
        ]

    def add_accessories(self, count, *, images: int):
        for n in range(count):
            number = len(self.accessories)
            fits = [(model, 2014 + n % 3, None) for model in self.models]
            photos = [make_image(f"Photo {number}-{i}") for i in range(images)]
            self.accessories.append(make_accessory(f"Accessory {number}", fits=fits, images=photos))


def shape(sql: str) -> str:
    return re.sub(r"\d+", "N", sql)


def queries(client, url, **params) -> list[str]:
    client.get(url, params)  # makes any missing renditions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [shape(q["sql"]) for q in captured.captured_queries]


def assert_same(small: list[str], big: list[str]) -> None:
    grown = Counter(big) - Counter(small)
    assert len(big) == len(small), f"{len(small)} vs {len(big)} queries; grew: {list(grown)}"


@pytest.fixture
def logged_in(member):
    client = Client()
    client.force_login(member)
    return client


def test_listing_queries_do_not_grow_with_accessories_models_or_images(member, logged_in):
    catalogue = Catalogue(member)
    catalogue.add_accessories(2, images=1)
    url = accessory_index().url
    small = queries(logged_in, url)
    small_filtered = queries(logged_in, url, fits="mine")
    catalogue.add_models(4)
    catalogue.add_accessories(8, images=3)
    assert_same(small, queries(logged_in, url))
    assert_same(small_filtered, queries(logged_in, url, fits="mine"))


def test_accessory_page_queries_do_not_grow_with_models_images_or_related(member, logged_in):
    catalogue = Catalogue(member)
    catalogue.add_accessories(2, images=1)
    accessory = catalogue.accessories[0]
    RelatedAccessory.objects.create(page=accessory, accessory=catalogue.accessories[1])
    small = queries(logged_in, accessory.url)
    catalogue.add_models(4)
    catalogue.add_accessories(8, images=3)
    for n, other in enumerate(catalogue.accessories[2:]):
        RelatedAccessory.objects.create(page=accessory, accessory=other, sort_order=n + 1)
    for n in range(4):
        accessory.gallery_images.model.objects.create(
            page=accessory, image=make_image(f"Extra {n}"), sort_order=n + 1
        )
    for model in catalogue.models[2:]:
        accessory.fitments.model.objects.create(page=accessory, car_model=model)
    assert_same(small, queries(logged_in, accessory.url))


def test_showcase_queries_do_not_grow_with_its_accessories(member, logged_in):
    catalogue = Catalogue(member)
    catalogue.add_accessories(2, images=1)
    showcase = ShowcasePage(title="Winter kit", slug="winter-kit")
    accessory_index().add_child(instance=showcase)
    for n, accessory in enumerate(catalogue.accessories):
        ShowcaseItem.objects.create(page=showcase, accessory=accessory, sort_order=n)
    small = queries(logged_in, showcase.url)
    catalogue.add_models(4)
    catalogue.add_accessories(8, images=3)
    for n, accessory in enumerate(catalogue.accessories[2:]):
        ShowcaseItem.objects.create(page=showcase, accessory=accessory, sort_order=n + 2)
    assert_same(small, queries(logged_in, showcase.url))
