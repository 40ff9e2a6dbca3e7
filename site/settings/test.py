"""Settings for the test suite (pytest uses them through pyproject.toml).

With CI=true the suite runs on PostgreSQL and Redis; locally it uses them when DATABASE_URL and
REDIS_URL are given (``make test`` gives both) and falls back to SQLite and memory otherwise.
"""

import os

from .base import *  # noqa: F403
from .base import CACHES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "community.texts.backends.locmem.LocmemBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": {"BACKEND": "community.models.posts.PhotoStorage"},
}
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/paddock-test-media")
WAGTAILADMIN_BASE_URL = "http://testserver"
# Each test run gets its own cache namespace so parallel runs on one Redis do not collide.
for _cache in CACHES.values():
    _cache["KEY_PREFIX"] = f"paddock-test-{os.getpid()}"
# Cached pages would leak between tests; tests/performance/ turns the page cache on where it tests it.
PADDOCK_PAGE_CACHE_SECONDS = 0
# Texts: no quiet hours unless a test turns them on (the ``quiet_hours`` fixture of
# tests/community/texts/), so the suite's texts go at whatever hour it runs.
PADDOCK_TEXT_QUIET_FROM = PADDOCK_TEXT_QUIET_UNTIL = 0
# Maps draw without tiles in tests: the suite never reaches a tile server.
PADDOCK_MAP_TILES = ""
