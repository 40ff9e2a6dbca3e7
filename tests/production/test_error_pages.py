"""Error pages look like the site and give nothing away: no traceback, no setting, no error text."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LEAKS = ("Traceback", "hunter2", "RuntimeError", "SECRET_KEY", "DATABASES", "urlpatterns", "DEBUG")


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.urls("tests.production.urls_error")
def test_server_error_page_gives_nothing_away(visitor):
    response = visitor.get("/fail/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert not [leak for leak in LEAKS if leak in html]


@pytest.mark.urls("tests.production.urls_error")
def test_server_error_page_uses_the_sites_stylesheet_and_header(visitor):
    html = visitor.get("/fail/").content.decode()
    assert "/static/css/paddock.css" in html and 'class="site-header"' in html


def test_not_found_page_has_the_site_chrome_and_gives_nothing_away(visitor, site_tree):
    response = visitor.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert not [leak for leak in LEAKS if leak in html]
    assert "Using the URLconf" not in html


def test_bad_request_page_for_an_unknown_host_gives_nothing_away(visitor, settings):
    settings.ALLOWED_HOSTS = ["club.example.com"]
    response = visitor.get("/", HTTP_HOST="attacker.example.net")
    assert response.status_code == 400
    html = response.content.decode()
    assert "We couldn't understand that request" in html
    assert "attacker.example.net" not in html and "ALLOWED_HOSTS" not in html


def test_forbidden_page_has_the_site_chrome(site_tree):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/secret/")
    request.user = AnonymousUser()
    response = permission_denied(request, exception=PermissionError("staff only: hunter2"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "You can't open this page" in html and 'class="site-header"' in html
    assert "hunter2" not in html


def test_too_many_requests_page_has_the_site_chrome(visitor, site_tree):
    from django.urls import reverse

    for _ in range(30):  # allauth's "login" limit: 30 attempts a minute per IP
        visitor.post(reverse("account_login"), {"login": "x@example.com", "password": "x"})
    response = visitor.post(reverse("account_login"), {"login": "x@example.com", "password": "x"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts" in html and 'class="site-header"' in html
