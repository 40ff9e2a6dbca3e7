"""Celery is configured for a broker that comes and goes (site/settings/base.py)."""

from paddock.celery import app


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
