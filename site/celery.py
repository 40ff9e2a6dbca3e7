"""The Celery app: ``celery -A paddock worker`` and ``celery -A paddock beat``."""

import logging

from celery import Celery
from kombu.exceptions import OperationalError

from paddock.env import use_default_settings

use_default_settings("dev")

app = Celery("paddock")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("paddock.celery")


def enqueue(task, *args, **kwargs) -> bool:
    """Queue ``task`` for a worker; True when the broker took it. Never raises when the broker is
    away (it logs and returns False): callers write the work to PostgreSQL first, and a beat sweep
    picks up whatever was never queued. Errors of the task itself (run at once when tasks are
    eager) still propagate."""
    try:
        task.delay(*args, **kwargs)
    except (
        OperationalError,
        OSError,
    ) as error:  # kombu's broker errors; ConnectionError is OSError
        logger.warning("Could not queue %s (%s); a beat sweep will pick it up.", task.name, error)
        return False
    return True
