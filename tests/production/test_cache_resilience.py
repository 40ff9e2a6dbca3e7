"""The Redis cache when Redis is away (paddock/cache.py, paddock/breaker.py): misses instead of
errors, no waiting after the first failure, automatic reconnection, no stale entry afterwards, and
rate-limit counters kept in process memory meanwhile."""

import socket
import threading
import time

import pytest

from paddock.breaker import CircuitBreaker
from tests.conftest import resilient_cache_settings

# --- The breaker ---------------------------------------------------------------------------------


def test_breaker_after_a_failure_refuses_calls_until_the_retry_time():
    breaker = CircuitBreaker("test service", retry_seconds=60)
    breaker.failed(ConnectionError())
    assert breaker.allow() is False


def test_breaker_after_the_retry_time_lets_one_try_through():
    breaker = CircuitBreaker("test service", retry_seconds=0.05)
    breaker.failed(ConnectionError())
    time.sleep(0.06)
    assert [breaker.allow(), breaker.allow()] == [True, False]


def test_breaker_success_after_a_failure_is_a_recovery_once():
    breaker = CircuitBreaker("test service", retry_seconds=0.05)
    breaker.failed(ConnectionError())
    assert [breaker.succeeded(), breaker.succeeded()] == [True, False]
    assert breaker.allow() is True


# --- Redis unreachable -----------------------------------------------------------------------------


def test_cache_read_while_redis_is_away_is_a_miss(redis_away):
    assert redis_away.get("paddock:anything", "missing") == "missing"


def test_cache_write_while_redis_is_away_is_dropped_without_error(redis_away):
    assert redis_away.set("paddock:anything", "value") is False
    assert redis_away.add("paddock:anything", "value") is False
    assert redis_away.get_many(["paddock:anything"]) == {}


@pytest.fixture
def silent_redis(settings):
    """A port that accepts connections and never answers (a Redis hung or behind a dead link)."""
    from django.core.cache import cache

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]
    settings.CACHES = resilient_cache_settings(f"redis://127.0.0.1:{port}/0")
    yield cache
    listener.close()
    for conn in accepted:
        conn.close()


def test_cache_hung_redis_costs_one_timeout_then_nothing(silent_redis):
    began = time.monotonic()
    assert silent_redis.get("paddock:a") is None
    first = time.monotonic() - began
    began = time.monotonic()
    for n in range(50):
        silent_redis.get(f"paddock:b{n}")
    following = time.monotonic() - began
    assert first < 3.5  # the 1 s socket timeout (redis-py may retry once)
    assert following < 0.5


def test_cache_rate_limit_counters_count_in_process_while_redis_is_away(redis_away):
    lock = "allauth:rl:allauth.account:login_failed:10/60/ip:ip:203.0.113.7:lock"
    assert redis_away.add(lock, True) is True
    assert redis_away.add(lock, True) is False
    redis_away.set("allauth:rl:history", [1.0, 2.0])
    assert redis_away.get("allauth:rl:history") == [1.0, 2.0]


def test_cache_accessory_lead_counter_counts_while_redis_is_away(redis_away):
    redis_away.add("accessory-leads:ip:203.0.113.7", 0)
    assert [redis_away.incr("accessory-leads:ip:203.0.113.7") for _ in range(3)] == [1, 2, 3]


# --- Redis back ------------------------------------------------------------------------------------


@pytest.fixture
def cache_on_private_redis(settings, private_redis):
    from django.core.cache import cache

    settings.CACHES = resilient_cache_settings(private_redis.url(0), CIRCUIT_RETRY_SECONDS=0.2)
    return cache


def test_cache_reconnects_by_itself_when_redis_comes_back(cache_on_private_redis, private_redis):
    private_redis.stop()
    cache_on_private_redis.get("paddock:k")
    private_redis.start()
    time.sleep(0.25)
    assert cache_on_private_redis.set("paddock:k", "v") is True
    assert cache_on_private_redis.get("paddock:k") == "v"


def test_cache_forgets_entries_changed_while_redis_was_away(cache_on_private_redis, private_redis):
    cache = cache_on_private_redis
    cache.set("paddock:pagecache:generation", "before")
    cache.set("paddock:unrelated", "kept")
    # Redis becomes unreachable but keeps its data (saved, then loaded again on start).
    private_redis.stop(save=True)
    cache.set("paddock:pagecache:generation", "during")  # e.g. a page published meanwhile
    private_redis.start()
    time.sleep(0.25)
    assert cache.get("paddock:pagecache:generation") is None
    assert cache.get("paddock:unrelated") == "kept"


def test_cache_probe_answers_when_redis_is_back_though_the_breaker_is_open(private_redis, settings):
    from django.core.cache import cache

    settings.CACHES = resilient_cache_settings(private_redis.url(1), CIRCUIT_RETRY_SECONDS=60)
    private_redis.stop()
    cache.get("paddock:k")
    private_redis.start()
    cache.probe()  # raises if Redis were not answering
    assert cache.set("paddock:k", "v") is True
