"""Editors preview accessories and showcases in the admin, unsaved fitments and items included."""

from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.factories import CarModelFactory, StaffFactory, accessory_index, make_accessory


class AccessoryPreviewTests(WagtailPageTestCase):
    def setUp(self):
        self.staff = StaffFactory()
        self.client.force_login(self.staff)
        self.cooper_s = CarModelFactory(make="MINI", name="Cooper S")
        self.accessory = make_accessory("Roof spoiler", fits=[(self.cooper_s, 2014, 2024)])

    def test_preview_shows_an_unsaved_fitment(self):
        countryman = CarModelFactory(make="MINI", name="Countryman")
        data = nested_form_data(
            {
                "title": "Roof spoiler",
                "slug": self.accessory.slug,
                "part_number": self.accessory.part_number,
                "price": "349.00",
                "stock_status": "in_stock",
                "fitments": inline_formset(
                    [{"car_model": countryman.pk, "year_from": "2017", "year_to": ""}]
                ),
                "gallery_images": inline_formset([]),
                "related_links": inline_formset([]),
                "description": streamfield([]),
            }
        )
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[self.accessory.pk])
        self.assertEqual(self.client.post(url, data).status_code, 200)
        html = self.client.get(url).content.decode()
        self.assertIn("MINI Countryman", html)
        self.assertIn("2017 on", html)

    def test_new_showcase_is_previewable_before_it_is_saved(self):
        index = accessory_index()
        data = nested_form_data(
            {
                "title": "Winter kit",
                "slug": "winter-kit",
                "introduction": "Warm.",
                "items": inline_formset([{"accessory": self.accessory.pk, "note": "Frost!"}]),
                "body": streamfield([]),
            }
        )
        url = reverse(
            "wagtailadmin_pages:preview_on_add", args=["accessories", "showcasepage", index.pk]
        )
        self.assertEqual(self.client.post(url, data).status_code, 200)
        html = self.client.get(url).content.decode()
        self.assertIn("Roof spoiler", html)
        self.assertIn("Frost!", html)
