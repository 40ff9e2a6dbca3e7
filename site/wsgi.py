"""WSGI entry point: ``gunicorn paddock.wsgi`` (production settings unless PADDOCK_ENV says otherwise)."""

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from paddock.env import use_default_settings

use_default_settings("production")

application = get_wsgi_application()

# What each gunicorn worker would otherwise load on its first requests, while a member waits:
# every view module (the URLconf) and Celery's sending side. Imported once the settings are chosen.
from paddock.celery import warm_up  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view
warm_up()
