"""gunicorn's settings for Paddock: ``gunicorn paddock.wsgi --config site/deploy/gunicorn.conf.py``.

Every value can be changed from the environment, so one file serves every machine.
"""

import multiprocessing
import os
from importlib import import_module

# Where to listen. Behind nginx or a load balancer on the same machine: 127.0.0.1:8000.
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")

# Sync workers, one request at a time each, holding one persistent database connection each.
# WEB_CONCURRENCY overrides the usual 2 x cores + 1. With GUNICORN_THREADS > 1 gunicorn uses
# threaded workers; then set DB_POOL=1 so threads share a pool of connections.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows old.
max_requests = 1000
max_requests_jitter = 100

# Logs go to stdout/stderr, where systemd's journal (or the platform) collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Only these addresses may tell gunicorn the original scheme (X-Forwarded-Proto): the proxy's.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_worker_init(worker):
    """Each worker, once it has loaded Paddock (after the fork): its connection to the broker is
    opened now rather than by the first member whose answer queues a task."""
    # Looked up here, in the worker: gunicorn reads this file before Django's settings are chosen.
    import_module("paddock.celery").connect_producer()
