"""The Celery app: ``celery -A paddock worker`` and ``celery -A paddock beat``.

``enqueue(task, *args)`` is how a request (or anything that must not fail because the broker is
away) queues a task, named by its dotted path (``"community.tasks.outbox_send_task"``) so that the
services a tasks module wraps need not import it back. It never raises for a broker that is down
or unreachable: it logs, returns None, and leaves the work to what picks it up later (beat's
sweeps: the outbox flush, the event changes sweep...), so callers only enqueue work that is
already written to PostgreSQL. After one failure the broker is left alone for 2 s (a circuit
breaker, ``paddock.breaker``), so an outage costs one quick failed attempt per process every 2 s
rather than one per request.
"""

import logging

from celery import Celery
from django.utils.module_loading import import_string

from paddock.breaker import breaker
from paddock.env import use_default_settings

use_default_settings("dev")

logger = logging.getLogger(__name__)

app = Celery("paddock")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One reconnection try, no waiting: a request does not wait for a broker that is away.
QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)


def enqueue(task, *args, countdown: float | None = None):
    """Queue ``task(*args)``; the AsyncResult, or None when the broker is away.

    ``task``: a task, or its dotted path (imported here, so the caller does not import its own
    tasks module). ``countdown``: seconds before a worker may start it. With
    ``CELERY_TASK_ALWAYS_EAGER`` (a local run, the tests) the task runs at once, and its own errors
    propagate as they would from ``.delay()``."""
    if isinstance(task, str):
        task = import_string(task)
    if task.app.conf.task_always_eager:
        return task.apply_async(args)
    guard = breaker("The Celery broker")
    if not guard.allow():
        logger.warning("Not queued while the broker is away: %s; a sweep will do it.", task.name)
        return None
    try:
        result = task.apply_async(args, countdown=countdown, retry=True, retry_policy=QUICK_RETRY)
    except _broker_errors() as error:
        guard.failed(error)
        logger.warning(
            "Could not queue %s (%s); a sweep will do it.", task.name, type(error).__name__
        )
        return None
    guard.succeeded()
    return result


def warm_up() -> None:
    """Do now, as a web worker starts, what the first task a request queues would otherwise do
    while a member waits (about 0.3 s: the tasks registry, the broker's transport and its modules,
    the task sender and its events module). No connection is opened here (this may run before a
    fork): ``connect_producer`` opens one in the process that will use it."""
    if app.conf.task_always_eager:
        return
    app.finalize(auto=True)
    app.connection_for_write().transport  # noqa: B018 - imports and sets up kombu's transport
    app.amqp.producer_pool  # noqa: B018
    app.amqp.send_task_message  # noqa: B018 - builds the sender (imports celery.events)


def connect_producer() -> bool:
    """Open this process's connection to the broker now and keep it in the producer pool, so
    that the first task a request queues does not open it while a member waits (gunicorn's
    ``post_worker_init``, after the fork). A broker that is away is left for the first publish
    (which has its own retry and breaker): False, and nothing waits here."""
    if app.conf.task_always_eager:
        return False
    try:
        with app.producer_pool.acquire(block=True, timeout=2) as producer:
            producer.connection.ensure_connection(max_retries=1)
            producer.channel  # noqa: B018 - the channel the first publish uses
    except _broker_errors() as error:
        logger.warning("The broker could not be reached at start (%s).", type(error).__name__)
        return False
    return True
