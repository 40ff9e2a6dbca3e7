"""The production set-up: settings built from the environment (database connections, Redis for
cache and sessions, media on the filesystem or S3), the Procfile, systemd units and gunicorn
config, and `make prod-check`."""

import json
import os
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.paddock.test_settings import GOOD_PRODUCTION_ENV, manage

ROOT = Path(__file__).resolve().parents[2]
S3_ENV = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "paddock-media"}

SHOW_SETTINGS = """
import json
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from community.models import PostPhoto
photos = PostPhoto._meta.get_field("image").storage
print(json.dumps({
    "default_storage": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "default_bucket": getattr(default_storage, "bucket_name", None),
    "default_querystring_auth": getattr(default_storage, "querystring_auth", None),
    "photo_storage": type(photos).__module__ + "." + type(photos).__name__,
    "photo_bucket": getattr(photos, "bucket_name", None),
    "photo_location": getattr(photos, "location", None),
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "img_src": settings.PADDOCK_CSP["img-src"],
    "database": {k: v for k, v in settings.DATABASES["default"].items() if k in
                 ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS")},
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_options": settings.CACHES["default"].get("OPTIONS", {}),
    "session_engine": settings.SESSION_ENGINE,
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
}))
"""


def production_settings(**env) -> dict:
    result = manage("shell", "-c", SHOW_SETTINGS, **{**GOOD_PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def filesystem_settings():
    return production_settings()


@pytest.fixture(scope="module")
def s3_settings():
    return production_settings(
        **S3_ENV, AWS_S3_ENDPOINT_URL="https://objects.example.com", AWS_S3_REGION_NAME="eu"
    )


def test_production_keeps_media_on_the_filesystem_by_default(filesystem_settings):
    assert filesystem_settings["default_storage"].endswith("FileSystemStorage")
    assert filesystem_settings["photo_storage"] == "community.models.posts.PhotoStorage"


def test_production_serves_static_files_hashed_and_compressed(filesystem_settings):
    assert filesystem_settings["staticfiles"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_production_with_s3_keeps_media_in_the_bucket_with_plain_urls(s3_settings):
    assert s3_settings["default_storage"] == "paddock.storage.MediaStorage"
    assert s3_settings["default_bucket"] == "paddock-media"
    assert s3_settings["default_querystring_auth"] is False


def test_production_with_s3_keeps_member_photos_under_a_private_prefix(s3_settings):
    assert s3_settings["photo_storage"] == "paddock.storage.PrivatePhotoStorage"
    assert s3_settings["photo_bucket"] == "paddock-media"
    assert s3_settings["photo_location"] == "private/photos"


def test_production_with_s3_allows_images_from_the_bucket_in_the_csp(s3_settings):
    assert "https://objects.example.com" in s3_settings["img_src"]


def test_production_photo_bucket_can_be_a_separate_private_bucket():
    shown = production_settings(**S3_ENV, PADDOCK_PHOTO_BUCKET="paddock-private")
    assert (shown["default_bucket"], shown["photo_bucket"]) == ("paddock-media", "paddock-private")


def test_production_keeps_database_connections_open_and_checked(filesystem_settings):
    database = filesystem_settings["database"]
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in database["OPTIONS"]


def test_production_with_db_pool_uses_psycopgs_pool():
    database = production_settings(DB_POOL="1", DB_POOL_MAX_SIZE="8")["database"]
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["pool"]["max_size"] == 8


def test_production_keeps_cache_and_broker_in_redis(filesystem_settings):
    assert filesystem_settings["cache"] == "paddock.cache.ResilientRedisCache"
    assert filesystem_settings["broker"] == GOOD_PRODUCTION_ENV["REDIS_URL"]
    assert filesystem_settings["eager"] is False


def test_production_gives_redis_one_second_and_a_circuit_breaker(filesystem_settings):
    options = filesystem_settings["cache_options"]
    assert options["SOCKET_CONNECT_TIMEOUT"] == options["SOCKET_TIMEOUT"] == 1
    assert options["CIRCUIT_RETRY_SECONDS"] == 2


def test_production_keeps_sessions_in_postgresql_alone(filesystem_settings):
    assert filesystem_settings["session_engine"] == "paddock.sessions"


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be filesystem or s3"),
        ({"MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME is missing"),
        ({"DB_POOL": "1", "DB_CONN_MAX_AGE": "60"}, "DB_POOL and DB_CONN_MAX_AGE exclude"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0"),
    ],
)
def test_production_refuses_inconsistent_deploy_settings(override, named):
    result = manage("check", **{**GOOD_PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert named in result.stderr


def test_production_with_s3_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **GOOD_PRODUCTION_ENV, **S3_ENV)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is part of the documented set-up")
def test_make_prod_check_passes():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")}
    result = subprocess.run(
        ["make", "prod-check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("System check identified no issues") == 2


def test_procfile_runs_web_worker_beat_and_mail_gateway():
    processes = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert processes["web"].startswith(
        "gunicorn paddock.wsgi --config site/deploy/gunicorn.conf.py"
    )
    assert processes["worker"].startswith("nice -n 10 celery -A paddock worker")
    assert processes["beat"].startswith("celery -A paddock beat")
    assert processes["mail"].startswith("python manage.py mail_gateway")
    assert processes["release"] == "python manage.py migrate --no-input"


def test_worker_runs_below_the_web_workers():
    text = (ROOT / "site/deploy/systemd/paddock-worker.service").read_text()
    assert "Nice=10" in text.splitlines()


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("paddock-web", "gunicorn paddock.wsgi --config site/deploy/gunicorn.conf.py"),
        ("paddock-worker", "celery -A paddock worker"),
        ("paddock-beat", "celery -A paddock beat"),
        ("paddock-mail", "manage.py mail_gateway"),
    ],
)
def test_systemd_unit_runs_its_process_with_the_shared_environment(unit, command):
    text = (ROOT / "site/deploy/systemd" / f"{unit}.service").read_text()
    assert "EnvironmentFile=/etc/paddock/paddock.env" in text
    assert "User=paddock" in text and "Restart=always" in text
    exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    assert command in exec_start


def test_gunicorn_config_takes_workers_and_bind_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9000")
    config = runpy.run_path(str(ROOT / "site/deploy/gunicorn.conf.py"))
    assert (config["workers"], config["bind"]) == (3, "127.0.0.1:9000")


def test_env_example_names_every_required_setting():
    example = (ROOT / "site/deploy/paddock.env.example").read_text()
    for name in GOOD_PRODUCTION_ENV:
        assert f"\n{name}=" in example, name
