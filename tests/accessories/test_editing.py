"""Staff create and edit accessories in the Wagtail admin, place them on events and the home page."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from accessories.models import AccessoryOnDisplay, AccessoryPage, FeaturedAccessory
from tests.factories import accessory_index, make_accessory, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["accessories", "accessorypage", parent.pk])


def accessory_form(cooper_s, **overrides):
    data = {
        "title": "Roof spoiler",
        "slug": "roof-spoiler",
        "part_number": "51 62 2 465 951",
        "price": "349.00",
        "stock_status": "in_stock",
        "fitments": inline_formset(
            [{"car_model": cooper_s.pk, "year_from": "2014", "year_to": "2024"}]
        ),
        "gallery_images": inline_formset([]),
        "related_links": inline_formset([]),
        "description": streamfield([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_staff_publish_an_accessory_with_its_fitments(admin_client, cooper_s):
    response = admin_client.post(add_url(accessory_index()), accessory_form(cooper_s))
    assert response.status_code == 302
    accessory = AccessoryPage.objects.get(slug="roof-spoiler")
    assert accessory.live and str(accessory.price) == "349.00"
    [fitment] = accessory.fitments.all()
    assert (fitment.car_model, fitment.year_from, fitment.year_to) == (cooper_s, 2014, 2024)


def test_price_left_empty_means_ask(admin_client, cooper_s):
    admin_client.post(add_url(accessory_index()), accessory_form(cooper_s, price=""))
    assert AccessoryPage.objects.get(slug="roof-spoiler").price is None


def test_fitment_years_the_wrong_way_round_are_refused(admin_client, cooper_s):
    form = accessory_form(
        cooper_s,
        fitments=inline_formset(
            [{"car_model": cooper_s.pk, "year_from": "2024", "year_to": "2014"}]
        ),
    )
    response = admin_client.post(add_url(accessory_index()), form)
    assert response.status_code == 200
    assert "must not be before the first" in response.content.decode()
    assert not AccessoryPage.objects.filter(slug="roof-spoiler").exists()


def test_event_edit_form_places_an_accessory_on_display(admin_client):
    event = make_event()
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert "Accessories on display" in html
    accessory = make_accessory("Roof spoiler")
    AccessoryOnDisplay.objects.create(event=event, accessory=accessory)
    event.save_revision().publish()  # the relation survives a revision round-trip
    assert list(event.accessories_on_display.values_list("accessory", flat=True)) == [accessory.pk]


def test_home_edit_form_offers_featured_accessories(admin_client):
    from community.models import HomePage

    home = HomePage.objects.get(depth=2)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()
    assert "Featured accessories" in html
    accessory = make_accessory("Roof spoiler")
    FeaturedAccessory.objects.create(home=home, accessory=accessory)
    home.refresh_from_db()
    home.save_revision().publish()
    assert home.featured_accessories.get().accessory == accessory


def test_event_preview_shows_accessories_placed_before_saving(admin_client):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    event = make_event()
    accessory = make_accessory("Roof spoiler")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[event.pk])
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert "accessories_on_display-TOTAL_FORMS" in html
    data = nested_form_data(
        {
            "title": event.title,
            "slug": event.slug,
            "kind": event.kind,
            "status": event.status,
            "start": event.start.strftime("%Y-%m-%d %H:%M"),
            "end": event.end.strftime("%Y-%m-%d %H:%M"),
            "venue_name": event.venue_name,
            "body": streamfield([]),
            "audience": event.audience,
            "capacity": event.capacity,
            "guests_allowed": event.guests_allowed,
            "reminder_hours": event.reminder_hours,
            "run_groups": inline_formset([]),
            "accessories_on_display": inline_formset(
                [{"accessory": accessory.pk, "note": "On the demo car"}]
            ),
        }
    )
    response = admin_client.post(url, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    preview = admin_client.get(url).content.decode()
    assert "On display at this event" in preview and "On the demo car" in preview
