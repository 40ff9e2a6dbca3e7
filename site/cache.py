"""The Redis cache as a cache: when Redis is away, Paddock carries on without it.

``ResilientRedisCache`` is django-redis's ``RedisCache`` with three additions, so that no request
fails, and none waits long, because Redis is down or unreachable:

- **Misses instead of errors.** A read that cannot reach Redis is a miss, a write is dropped
  (``False``); whatever calls the cache then works from the source (PostgreSQL): pages render
  uncached, the request's Site and settings are looked up, rendition lookups hit the database.
- **A circuit breaker** (``paddock.breaker``): after one failure, the process stops asking Redis
  for ``CIRCUIT_RETRY_SECONDS`` (2 s), so an outage costs one failed attempt per process every
  2 s, not one per cache call; the socket timeouts (``SOCKET_CONNECT_TIMEOUT``/``SOCKET_TIMEOUT``,
  1 s in production) bound that attempt. Then one call tries Redis again; the first success closes
  the breaker: reconnection is automatic.
- **No stale entry outlives an outage.** Every key this process could not write or delete while
  Redis was away is deleted from Redis when it answers again, so an invalidation made during the
  outage (publishing a page clears the page cache; saving a Site clears Wagtail's site list) is
  not lost: readers rebuild those entries from the database.

Rate-limit counters (keys starting with one of ``LOCAL_FALLBACK_KEYS``: allauth's ``allauth:rl:``
and the accessory leads' ``accessory-leads:``) are not dropped while Redis is away: they are kept
in this process's memory instead, so login throttling goes on counting (per process) rather than
refusing everybody or letting every guess through. See README, "Production: when something fails".

``probe()`` asks Redis directly (no breaker) for /health/, and closes the breaker when it answers.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from paddock.breaker import CircuitBreaker

logger = logging.getLogger(__name__)

# Redis is unreachable (refused, reset, timed out, still loading its data): trip the breaker.
UNREACHABLE = (
    RedisConnectionError,
    RedisTimeoutError,
    socket.timeout,
    ConnectionInterrupted,
    OSError,
)
DEFAULT_LOCAL_FALLBACK_KEYS = ("allauth:rl:", "accessory-leads:")
MAX_LOST_KEYS = 10_000


class _Outage:
    """What one process shares about one Redis location: the breaker, the keys it could not
    write while Redis was away, and the local counters kept meanwhile."""

    def __init__(self, location: str, retry_seconds: float):
        self.breaker = CircuitBreaker("The Redis cache", retry_seconds=retry_seconds)
        self.lost: set[tuple[str, Any]] = set()
        self.lost_overflow = False
        self.lock = threading.Lock()
        self.local = LocMemCache(f"paddock-redis-fallback:{location}", {"MAX_ENTRIES": 10_000})

    def remember_lost(self, keys: Iterable[str], version) -> None:
        with self.lock:
            for key in keys:
                if len(self.lost) >= MAX_LOST_KEYS:
                    self.lost_overflow = True
                    return
                self.lost.add((key, version))


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """django-redis's cache that degrades to "no cache" when Redis is away (see module docs).

    OPTIONS, besides django-redis's: ``CIRCUIT_RETRY_SECONDS`` (2), ``LOCAL_FALLBACK_KEYS`` (key
    prefixes counted in process memory while Redis is away)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("CIRCUIT_RETRY_SECONDS", 2.0))
        self.local_fallback_keys = tuple(
            options.pop("LOCAL_FALLBACK_KEYS", DEFAULT_LOCAL_FALLBACK_KEYS)
        )
        super().__init__(server, {**params, "OPTIONS": options})
        name = f"{server}|{self.key_prefix}"
        with _outages_lock:
            if name not in _outages:
                _outages[name] = _Outage(name, retry_seconds)
            self._outage = _outages[name]

    # --- the mechanism ----------------------------------------------------------------------

    def _local(self, key: str) -> bool:
        return str(key).startswith(self.local_fallback_keys)

    def _run(self, call: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        breaker = self._outage.breaker
        if not breaker.allow():
            return fallback()
        try:
            if breaker.is_open:  # the half-open try: is Redis back? Then tidy up before using it.
                self.probe()
            result = call()
        except ResponseError as error:  # Redis answered, but refused (out of memory, read-only)
            logger.warning("The Redis cache refused a command: %s", type(error).__name__)
            return fallback()
        except UNREACHABLE as error:
            breaker.failed(error)
            return fallback()
        if breaker.succeeded():
            self._recovered()
        return result

    def _recovered(self) -> None:
        """Redis is back: delete what this process could not write or delete meanwhile."""
        outage = self._outage
        with outage.lock:
            lost, outage.lost = outage.lost, set()
            overflow, outage.lost_overflow = outage.lost_overflow, False
        outage.local.clear()
        if overflow:
            logger.warning(
                "More than %s cache keys changed while Redis was away; some entries may be stale "
                "until they expire.",
                MAX_LOST_KEYS,
            )
        by_version: dict[Any, list[str]] = {}
        for key, version in lost:
            by_version.setdefault(version, []).append(key)
        try:
            for version, keys in by_version.items():
                super().delete_many(keys, version=version)
        except (ResponseError, *UNREACHABLE) as error:
            with outage.lock:
                outage.lost |= lost
            outage.breaker.failed(error)

    def _dropped(self, keys: Iterable[str], version, result):
        def fallback():
            self._outage.remember_lost(keys, version)
            return result

        return fallback

    def probe(self) -> None:
        """One round trip to Redis, bypassing the breaker (for /health/); raises when it fails
        and closes the breaker when it answers."""
        self.client.get_client(write=True).ping()
        if self._outage.breaker.succeeded():
            self._recovered()

    # --- Django's cache API -----------------------------------------------------------------

    def get(self, key, default=None, version=None, client=None):
        if self._local(key):
            return self._run(
                lambda: super(ResilientRedisCache, self).get(key, default, version, client),
                lambda: self._outage.local.get(key, default, version),
            )
        return self._run(
            lambda: super(ResilientRedisCache, self).get(key, default, version, client),
            lambda: default,
        )

    def get_many(self, keys, version=None, client=None):
        keys = list(keys)
        return self._run(
            lambda: super(ResilientRedisCache, self).get_many(keys, version=version, client=client),
            lambda: self._outage.local.get_many([k for k in keys if self._local(k)], version),
        )

    def set(
        self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None, nx=False, xx=False
    ):
        if self._local(key):

            def fallback():
                self._outage.local.set(key, value, timeout, version)
                return True
        else:
            fallback = self._dropped([key], version, False)
        return self._run(
            lambda: super(ResilientRedisCache, self).set(
                key, value, timeout, version=version, client=client, nx=nx, xx=xx
            ),
            fallback,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        if self._local(key):
            fallback = lambda: self._outage.local.add(key, value, timeout, version)  # noqa: E731
        else:
            fallback = self._dropped([key], version, False)
        return self._run(
            lambda: super(ResilientRedisCache, self).add(
                key, value, timeout, version=version, client=client
            ),
            fallback,
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        data = dict(data)

        def fallback():
            local = {k: v for k, v in data.items() if self._local(k)}
            self._outage.local.set_many(local, timeout, version)
            self._outage.remember_lost([k for k in data if k not in local], version)
            return []

        return self._run(
            lambda: super(ResilientRedisCache, self).set_many(
                data, timeout, version=version, client=client
            ),
            fallback,
        )

    def delete(self, key, version=None, prefix=None, client=None):
        if self._local(key):
            fallback = lambda: self._outage.local.delete(key, version)  # noqa: E731
        else:
            fallback = self._dropped([key], version, False)
        return self._run(
            lambda: super(ResilientRedisCache, self).delete(
                key, version=version, prefix=prefix, client=client
            ),
            fallback,
        )

    def delete_many(self, keys, version=None, client=None):
        keys = list(keys)

        def fallback():
            self._outage.local.delete_many([k for k in keys if self._local(k)], version)
            self._outage.remember_lost([k for k in keys if not self._local(k)], version)
            return 0

        return self._run(
            lambda: super(ResilientRedisCache, self).delete_many(
                keys, version=version, client=client
            ),
            fallback,
        )

    def _counter(self, name: str, key, delta, version, **kwargs):
        def fallback():
            if self._local(key):
                return getattr(self._outage.local, name)(key, delta, version)
            raise ValueError(f"Key '{key}' not found (the Redis cache is away)")

        return self._run(
            lambda: getattr(super(ResilientRedisCache, self), name)(
                key, delta, version=version, **kwargs
            ),
            fallback,
        )

    def incr(self, key, delta=1, version=None, client=None, ignore_key_check=False):
        return self._counter(
            "incr", key, delta, version, client=client, ignore_key_check=ignore_key_check
        )

    def decr(self, key, delta=1, version=None, client=None):
        return self._counter("decr", key, delta, version, client=client)

    def has_key(self, key, version=None, client=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).has_key(key, version=version, client=client),
            lambda: self._local(key) and self._outage.local.has_key(key, version),
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).touch(
                key, timeout, version=version, client=client
            ),
            lambda: self._local(key) and self._outage.local.touch(key, timeout, version),
        )

    def delete_pattern(self, *args, **kwargs):
        def fallback():
            self._outage.local.clear()
            return 0

        return self._run(
            lambda: super(ResilientRedisCache, self).delete_pattern(*args, **kwargs), fallback
        )

    def clear(self):
        def fallback():
            self._outage.local.clear()
            return False

        return self._run(lambda: super(ResilientRedisCache, self).clear(), fallback)
