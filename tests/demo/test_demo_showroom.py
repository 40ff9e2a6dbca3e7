"""``seed_demo --second-showroom HOST`` adds a second showroom with its own Site and branding."""

import pytest
from wagtail.models import Site

from community.models import DealershipSettings
from demo.seed import DemoContext, demo_site
from demo.steps.showroom import SHOWROOM, seed_second_showroom
from events.models import EventPage

pytestmark = pytest.mark.django_db


def _context() -> DemoContext:
    site, home = demo_site()
    return DemoContext(site=site, home=home)


def test_second_showroom_gets_its_own_site_branding_and_events(client):
    seed_second_showroom(_context(), "southbay.localhost")
    site = Site.objects.get(hostname="southbay.localhost")
    dealership = DealershipSettings.for_site(site)
    assert (dealership.name, dealership.from_email) == (SHOWROOM["name"], SHOWROOM["from_email"])
    assert EventPage.objects.descendant_of(site.root_page).count() == 2
    html = client.get("/events/", HTTP_HOST="southbay.localhost").content.decode()
    assert "Southbay evening drive" in html and "Southbay MINI" in html


def test_second_showroom_twice_adds_nothing():
    seed_second_showroom(_context(), "southbay.localhost")
    pages = EventPage.objects.count()
    seed_second_showroom(_context(), "southbay.localhost")
    assert Site.objects.filter(hostname="southbay.localhost").count() == 1
    assert EventPage.objects.count() == pages
