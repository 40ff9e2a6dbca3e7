"""Accessory index, accessory and showcase pages: tree rules, what they show, "fits your car"."""

import pytest
from django.test import Client
from wagtail.test.utils import WagtailTestUtils

from accessories.models import (
    AccessoryIndexPage,
    AccessoryOnDisplay,
    AccessoryPage,
    FeaturedAccessory,
    RelatedAccessory,
    ShowcaseItem,
    ShowcasePage,
)
from community.models import HomePage
from tests.factories import (
    CarFactory,
    CarModelFactory,
    accessory_index,
    make_accessory,
    make_event,
)

pytestmark = pytest.mark.django_db


def logged_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def countryman(db):
    return CarModelFactory(make="MINI", name="Countryman")


# --- Tree rules -----------------------------------------------------------------------------


class TestTreeRules(WagtailTestUtils):
    def test_index_lives_under_the_home_page_once(self):
        assert AccessoryIndexPage.parent_page_types == ["community.HomePage"]
        assert AccessoryIndexPage.max_count == 1

    def test_index_holds_accessories_and_showcases(self):
        assert set(AccessoryIndexPage.subpage_types) == {
            "accessories.AccessoryPage",
            "accessories.ShowcasePage",
        }

    def test_accessories_and_showcases_live_under_the_index_and_have_no_children(self):
        for model in (AccessoryPage, ShowcasePage):
            assert model.parent_page_types == ["accessories.AccessoryIndexPage"]
            assert model.subpage_types == []


# --- The index -------------------------------------------------------------------------------


