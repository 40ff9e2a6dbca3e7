"""/health/ answers 200 when the database, the cache (Redis) and the Celery broker answer, and 503
naming whichever does not, without giving away where they are."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.redis
def test_health_is_ok_when_database_cache_and_broker_answer(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_health_is_never_cached(client):
    response = client.get("/health/")
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_refuses_post(client):
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db
def test_health_names_the_cache_when_redis_does_not_answer(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["cache"] == "unavailable"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_health_names_the_broker_when_it_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_REDIS
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"
    assert response.json()["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_health_failure_gives_away_no_address_or_error_text(client, settings):
    settings.CELERY_BROKER_URL = "redis://:hunter2-secret@127.0.0.1:1/0"
    body = client.get("/health/").content.decode()
    assert "hunter2" not in body and "127.0.0.1" not in body and "Error" not in body


def test_health_names_the_database_when_postgresql_does_not_answer():
    """A process whose DATABASE_URL points at a closed port (a fresh one: the test's own database
    connection is never touched)."""
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/health/'); print(json.dumps([r.status_code, r.json()]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "paddock.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/paddock",
    }
    env.pop("REDIS_URL", None)  # memory cache and broker: only the database is down
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["checks"] == {"database": "unavailable", "cache": "ok", "broker": "ok"}
