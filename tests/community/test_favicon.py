"""The browser tab shows the showroom's mark; /favicon.ico no longer answers 404."""

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_svg_carries_the_showrooms_brand_colour(client):
    from wagtail.models import Site

    from community.models import DealershipSettings

    dealership = DealershipSettings.for_site(Site.objects.get(is_default_site=True))
    dealership.brand_colour = "#0f3b5f"
    dealership.save()
    response = client.get("/favicon.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert 'fill="#0f3b5f"' in response.content.decode()


def test_favicon_ico_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/favicon.svg"


def test_pages_link_the_icon(client):
    assert '<link rel="icon" href="/favicon.svg"' in client.get("/").content.decode()
