"""A missing page shows the designed 404 page, under DEBUG (``make run``) as in production."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_missing_page_under_debug_shows_the_designed_404(client, debug):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_unmatched_address_under_debug_shows_the_designed_404(client, debug):
    # A name with a dot matches no URL pattern at all (Wagtail's page addresses end in a slash).
    response = client.get("/no-such-file.txt")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_missing_page_in_production_shows_the_designed_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_address_without_slash_under_debug_still_redirects(client, debug):
    response = client.get("/events")
    assert response.status_code == 301 and response["Location"] == "/events/"
