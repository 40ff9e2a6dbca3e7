"""Production refuses insecure settings, naming each; a good production environment passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_PRODUCTION_ENV = {
    "PADDOCK_ENV": "production",
    "SECRET_KEY": "k3J9x!vQ2m#Lp8Zr4Wt6Yb1Nc5Hd7Fg0Sa2Ue4Io6Pl8Kj0Mn2Bv4Cx6Za8Qw0Er",
    "ALLOWED_HOSTS": "club.example.com",
    "SITE_URL": "https://club.example.com",
    "DATABASE_URL": "postgres://paddock@db.example.com:5432/paddock",
    "REDIS_URL": "redis://cache.example.com:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in GOOD_PRODUCTION_ENV and k != "DJANGO_SETTINGS_MODULE"
    }
    for inherited in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "PADDOCK_ENV", "CI"):
        clean.pop(inherited, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_with_good_settings_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **GOOD_PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"DEBUG": "1"}, "DEBUG must be off"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too weak"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"SITE_URL": "http://club.example.com"}, "SITE_URL must be the site's https:// address"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "DATABASE_URL must point at PostgreSQL"),
        ({"REDIS_URL": ""}, "REDIS_URL is missing"),
        ({"EMAIL_URL": ""}, "EMAIL_URL is missing"),
    ],
)
def test_production_refuses_to_start_naming_the_insecure_setting(override, named):
    env = {**GOOD_PRODUCTION_ENV, **override}
    env = {k: v for k, v in env.items() if v != ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert named in result.stderr


def test_production_without_secret_key_uses_no_default():
    env = {k: v for k, v in GOOD_PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert "SECRET_KEY is missing" in result.stderr


def test_local_run_starts_with_safe_defaults():
    result = manage("check", PADDOCK_ENV="dev")
    assert result.returncode == 0, result.stderr
