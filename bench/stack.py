"""The production-like stack the page benchmark and the load test run against, all on loopback.

``Stack`` creates a scratch PostgreSQL database, migrates it, seeds the demo, collects static
files, and starts gunicorn (production settings, DEBUG off, 2 workers) and, when asked, a Celery
worker and an SMTP listener; ``stop()`` ends what it started (by process id) and drops the
database. The benches that need only a scratch database and a Celery worker (invitations by
mail and by text) use ``scratch_database``, ``start_worker``, ``stop_worker`` and
``drop_database``. Production settings want HTTPS: the clients send ``X-Forwarded-Proto: https``, as the
TLS-terminating proxy in front of gunicorn would, and hold the (Secure) cookies themselves.

Environment: BENCH_DB (database name), BENCH_REDIS_URL (default redis://127.0.0.1:6379/15; keys
are namespaced per run, nothing is flushed), BENCH_GUNICORN_ARGS (extra gunicorn arguments),
BENCH_START_SECONDS (how long gunicorn may take to answer its first page; default 90).
"""

from __future__ import annotations

import http.client
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FORWARDED = {"X-Forwarded-Proto": "https"}


# How long gunicorn may take to answer its first request (BENCH_START_SECONDS).
START_SECONDS = float(os.environ.get("BENCH_START_SECONDS", "90"))
WORKER_NICE = 10  # the Celery worker below the web workers, as production runs it (Procfile)
THREADS = 4  # gunicorn threads per worker (gthread), as the deploy config runs it


def gunicorn_command(python: str, app: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn as the benches run it (Paddock, and the page bench's reference servers alike):
    gthread workers on 127.0.0.1, plus BENCH_GUNICORN_ARGS."""
    extra = shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", ""))
    return [
        python, "-m", "gunicorn", app,
        "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", *extra,
    ]  # fmt: skip


def load_average() -> str:
    """The machine's load average (1, 5, 15 min) as `uptime` prints it, for every figure."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} cores)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    def __init__(self, *, db_name: str, workers: int = 2, smtp: bool = False):
        self.db_name = os.environ.get("BENCH_DB", db_name)
        self.workers = workers
        self.port = free_port()
        self.origin = f"https://127.0.0.1:{self.port}"
        self.scratch = Path(tempfile.mkdtemp(prefix="paddock-bench-"))
        self.static_root = self.scratch / "static"
        self.processes: list[subprocess.Popen] = []
        self.smtp = None
        if smtp:
            from tests.support.smtp import SMTPListener

            self.smtp = SMTPListener().__enter__()
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "PADDOCK_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "paddock.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.origin,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.db_name}",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "CACHE_KEY_PREFIX": f"paddock-bench-{secrets.token_hex(4)}",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}"
            if self.smtp
            else "smtp://127.0.0.1:9",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
            "STATIC_ROOT": str(self.static_root),
            "MEDIA_ROOT": str(self.scratch / "media"),
            "PADDOCK_PHOTO_ROOT": str(self.scratch / "photos"),
            "MAILBOX_DIR": str(self.scratch / "mail"),
            "LOG_LEVEL": "WARNING",
        }

    # --- database -------------------------------------------------------------------------------

    def prepare(self) -> None:
        """A fresh database with the demo in it, and collected static files."""
        scratch_database(self.db_name)
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("seed_demo", "--allow-production", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def django(self):
        """Set Django up in this process, on the stack's database (for setup and checks)."""
        import django

        os.environ.update(self.env)
        django.setup()

    # --- processes ------------------------------------------------------------------------------

    def _start(self, args: list[str], *, nice: int = 0) -> subprocess.Popen:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )
        self.processes.append(process)
        return process

    def start_gunicorn(self, *, deploy_config: bool = False) -> None:
        """gunicorn as the benches run it (``gunicorn_command``), or with ``deploy_config`` as
        production runs it: site/deploy/gunicorn.conf.py (``WEB_CONCURRENCY`` sync workers,
        2 x cores + 1 by default), only bound to 127.0.0.1 here."""
        if deploy_config:
            command = [
                sys.executable, "-m", "gunicorn", "paddock.wsgi",
                "--config", str(ROOT / "site/deploy/gunicorn.conf.py"),
                "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
                "--access-logfile", "/dev/null",
            ]  # fmt: skip
        else:
            command = gunicorn_command(
                sys.executable, "paddock.wsgi", self.port, self.workers, THREADS
            )
        self.gunicorn = self._start(command)
        self.wait_for_server()

    def restart_gunicorn(self) -> None:
        self._stop(self.gunicorn)
        self.processes.remove(self.gunicorn)
        self.port = free_port()  # the old port may linger in TIME_WAIT
        self.start_gunicorn()

    def start_celery(self) -> None:
        self._start(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "paddock",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            nice=WORKER_NICE,
        )

    def wait_for_server(self) -> None:
        """Until gunicorn answers "/" (its first render may take seconds on a loaded machine)."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", "/", headers={"Host": f"127.0.0.1:{self.port}", **FORWARDED})
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start within {START_SECONDS:.0f} s")

    @staticmethod
    def _stop(process: subprocess.Popen, timeout: float = 15) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def stop(self) -> None:
        for process in reversed(self.processes):
            self._stop(process)
        self.processes.clear()
        if self.smtp is not None:
            self.smtp.__exit__(None, None, None)
        drop_database(self.db_name)
        subprocess.run(["rm", "-rf", str(self.scratch)], check=False)


ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def scratch_database(name: str) -> None:
    """Drop ``name`` if a previous run left it, and create it empty."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def drop_database(name: str) -> None:
    """Close this process's connections (if Django is set up) and drop ``name``."""
    import psycopg

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # Django never set up in this process
        pass
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_worker(env: dict[str, str], *, concurrency: int, quiet: bool = False) -> subprocess.Popen:
    """A real Celery worker (prefork) in its own session, and wait until it answers a ping.
    ``quiet``: without its banner on standard output (warnings and errors still show)."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "paddock", "worker", "--loglevel=WARNING",
         f"--concurrency={concurrency}", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL if quiet else None,
        preexec_fn=lambda: os.nice(WORKER_NICE),
    )  # fmt: skip
    from paddock.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.inspect(timeout=1).ping():
            return worker
    Stack._stop(worker)
    raise SystemExit("The Celery worker did not start.")


def stop_worker(worker: subprocess.Popen | None) -> None:
    """SIGTERM the worker's whole process group (SIGKILL after 30 s)."""
    if worker is not None:
        Stack._stop(worker, timeout=30)


