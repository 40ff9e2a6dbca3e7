"""Celery is configured for a broker that comes and goes (site/settings/base.py)."""

import os
import subprocess
import sys

import pytest

from paddock.celery import app
from tests.support.served import free_port


def test_celery_workers_wait_for_the_broker_however_long_it_is_away():
    conf = app.conf
    assert conf.broker_connection_retry_on_startup is True
    assert conf.broker_connection_max_retries is None


def test_celery_puts_back_the_task_of_a_worker_that_died():
    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True


def test_celery_lets_a_running_send_finish_when_the_broker_connection_drops():
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is False


def test_celery_visibility_timeout_outlasts_an_outbox_lease(settings):
    options = app.conf.broker_transport_options
    assert options["visibility_timeout"] > settings.PADDOCK_OUTBOX_LEASE_SECONDS
    assert options["socket_timeout"] and options["socket_connect_timeout"]


def test_celery_publishing_gives_up_within_a_second_or_two():
    policy = app.conf.task_publish_retry_policy
    assert policy["max_retries"] * policy["interval_max"] <= 2


def test_web_worker_warm_up_loads_celerys_sending_side():
    """In a fresh process (as a gunicorn worker starts): before warm_up nothing of kombu's Redis
    transport is loaded, after it the transport and the task registry are ready."""
    import os
    import subprocess
    import sys

    script = (
        "import sys, django; django.setup()\n"
        "from paddock.celery import app, warm_up\n"
        "app.conf.task_always_eager = False\n"
        "before = 'kombu.transport.redis' in sys.modules\n"
        "warm_up()\n"
        "print(before, 'kombu.transport.redis' in sys.modules, app.finalized)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "paddock.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split()[-3:] == ["False", "True", "True"], result.stderr[-2000:]


def _run_in_fresh_process(script: str, broker_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "paddock.settings.test",
        "CELERY_BROKER_URL": broker_url,
    }
    setup = "import django; django.setup()\nfrom paddock.celery import app, connect_producer\n"
    return subprocess.run(
        [sys.executable, "-c", setup + "app.conf.task_always_eager = False\n" + script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.redis
def test_web_worker_start_opens_its_broker_connection_for_the_first_task(settings):
    """gunicorn's post_worker_init (connect_producer): the pooled producer the first publish takes
    is already connected."""
    script = (
        "opened = connect_producer()\n"
        "with app.producer_pool.acquire(block=False) as producer:\n"
        "    print(opened, producer.connection.connected)\n"
    )
    result = _run_in_fresh_process(script, settings.CACHES["default"]["LOCATION"])
    assert result.stdout.split()[-2:] == ["True", "True"], result.stderr[-2000:]


def test_web_worker_start_goes_on_at_once_when_the_broker_is_away():
    script = (
        "import time\n"
        "began = time.monotonic()\n"
        "opened = connect_producer()\n"
        "print(opened, time.monotonic() - began < 5)\n"
    )
    result = _run_in_fresh_process(script, f"redis://127.0.0.1:{free_port()}/0")
    assert result.stdout.split()[-2:] == ["False", "True"], result.stderr[-2000:]
