"""The configured services are the ones really used: PostgreSQL, Redis and an SMTP server."""

from uuid import uuid4

import pytest
from django.core import mail
from django.core.cache import cache, caches
from django.db import connection
from django.urls import reverse

PASSWORD = "correct-horse-battery"  # what MemberFactory sets


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql_under_ci():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()

    assert connection.vendor == "postgresql"
    assert version.startswith("PostgreSQL")


@pytest.mark.redis
def test_cache_is_redis():
    from django_redis import get_redis_connection
    from django_redis.cache import RedisCache

    key = f"test-services:{uuid4().hex}"
    try:
        cache.set(key, {"car": "MINI Cooper S"}, timeout=60)

        assert isinstance(caches["default"], RedisCache)
        assert cache.get(key) == {"car": "MINI Cooper S"}
        assert get_redis_connection("default").exists(cache.make_key(key)) == 1
    finally:
        cache.delete(key)


@pytest.fixture
def login_rate_limit_keys():
    """Clears allauth's login rate-limit history before and after the test (IP and per email)."""
    pattern = "allauth:rl:allauth.account:login*"
    cache.delete_pattern(pattern)
    yield pattern
    cache.delete_pattern(pattern)


@pytest.mark.redis
@pytest.mark.django_db
def test_login_rate_limit_uses_shared_cache(client, member, login_rate_limit_keys):
    from django_redis import get_redis_connection

    url = reverse("account_login")
    for _ in range(5):  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes for one email
        client.post(url, {"login": member.email, "password": "not-my-password"})

    response = client.post(url, {"login": member.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in str(response.context["form"].non_field_errors())
    assert "_auth_user_id" not in client.session
    raw_keys = get_redis_connection("default").keys(cache.make_key(login_rate_limit_keys))
    assert any(b":login_failed:" in key and b"/key:" in key for key in raw_keys)


def test_mail_arrives_at_smtp_listener(smtp_server):
    sent = mail.send_mail(
        "Your MINI is ready",
        "Collect it from the workshop after 3 pm.",
        "Paddock <community@paddock.localhost>",
        ["sam@example.com"],
    )

    received = smtp_server.wait_for_message(lambda m: m.subject == "Your MINI is ready")
    assert sent == 1
    assert mail.outbox == []  # went over SMTP, not to Django's in-memory outbox
    assert received.envelope_from == "community@paddock.localhost"
    assert received.envelope_to == ("sam@example.com",)
    assert received.message["To"] == "sam@example.com"
    assert "Collect it from the workshop after 3 pm." in received.text
