"""Real background processes for fault tests and benchmarks, all on loopback.

- ``RedisServer``: a redis-server of our own on a spare port (never the machine's shared one),
  started, stopped and started again on the same port; nothing is saved to disk, so a restart
  loses whatever was queued in it (the worst case for Celery's queues).
- ``CountingSMTP``: an SMTP listener that counts each (Message-ID, recipient) it accepts, and can
  be stopped and started again on the same port.
- ``CeleryWorker`` / ``CeleryBeat``: ``celery -A paddock worker|beat`` with the production
  settings, in their own process group, so ``kill()`` SIGKILLs the worker and its pool processes
  at once (a machine or container dying).
- ``publishing_to(broker_url)``: this process's Celery app publishes for real (not eagerly) to
  that broker while the block runs, so a request made with Django's test client queues its tasks
  as gunicorn would.

    with RedisServer() as redis, CountingSMTP() as smtp:
        env = worker_env(database=..., broker_url=redis.url(), smtp_port=smtp.port)
        worker = CeleryWorker(env).start()
        ...
        worker.kill(); worker.start()
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from email import policy
from email.parser import BytesParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], bool], *, timeout: float, every: float = 0.2) -> bool:
    """Poll ``predicate`` until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


# --- Redis -------------------------------------------------------------------------------------


class RedisServer:
    def __init__(self, port: int | None = None):
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server is not installed")
        self.port = port or spare_port()
        self.dir = tempfile.mkdtemp(prefix="paddock-redis-")
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://{HOST}:{self.port}/{db}"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "",
             "--appendonly", "no", "--dir", self.dir, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_until(self.answers, timeout=10, every=0.05):
            raise RuntimeError(f"redis-server did not start on port {self.port}")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop it (SIGKILL: as abrupt as a crash or a network cut)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- SMTP --------------------------------------------------------------------------------------


class CountingSMTP:
    """Accepts every message and counts it per (Message-ID, recipient)."""

    def __init__(self, port: int | None = None):
        self.port = port or spare_port()
        self.counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
        message_id = str(headers["Message-ID"] or "")
        with self._lock:
            for rcpt in envelope.rcpt_tos:
                self.counts[(message_id, rcpt.lower())] += 1
        return "250 Message accepted for delivery"

    def start(self) -> CountingSMTP:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=HOST, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> CountingSMTP:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def snapshot(self) -> Counter[tuple[str, str]]:
        with self._lock:
            return Counter(self.counts)

    def recipients(self) -> Counter[str]:
        """How many times each address received anything."""
        per_address: Counter[str] = Counter()
        for (_, rcpt), count in self.snapshot().items():
            per_address[rcpt] += count
        return per_address

    def duplicates(self) -> int:
        """Extra copies of the same message (same Message-ID) to the same recipient."""
        return sum(count - 1 for count in self.snapshot().values() if count > 1)

    def reset(self) -> None:
        with self._lock:
            self.counts.clear()


# --- Celery ------------------------------------------------------------------------------------


def worker_env(*, database: str, broker_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    """Production settings for a worker or beat on this machine: PostgreSQL database
    ``database``, Redis at ``broker_url``, mail to 127.0.0.1:``smtp_port``. ``extra`` overrides
    (e.g. short leases and sweeps so a test recovers in seconds rather than minutes)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "PADDOCK_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "paddock.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": "https://localhost",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": broker_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="paddock-static-"),
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


class _Process:
    args: list[str] = []

    def __init__(self, env: dict[str, str], log: Path | None = None):
        self.env = env
        self.log_path = log or Path(tempfile.mkstemp(prefix="paddock-celery-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "paddock", *self.args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() reaches the pool processes
        )
        log.close()
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group: no cleanup, no acknowledgement, nothing."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), then SIGKILL if it takes too long."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class CeleryWorker(_Process):
    def __init__(self, env: dict[str, str], *, concurrency: int = 2, log: Path | None = None):
        super().__init__(env, log)
        self.args = ["worker", "--loglevel=WARNING", f"--concurrency={concurrency}",
                     "--without-gossip", "--without-mingle", "-n", f"fault-{spare_port()}@%h"]  # fmt: skip


class CeleryBeat(_Process):
    def __init__(self, env: dict[str, str], *, log: Path | None = None):
        super().__init__(env, log)
        schedule = tempfile.mkdtemp(prefix="paddock-beat-")
        self.args = ["beat", "--loglevel=WARNING", "-s", f"{schedule}/schedule"]


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """This process's Celery app queues tasks on ``broker_url`` (not eagerly) inside the block."""
    from paddock.celery import app

    conf = app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_write_url)
    conf.task_always_eager, conf.broker_url, conf.broker_write_url = False, broker_url, None
    app._after_fork()  # drop pooled connections to the previous broker
    try:
        yield app
    finally:
        conf.task_always_eager, conf.broker_url, conf.broker_write_url = saved
        app._after_fork()