def member_session(member) -> str:
    """A signed-in session for ``member``, made as a login would (the clients skip the login form,
    whose per-IP rate limit would otherwise be the thing measured)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.create()
    return store.session_key


CPU_GROUPS = (
    ("gunicorn", "web (gunicorn)"),
    ("postgres", "PostgreSQL"),
    ("celery", "Celery worker"),
    ("redis-server", "Redis"),
)


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far (user + system) by the machine's processes, grouped: gunicorn,
    PostgreSQL, the Celery worker, Redis and this bench (its client threads and SMTP listener);
    the difference of two readings shows where a burst's CPU went (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    totals: dict[str, float] = {}
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat_file:
                fields = stat_file.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline_file:
                command = cmdline_file.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(entry) == me:
            group = "this bench (client, SMTP listener)"
        else:
            group = next((name for key, name in CPU_GROUPS if key in command), "other")
        totals[group] = totals.get(group, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return totals


def cpu_report(before: dict[str, float], after: dict[str, float], *, per: int, what: str) -> str:
    """Where the CPU went between two ``cpu_seconds`` readings, in all and per ``what``."""
    used = {name: after.get(name, 0.0) - before.get(name, 0.0) for name in after}
    used = {name: seconds for name, seconds in used.items() if seconds >= 0.005}
    total = sum(used.values())
    parts = ", ".join(
        f"{name} {seconds:.2f} s ({seconds * 1000 / per:.1f} ms per {what})"
        for name, seconds in sorted(used.items(), key=lambda item: -item[1])
    )
    return f"CPU {total:.2f} s ({total * 1000 / per:.1f} ms per {what}): {parts}"


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]
