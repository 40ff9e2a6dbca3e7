"""``/health/``: does this process reach the database, the cache (Redis) and the Celery broker?

200 with ``{"status": "ok", ...}`` when all three answer, 503 naming each one that does not. The
answer names the services and nothing else (no hosts, no error text: those go to the log), is never
cached, and each check is one round trip with a short timeout, so a load balancer may call it every
few seconds.

It asks Redis itself even while the rest of the process is carrying on without it (the cache's
circuit breaker, paddock/cache.py), so it says 200 again as soon as Redis is back; and since no
middleware needs Redis, it always answers with JSON.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from paddock.celery import app

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    probe = getattr(cache, "probe", None)
    if probe is not None:  # paddock.cache: asks Redis itself, never the breaker's last verdict
        probe()
        return
    key = f"paddock:health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def check_broker() -> None:
    timeout = settings.PADDOCK_HEALTH_TIMEOUT
    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


@never_cache
@require_safe
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check: %s is not answering", name)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
