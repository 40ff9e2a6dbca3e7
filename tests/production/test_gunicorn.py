"""Paddock boots under gunicorn with the production settings and the site/deploy/ config, against the
machine's PostgreSQL and Redis, and answers /health/ with the production security headers."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.paddock.test_settings import GOOD_PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
HOST = GOOD_PRODUCTION_ENV["ALLOWED_HOSTS"]

# django_db: so the test database exists (gunicorn reaches it on its own connection).
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict) -> str:
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, tmp_path_factory):
    """One gunicorn for the module, on the test database (it only runs SELECT 1 there)."""
    from django.conf import settings
    from django.db import connection

    tmp_path = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "CI")
    }
    env.update(GOOD_PRODUCTION_ENV)
    env.update(
        {
            "DATABASE_URL": database_url(connection.settings_dict),
            "REDIS_URL": settings.CACHES["default"]["LOCATION"],
            "CACHE_KEY_PREFIX": f"paddock-gunicorn-test-{os.getpid()}",
            "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PADDOCK_PHOTO_ROOT": str(tmp_path / "photos"),
        }
    )
    command = [sys.executable, "-m", "gunicorn", "paddock.wsgi"]
    command += ["--config", "site/deploy/gunicorn.conf.py"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited: {process.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not listen within 60 s")
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def get(port: int, path: str, **headers) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": HOST, **headers})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_gunicorn_with_production_settings_answers_health(gunicorn):
    response = get(gunicorn, "/health/", **{"X-Forwarded-Proto": "https"})
    assert response.status == 200, response.body
    assert json.loads(response.body)["checks"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }


def test_gunicorn_with_production_settings_sends_hsts_and_csp(gunicorn):
    response = get(gunicorn, "/health/", **{"X-Forwarded-Proto": "https"})
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "script-src 'self';" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_gunicorn_with_production_settings_redirects_plain_http_but_not_health(gunicorn):
    assert get(gunicorn, "/health/").status == 200  # a load balancer's plain-http probe
    redirect = get(gunicorn, "/accounts/login/")
    assert redirect.status == 301
    assert redirect.getheader("Location") == f"https://{HOST}/accounts/login/"