def test_index_lists_live_accessories_with_price_and_stock(client, cooper_s):
    make_accessory("Roof spoiler", price="349.00", fits=[(cooper_s, 2014, None)])
    make_accessory("Roof box", price=None, stock_status="to_order")
    draft = make_accessory("Secret prototype")
    draft.unpublish()
    response = client.get(accessory_index().url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Roof spoiler" in html and "£349" in html
    assert "Roof box" in html and "Ask us for a price" in html and "Available to order" in html
    assert "Secret prototype" not in html


def test_index_filter_fits_mine_shows_only_what_fits_the_members_cars(member, cooper_s, countryman):
    CarFactory(owner=member, car_model=cooper_s, year=2021)
    make_accessory("Roof spoiler", fits=[(cooper_s, 2014, 2024)])
    make_accessory("Tow bar", fits=[(countryman, None, None)])
    make_accessory("Old mats", fits=[(cooper_s, 2002, 2013)])
    response = logged_in(member).get(accessory_index().url, {"fits": "mine"})
    html = response.content.decode()
    assert "Roof spoiler" in html
    assert "Tow bar" not in html and "Old mats" not in html
    assert "Fits your 2021 Cooper S" in html


def test_index_filter_one_car_of_several(member, cooper_s, countryman):
    CarFactory(owner=member, car_model=cooper_s, year=2021)
    countryman_car = CarFactory(owner=member, car_model=countryman, year=2018)
    make_accessory("Roof spoiler", fits=[(cooper_s, None, None)])
    make_accessory("Tow bar", fits=[(countryman, None, None)])
    html = (
        logged_in(member)
        .get(accessory_index().url, {"fits": f"car-{countryman_car.pk}"})
        .content.decode()
    )
    assert "Tow bar" in html and "Roof spoiler" not in html


def test_index_filter_on_someone_elses_car_is_ignored(member, cooper_s, countryman):
    CarFactory(owner=member, car_model=cooper_s, year=2021)
    stranger_car = CarFactory(car_model=countryman, year=2018)
    make_accessory("Roof spoiler", fits=[(cooper_s, None, None)])
    make_accessory("Tow bar", fits=[(countryman, None, None)])
    html = (
        logged_in(member)
        .get(accessory_index().url, {"fits": f"car-{stranger_car.pk}"})
        .content.decode()
    )
    assert "Tow bar" in html and "Roof spoiler" in html  # unfiltered: all accessories


def test_index_filter_by_model_works_for_visitors(client, cooper_s, countryman):
    make_accessory("Roof spoiler", fits=[(cooper_s, None, None)])
    make_accessory("Tow bar", fits=[(countryman, None, None)])
    html = client.get(accessory_index().url, {"model": countryman.pk}).content.decode()
    assert "Tow bar" in html and "Roof spoiler" not in html


def test_index_available_now_hides_out_of_stock(client):
    make_accessory("Umbrella", stock_status="out")
    make_accessory("Gloves")
    html = client.get(accessory_index().url, {"in_stock": "1"}).content.decode()
    assert "Gloves" in html and "Umbrella" not in html


def test_index_offers_visitors_a_login_for_the_fits_filter(client, cooper_s):
    make_accessory("Roof spoiler", fits=[(cooper_s, None, None)])
    html = client.get(accessory_index().url).content.decode()
    assert 'name="fits"' not in html
    assert "to see what fits the cars in your garage" in html


def test_index_lists_showcases_when_not_filtering(client):
    item = make_accessory("Frost cover")
    showcase = ShowcasePage(title="Winter kit", slug="winter-kit", introduction="Warm.")
    showcase.items.add(ShowcaseItem(accessory=item))
    accessory_index().add_child(instance=showcase)
    assert "Winter kit" in client.get(accessory_index().url).content.decode()
    assert "Winter kit" not in (
        client.get(accessory_index().url, {"in_stock": "1"}).content.decode()
    )


# --- One accessory ---------------------------------------------------------------------------


def test_accessory_page_says_it_fits_the_members_car(member, cooper_s):
    CarFactory(owner=member, car_model=cooper_s, year=2021)
    accessory = make_accessory("Roof spoiler", fits=[(cooper_s, 2014, 2024)])
    html = logged_in(member).get(accessory.url).content.decode()
    assert "Fits your 2021 Cooper S" in html
    assert "2014–2024" in html


def test_accessory_page_says_when_it_is_not_listed_for_the_members_car(member, cooper_s):
    CarFactory(owner=member, car_model=cooper_s, year=2010)
    accessory = make_accessory("Roof spoiler", fits=[(cooper_s, 2014, 2024)])
    html = logged_in(member).get(accessory.url).content.decode()
    assert "Fits your" not in html
    assert "Not listed for your 2010 Cooper S" in html


def test_accessory_page_shows_gallery_description_and_related(client):
    from tests.factories import make_image

    other = make_accessory("Mirror caps")
    accessory = make_accessory(
        "Roof spoiler",
        images=[make_image("Spoiler front"), make_image("Spoiler side")],
        description=[("paragraph", "<p>Made for the hatch.</p>")],
    )
    RelatedAccessory.objects.create(page=accessory, accessory=other)
    html = client.get(accessory.url).content.decode()
    assert html.count("fill-960x720") >= 2
    assert "Made for the hatch." in html
    assert "Goes well with" in html and "Mirror caps" in html


def test_accessory_page_names_the_upcoming_event_it_is_on_display_at(client):
    accessory = make_accessory("Roof spoiler")
    event = make_event("Cars & Coffee on the Quay")
    past = make_event("Last year's show", days_ahead=-30)
    AccessoryOnDisplay.objects.create(event=event, accessory=accessory, note="On the demo car")
    AccessoryOnDisplay.objects.create(event=past, accessory=accessory)
    html = client.get(accessory.url).content.decode()
    assert "Cars &amp; Coffee on the Quay" in html and "On the demo car" in html
    assert "Last year&#x27;s show" not in html and "Last year's show" not in html


def test_event_page_lists_accessories_on_display(client):
    accessory = make_accessory("Roof spoiler")
    event = make_event()
    AccessoryOnDisplay.objects.create(event=event, accessory=accessory)
    html = client.get(event.url).content.decode()
    assert "On display at this event" in html and "Roof spoiler" in html


def test_home_page_shows_featured_accessories_in_order(client):
    first, second = make_accessory("Frost cover"), make_accessory("Roof box")
    home = HomePage.objects.get(depth=2)
    FeaturedAccessory.objects.create(home=home, accessory=second, sort_order=0)
    FeaturedAccessory.objects.create(home=home, accessory=first, sort_order=1)
    html = client.get("/").content.decode()
    assert "Featured accessories" in html
    assert html.index("Roof box") < html.index("Frost cover")


# --- Showcases -------------------------------------------------------------------------------


def test_showcase_lists_its_live_accessories_in_order_with_notes(client):
    first, second, hidden = (
        make_accessory("Frost cover"),
        make_accessory("Floor mats"),
        make_accessory("Withdrawn"),
    )
    hidden.unpublish()
    showcase = ShowcasePage(title="Winter kit", slug="winter-kit")
    showcase.items.add(ShowcaseItem(accessory=second, note="Mud stays put.", sort_order=0))
    showcase.items.add(ShowcaseItem(accessory=first, sort_order=1))
    showcase.items.add(ShowcaseItem(accessory=hidden, sort_order=2))
    accessory_index().add_child(instance=showcase)
    html = client.get(showcase.url).content.decode()
    assert html.index("Floor mats") < html.index("Frost cover")
    assert "Mud stays put." in html
    assert "Withdrawn" not in html


def test_reserve_button_shows_only_when_an_event_is_coming_up(client):
    accessory = make_accessory("Roof spoiler")
    assert "Reserve for pick-up" not in client.get(accessory.url).content.decode()
    make_event("Cars & Coffee")
    assert "Reserve for pick-up" in client.get(accessory.url).content.decode()


def test_reserve_button_is_hidden_when_out_of_stock(client):
    accessory = make_accessory("Umbrella", stock_status="out")
    make_event("Cars & Coffee")
    assert "Reserve for pick-up" not in client.get(accessory.url).content.decode()
