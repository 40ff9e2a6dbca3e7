"""Wagtail pages of the community app: tree rules, rendering, editing, site settings."""

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from community.models import DealershipSettings, HomePage, StandardPage
from tests.factories import CarFactory, MemberFactory


class HomePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get(slug="home")
        site = Site.objects.get(is_default_site=True)
        DealershipSettings.objects.update_or_create(
            site=site,
            defaults={
                "name": "Harbourside MINI",
                "address": "1 Quay Road\nKingsbridge",
                "phone": "01548 000 000",
                "opening_hours": [
                    ("hours", {"days": "Monday to Friday", "hours": "8:30 to 18:00"})
                ],
            },
        )

    def test_home_page_is_the_site_root(self):
        self.assertEqual(Site.objects.get(is_default_site=True).root_page.specific, self.home)

    def test_home_page_only_sits_at_the_top_of_the_tree(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_page_can_go_under_home(self):
        self.assertCanCreateAt(HomePage, StandardPage)

    def test_home_page_renders(self):
        self.assertPageIsRenderable(self.home)

    def test_home_page_shows_dealership_address_and_hours(self):
        html = self.client.get("/").content.decode()
        self.assertIn("1 Quay Road", html)
        self.assertIn("Monday to Friday", html)
        self.assertIn("Harbourside MINI", html)

    def test_home_page_shows_public_garage_cars_only(self):
        public = MemberFactory(profile_visibility="public")
        hidden = MemberFactory(profile_visibility="public", show_garage=False)
        CarFactory(owner=public, nickname="Shown", photo="garage/x/shown.jpg")
        CarFactory(owner=hidden, nickname="Hidden", photo="garage/x/hidden.jpg")
        html = self.client.get("/").content.decode()
        self.assertIn("Shown", html)
        self.assertNotIn("Hidden", html)

    def test_home_page_is_editable(self):
        self.assertPageIsEditable(
            self.home,
            nested_form_data(
                {
                    "title": "Home",
                    "slug": "home",
                    "hero_heading": "Welcome to the club",
                    "hero_cta_label": "Join",
                    "body": streamfield([("quote", {"text": "Great drive", "attribution": "Sam"})]),
                }
            ),
        )

    def test_standard_page_can_be_created_in_admin(self):
        self.login()
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "House rules",
                    "slug": "house-rules",
                    "introduction": "Be kind.",
                    "body": streamfield(
                        [("paragraph", rich_text("<p>No burnouts in the car park.</p>"))]
                    ),
                }
            ),
        )

    def test_standard_page_renders_body(self):
        page = StandardPage(title="Privacy", slug="privacy", introduction="What we keep.")
        self.home.add_child(instance=page)
        self.assertIn("What we keep.", self.client.get(page.url).content.decode())


class ThemeTests(WagtailPageTestCase):
    def test_theme_css_uses_dealership_brand_colour(self):
        site = Site.objects.get(is_default_site=True)
        DealershipSettings.objects.update_or_create(site=site, defaults={"brand_colour": "#123456"})
        css = self.client.get("/theme.css").content.decode()
        self.assertIn("--brand: #123456;", css)

    def test_theme_css_picks_dark_text_on_light_accent(self):
        site = Site.objects.get(is_default_site=True)
        DealershipSettings.objects.update_or_create(
            site=site, defaults={"accent_colour": "#ffe066"}
        )
        css = self.client.get("/theme.css").content.decode()
        self.assertIn("--accent-ink: #1b1b1b;", css)


def test_dealership_settings_refuse_brand_colour_too_light_for_links(db):
    import pytest
    from django.core.exceptions import ValidationError

    settings = DealershipSettings(
        site=Site.objects.get(is_default_site=True), brand_colour="#f2f2a0"
    )
    with pytest.raises(ValidationError, match="darker shade"):
        settings.full_clean()
