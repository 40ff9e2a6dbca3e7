"""The site with Redis unreachable (a Redis URL on a closed port, tests/conftest.py `redis_away`):
pages render uncached, members sign in and RSVP, login throttling counts in process memory, and
/health/ answers 503 with JSON naming the cache."""

import pytest
from django.urls import reverse

from events.models import Rsvp
from paddock.page_cache import HIT_HEADER
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py
TOO_MANY = "Too many failed login attempts"


def site_login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def page_cache(settings):
    settings.PADDOCK_PAGE_CACHE_SECONDS = 60


@pytest.mark.parametrize("path", ["/", "/community/"])
def test_visitor_page_while_redis_is_away_renders_uncached(client, redis_away, page_cache, path):
    make_event("Cars & Coffee")
    first, second = client.get(path), client.get(path)
    assert (first.status_code, second.status_code) == (200, 200)
    assert HIT_HEADER not in first and HIT_HEADER not in second


def test_event_page_while_redis_is_away_shows_the_event(client, redis_away, page_cache):
    event = make_event("Cars & Coffee on the Quay")
    response = client.get(event.url)
    assert response.status_code == 200
    assert "Cars &amp; Coffee on the Quay" in response.content.decode()


def test_sign_in_while_redis_is_away_signs_the_member_in(client, redis_away, member):
    response = site_login(client, member.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_signed_in_member_while_redis_is_away_keeps_the_session(client, redis_away, member):
    client.force_login(member)
    response = client.get(reverse("community:garage"))
    assert response.status_code == 200


def test_rsvp_while_redis_is_away_is_stored(client, redis_away, member):
    event = make_event(capacity=10)
    client.force_login(member)
    response = client.post(reverse("events:rsvp", args=[event.pk]), {"answer": "going"})
    assert response.status_code == 302
    assert Rsvp.objects.get(event=event, member=member).state == Rsvp.State.CONFIRMED


def test_login_throttling_while_redis_is_away_still_refuses_after_five_wrong_passwords(
    client, redis_away, member
):
    for _ in range(5):
        site_login(client, member.email, "wrong-guess")
    response = site_login(client, member.email, PASSWORD)
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


def test_login_throttling_while_redis_is_away_locks_out_nobody_else(client, redis_away, member):
    other = MemberFactory()
    for _ in range(5):
        site_login(client, member.email, "wrong-guess")
    site_login(client, other.email, PASSWORD)
    assert logged_in(client)


def test_health_while_redis_is_away_answers_503_naming_the_cache(client, redis_away, settings):
    settings.CELERY_BROKER_URL = settings.CACHES["default"]["LOCATION"]  # the same closed port
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "unavailable", "broker": "unavailable"},
    }
