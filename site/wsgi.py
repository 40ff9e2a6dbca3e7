"""WSGI entry point: ``gunicorn paddock.wsgi`` (production settings unless PADDOCK_ENV says otherwise)."""

from django.core.wsgi import get_wsgi_application

from paddock.env import use_default_settings

use_default_settings("production")

application = get_wsgi_application()
