"""Paddock served by its own processes for a test, as an operator would run it, on the test
database, with outgoing mail going to a test's SMTP listener (tests/support/smtp.py):

- ``production``: the production settings under gunicorn (site/deploy/gunicorn.conf.py), a Celery
  worker sending the mail, collected static files, and in front a TLS-ending proxy that sets
  ``X-Forwarded-Proto: https`` (tests/support/tls_proxy.py): the site is https://127.0.0.1:<port>;
- ``development``: what ``make run`` runs: the development settings under ``manage.py runserver``
  with SITE_URL set to where it serves (as the Makefile sets it), no Redis (tasks run in-process).

    with served_site("production", smtp=listener, database_url=..., redis_url=...,
                     cache_prefix=..., scratch=tmp_path) as site:
        site.url, site.secret_key
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SECRET_KEY = "served-test-site-7Hq2Lx9Vb4Nc8Rt1Wm6Ys3Kd5Fj0Gp2Zu4Ae8Io6Pl1Mn3Bv"
_INHERITED_NOT = (
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CI",
    "PADDOCK_ENV",
)


@dataclass(frozen=True)
class ServedSite:
    mode: str
    url: str
    smtp: object  # the SMTPListener the site's mail goes to
    secret_key: str = SECRET_KEY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def database_url(settings_dict) -> str:
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or HOST
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} exited:\n{log.read_text()[-4000:]}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"Nothing listened on {port} within {timeout:g} s:\n{log.read_text()[-4000:]}"
    )


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path, timeout: float = 120):
    """Wait for an answer to /health/ (gunicorn's workers load Django after the port opens)."""
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} exited:\n{log.read_text()[-4000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
            conn.request("GET", "/health/", headers={"X-Forwarded-Proto": "https"})
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"No answer on {port} within {timeout:g} s:\n{log.read_text()[-4000:]}")


def _warm_up(url: str, paths=("/", "/accounts/login/", "/accounts/signup/"), rounds: int = 2):
    """Load a few pages once per worker, so no test waits for templates to compile."""
    import ssl
    import urllib.error
    import urllib.request

    context = ssl._create_unverified_context()  # the proxy's self-signed certificate
    for _ in range(rounds):
        for path in paths:
            try:
                urllib.request.urlopen(f"{url}{path}", timeout=120, context=context).read()
            except urllib.error.HTTPError:
                pass  # an answer is all a warm-up needs


@contextlib.contextmanager
def served_site(
    mode: str,
    *,
    smtp,
    database_url: str,
    redis_url: str,
    cache_prefix: str,
    scratch: Path,
    twilio=None,
):
    """Serve Paddock in ``mode`` ("production" or "development") until the block ends.
    ``twilio``: a tests.support.twilio_api.TwilioAPI; the site then checks Twilio's webhooks with
    its token, and production's texts go to it instead of Twilio."""
    from tests.support.tls_proxy import TLSProxy

    env = {k: v for k, v in os.environ.items() if k not in _INHERITED_NOT}
    env.update(
        {
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}",
            "MEDIA_ROOT": str(scratch / "media"),
            "PADDOCK_PHOTO_ROOT": str(scratch / "photos"),
            "MAILBOX_DIR": str(scratch / "mail"),
            "LOG_LEVEL": "WARNING",
        }
    )
    if twilio is not None:
        env.update(
            {
                "TWILIO_ACCOUNT_SID": twilio.sid,
                "TWILIO_AUTH_TOKEN": twilio.token,
                "TWILIO_FROM_NUMBER": "+447700900000",
                "TWILIO_API_BASE": twilio.base_url,
            }
        )
    processes = []
    try:
        if mode == "production":
            port = free_port()
            proxy = TLSProxy(backend_port=port)
            env.update(
                {
                    "PADDOCK_ENV": "production",
                    "DJANGO_SETTINGS_MODULE": "paddock.settings.production",
                    "SITE_URL": proxy.url,
                    "ALLOWED_HOSTS": HOST,
                    "REDIS_URL": redis_url,
                    # The test process's own prefix: its per-test cache clearing clears this too.
                    "CACHE_KEY_PREFIX": cache_prefix,
                    "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
                    "STATIC_ROOT": str(scratch / "static"),
                    "GUNICORN_BIND": f"{HOST}:{port}",
                    "WEB_CONCURRENCY": "2",
                    "GUNICORN_LOGLEVEL": "warning",
                }
            )
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            web_log, worker_log = scratch / "gunicorn.log", scratch / "worker.log"
            web = _start(
                [sys.executable, "-m", "gunicorn", "paddock.wsgi"]
                + ["--config", "site/deploy/gunicorn.conf.py"],
                env,
                web_log,
            )
            processes.append(web)
            worker = _start(
                [sys.executable, "-m", "celery", "-A", "paddock", "worker", "--pool", "solo"]
                + ["--without-mingle", "--without-gossip", "--without-heartbeat"]
                + ["--loglevel", "WARNING"],
                env,
                worker_log,
            )
            processes.append(worker)
            _wait_for_port(port, web, web_log)
            for _ in range(2):  # both workers
                _wait_until_serving(port, web, web_log)
            with proxy:
                _warm_up(proxy.url)
                yield ServedSite(mode=mode, url=proxy.url, smtp=smtp)
        else:
            port = free_port()
            url = f"http://{HOST}:{port}"
            env.pop("REDIS_URL", None)
            env.update(
                {
                    "PADDOCK_ENV": "dev",
                    "DJANGO_SETTINGS_MODULE": "paddock.settings.dev",
                    "SITE_URL": url,  # what the Makefile exports: http://$(HOST):$(PORT)
                }
            )
            log = scratch / "runserver.log"
            server = _start(
                [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
                env,
                log,
            )
            processes.append(server)
            _wait_for_port(port, server, log)
            _wait_until_serving(port, server, log)
            _warm_up(url, rounds=1)
            yield ServedSite(mode=mode, url=url, smtp=smtp)
    finally:
        for process in processes:
            _stop(process)
