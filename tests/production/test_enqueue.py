"""``paddock.celery.enqueue``: a request that queues a task never fails because the broker is away;
the task is queued when the broker answers, and run at once in eager mode (tests, local runs)."""

import time

import pytest
from celery import Celery

from paddock.breaker import breaker
from paddock.celery import enqueue
from tests.support.faults import free_port

BROKER_BREAKER = "The Celery broker"


@pytest.fixture
def fresh_broker_breaker():
    """The process's broker breaker closed before and after the test."""
    breaker(BROKER_BREAKER).succeeded()
    yield breaker(BROKER_BREAKER)
    breaker(BROKER_BREAKER).succeeded()


def app_with_broker(url: str) -> Celery:
    app = Celery("enqueue-test", broker=url, set_as_current=False)
    app.conf.task_always_eager = False
    return app


def noop(*args):
    return None


def double(value):
    return value * 2


def test_enqueue_while_the_broker_is_away_returns_none(fresh_broker_breaker):
    app = app_with_broker(f"redis://127.0.0.1:{free_port()}/0")
    task = app.task(name="paddock.test.noop")(noop)
    assert enqueue(task) is None


def test_enqueue_after_a_broker_failure_skips_the_broker_at_once(fresh_broker_breaker):
    app = app_with_broker(f"redis://127.0.0.1:{free_port()}/0")
    task = app.task(name="paddock.test.noop")(noop)
    enqueue(task)
    began = time.monotonic()
    results = [enqueue(task) for _ in range(20)]
    assert results == [None] * 20
    assert time.monotonic() - began < 0.2


def test_enqueue_puts_the_task_on_the_broker_when_it_answers(fresh_broker_breaker, private_redis):
    import redis

    app = app_with_broker(private_redis.url(0))
    task = app.task(name="paddock.test.noop")(noop)
    result = enqueue(task, 7)
    assert result is not None
    assert redis.Redis.from_url(private_redis.url(0)).llen("celery") == 1


def test_enqueue_in_eager_mode_runs_the_task_at_once():
    app = Celery("enqueue-eager-test", set_as_current=False)
    app.conf.task_always_eager = True
    task = app.task(name="paddock.test.double")(double)
    assert enqueue(task, 3).result == 6
