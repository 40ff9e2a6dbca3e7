"""The Celery app: ``celery -A paddock worker`` and ``celery -A paddock beat``."""

from celery import Celery

from paddock.env import use_default_settings

use_default_settings("dev")

app = Celery("paddock")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
