"""Fault injection: a private Redis to stop, gunicorn with the deploy config, simulated members.

Everything here runs on 127.0.0.1 and stops only the processes it started (by their own process
id or group); the machine's shared Redis is never touched. Used by tests/faults/ and
bench/faults_bench.py; reusable by any fault test.

Pieces:

- ``free_port()``: a port nothing listens on at the moment.
- ``RedisServer(workdir)``: its own ``redis-server --port <spare> --save ''`` (``start()``,
  ``stop()``, ``start()`` again on the same port; ``url(db)``, ``answers()``). Also a context
  manager. ``stop(save=True)`` asks it to ``SHUTDOWN SAVE`` so the next ``start()`` comes back with
  its data (a Redis that was unreachable rather than restarted).
- ``production_env(...)``: the environment of a production process (``paddock.settings
  .production``) on the given database, Redis and SMTP address, serving https behind a proxy that
  sets ``X-Forwarded-Proto`` (the clients here send it).
- ``collectstatic(env)``: the production settings serve static files from a manifest; run it once
  into ``env["STATIC_ROOT"]`` before gunicorn renders a page.
- ``Gunicorn(env, workers)``: ``gunicorn paddock.wsgi --config site/deploy/gunicorn.conf.py`` on a
  spare port (``start()``, ``stop()``, ``origin``, ``log_tail()``).
- ``seed_outage_plan(members, password_hash)``: with Django set up on the same database, members
  (one password hash for all, so nothing is hashed per member) and one event per phase.
- ``drive_outage(gunicorn, redis, plan, ...)``: simulated members (one thread each, with their own
  cookies) view pages, sign in through the form and RSVP, while a watcher polls /health/; Redis is
  stopped after ``before`` seconds and started again ``outage`` seconds later. Returns an
  ``OutageReport`` (statuses per phase, 5xx, sign-ins, RSVP answers, /health/ during the outage
  and the seconds until it said 200 again); ``report.lines()`` prints it.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import signal
import socket
import string
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PHASES = ("before", "during", "after")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(predicate, *, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise RuntimeError(f"{what} within {timeout:.0f} s")


# --- Redis -----------------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own on a spare port; only this process is ever stopped."""

    def __init__(self, workdir: Path, *, port: int | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.workdir), "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self.answers, timeout=10, what=f"redis-server did not answer on {self.port}")

    def stop(self, *, save: bool = False) -> None:
        """Stop our redis-server (SIGTERM to its own pid; SHUTDOWN SAVE when ``save``)."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        if save:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                sock.sendall(b"SHUTDOWN SAVE\r\n")
                sock.recv(64)
        else:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- gunicorn --------------------------------------------------------------------------------------


def production_env(
    *,
    database_url: str,
    redis_url: str,
    port: int,
    workdir: Path,
    email_url: str = "smtp://127.0.0.1:9",
    static_root: Path | None = None,
    secret_key: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """A production process's environment, served at https://127.0.0.1:<port> behind a proxy."""
    workdir = Path(workdir)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "CI")
    }
    env.update(
        {
            "PADDOCK_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "paddock.settings.production",
            "SECRET_KEY": secret_key or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"https://127.0.0.1:{port}",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": f"paddock-fault-{secrets.token_hex(4)}",
            "EMAIL_URL": email_url,
            "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
            "STATIC_ROOT": str(static_root or workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PADDOCK_PHOTO_ROOT": str(workdir / "photos"),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_LOGLEVEL": "warning",
        }
    )
    env.update(extra)
    return env


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Gunicorn:
    """``gunicorn paddock.wsgi --config site/deploy/gunicorn.conf.py`` in its own process group."""

    def __init__(self, env: dict[str, str], *, workers: int = 2):
        self.env = {**env, "WEB_CONCURRENCY": str(workers)}
        host, port = self.env["GUNICORN_BIND"].rsplit(":", 1)
        self.host, self.port = host, int(port)
        self.origin = f"https://{host}:{port}"
        self.log_path = Path(self.env["MEDIA_ROOT"]).parent / f"gunicorn-{port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 180) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "paddock.wsgi"]
            + ["--config", "site/deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            try:
                return request(self.origin, "GET", "/health/", timeout=5)[0] in (200, 503)
            except OSError:
                return False

        try:
            _wait(ready, timeout=timeout, what="gunicorn did not answer /health/", interval=0.3)
        except RuntimeError as error:
            self.stop()
            raise RuntimeError(f"{error}; its log ends:\n{self.log_tail()}") from None

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self._log.close()
        self.process = None

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# --- HTTP, as a browser behind the TLS proxy would ---------------------------------------------------


def request(origin: str, method: str, path: str, *, cookies=None, data=None, timeout=120.0):
    """One request on a fresh connection: ``(status, headers, body, set_cookies)``.

    Sends ``X-Forwarded-Proto: https`` (the proxy's), the cookies given (the Secure ones too, which
    a cookie jar would keep back over plain http) and, for a POST, the CSRF header and Origin."""
    host = origin.split("://", 1)[1]
    address, port = host.rsplit(":", 1)
    headers = {"Host": host, "X-Forwarded-Proto": "https", "Connection": "close"}
    cookies = dict(cookies or {})
    body = None
    if method == "POST":
        cookies.setdefault("csrftoken", "".join(random.choices(string.ascii_letters, k=32)))
        headers |= {
            "X-CSRFToken": cookies["csrftoken"],
            "Origin": origin,
            "Referer": origin + path,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urllib.parse.urlencode(data or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn = http.client.HTTPConnection(address, int(port), timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        jar = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        set_cookies = {name: morsel.value for name, morsel in jar.items()}
        return response.status, response.headers, content, set_cookies
    finally:
        conn.close()


# --- What the members and the watcher see ----------------------------------------------------------


@dataclass
class OutageReport:
    members: int
    outage_seconds: float
    requests: Counter = field(default_factory=Counter)  # (phase, kind) -> count
    statuses: dict = field(default_factory=lambda: defaultdict(Counter))  # phase -> Counter
    server_errors: list = field(default_factory=list)  # "phase METHOD path: status"
    connection_errors: list = field(default_factory=list)
    sign_ins: dict = field(default_factory=lambda: defaultdict(Counter))  # phase -> ok/failed
    rsvps: dict = field(default_factory=lambda: defaultdict(Counter))  # phase -> answered/not
    rsvp_members: dict = field(default_factory=lambda: defaultdict(set))  # phase -> emails
    # /health/ probes: (phase when sent, seconds since start when sent, status, json|None,
    # seconds since start when answered)
    health: list = field(default_factory=list)
    stopped_at: float = 0.0  # seconds since start: Redis stopped
    restarted_at: float = 0.0  # seconds since start: Redis being started again
    # Seconds from Redis answering again to the first probe sent that got 200.
    health_back_after: float | None = None
    # ... and to that probe's answer (longer when the probe waited behind members' requests).
    health_back_answered_after: float | None = None
    latencies: dict = field(default_factory=lambda: defaultdict(list))  # phase -> ms

    @property
    def health_during(self) -> list:
        """(status, json) of the probes sent and answered while Redis was down."""
        return [
            (status, body)
            for _, sent, status, body, answered in self.health
            if sent >= self.stopped_at and answered <= self.restarted_at
        ]

    def lines(self) -> list[str]:
        def pct(values, q):
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

        out = [f"{self.members} members; Redis stopped for {self.outage_seconds:.0f} s"]
        out.append(f"{'phase':<8}{'requests':>9}{'5xx':>6}{'p50 ms':>8}{'p95 ms':>8}  statuses")
        for phase in PHASES:
            statuses = self.statuses[phase]
            errors = sum(n for s, n in statuses.items() if s >= 500)
            lat = self.latencies[phase]
            out.append(
                f"{phase:<8}{sum(statuses.values()):>9}{errors:>6}{pct(lat, 0.5):>8.0f}"
                f"{pct(lat, 0.95):>8.0f}  {dict(sorted(statuses.items()))}"
            )
        for phase in PHASES:
            out.append(
                f"{phase:<8}sign-ins {dict(self.sign_ins[phase])}, RSVPs {dict(self.rsvps[phase])}"
            )
        during = Counter(status for status, _ in self.health_during)
        json_ok = sum(1 for _, body in self.health_during if body is not None)
        out.append(
            f"/health/ during the outage: {dict(during)} ({json_ok} of {len(self.health_during)} "
            "answered JSON)"
        )
        if self.health_back_after is None:
            out.append("/health/ 200 again after Redis came back: never")
        else:
            out.append(
                f"/health/ 200 again after Redis came back: for probes sent "
                f"{self.health_back_after:.1f} s after (answered after "
                f"{self.health_back_answered_after:.1f} s)"
            )
        out.append(
            f"Server errors (5xx): {len(self.server_errors)} {self.server_errors[:5]}; "
            f"connection errors: {len(self.connection_errors)} {self.connection_errors[:3]}"
        )
        return out


@dataclass
class OutagePlan:
    emails: list[str]
    password: str
    sessions: list[str]  # a signed-in session per member, for the first phase
    browse: list[str]  # pages members and visitors open
    rsvp_event: dict[str, int]  # phase -> event id members answer during that phase


def seed_outage_plan(
    *, members: int, password: str, password_hash: str, secret_key: str
) -> OutagePlan:
    """Members (verified, sharing ``password_hash``, each with a session signed in for the server
    whose SECRET_KEY is ``secret_key``) and an event per phase; Django must be set up on the
    database the server uses, with a default Site and a home page."""
    from allauth.account.models import EmailAddress

    from community.models import Member
    from events.models import EventIndexPage
    from tests.factories import event_index, make_event

    tag = secrets.token_hex(3)
    emails = []
    for n in range(members):
        member = Member.objects.create(
            email=f"outage-{tag}-{n}@example.com", display_name=f"Outage Member {n}"
        )
        member.password = password_hash
        member.save(update_fields=["password"])
        EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
        emails.append(member.email)
    sessions = [
        _session_for(member, secret_key)
        for member in Member.objects.filter(email__in=emails).order_by("pk")
    ]
    index = EventIndexPage.objects.live().first() or event_index()
    events = {
        phase: make_event(f"Outage drive {tag} {phase}", days_ahead=10 + n, capacity=None)
        for n, phase in enumerate(PHASES)
    }
    browse = ["/", index.url, *(event.url for event in events.values())]
    return OutagePlan(
        emails=emails,
        password=password,
        sessions=sessions,
        browse=browse,
        rsvp_event={phase: event.pk for phase, event in events.items()},
    )


def _session_for(member, secret_key: str) -> str:
    """A signed-in session in the database, as a login on the server makes (its SECRET_KEY signs
    the session data and the auth hash), without hashing a password."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings

    with override_settings(SECRET_KEY=secret_key):
        store = SessionStore()
        store[SESSION_KEY] = str(member.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = member.get_session_auth_hash()
        store.create()
    return store.session_key


class _Run:
    def __init__(self, origin: str, plan: OutagePlan, report: OutageReport):
        self.origin, self.plan, self.report = origin, plan, report
        self.phase = "before"
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.began = time.monotonic()

    def record(self, kind: str, method: str, path: str, cookies=None, data=None):
        phase = self.phase
        started = time.perf_counter()
        try:
            result = request(self.origin, method, path, cookies=cookies, data=data)
        except OSError as error:
            with self.lock:
                self.report.connection_errors.append(f"{phase} {method} {path}: {error!r}")
            return None
        with self.lock:
            self.report.requests[(phase, kind)] += 1
            self.report.statuses[phase][result[0]] += 1
            self.report.latencies[phase].append((time.perf_counter() - started) * 1000)
            if result[0] >= 500:
                self.report.server_errors.append(f"{phase} {method} {path}: {result[0]}")
        return result


class _Member(threading.Thread):
    def __init__(self, run: _Run, email: str, session: str, think, spread: float, seed: int):
        super().__init__(daemon=True)
        self.run_, self.email, self.think, self.spread = run, email, think, spread
        self.rng = random.Random(seed)
        # Signed in already when the run begins; signs in again through the form once in each
        # later phase, at a random moment of its first ``spread`` seconds (the password check is
        # what costs: PBKDF2 as in production), keeping the old session until then.
        self.cookies: dict[str, str] = {"sessionid": session}
        self.signed_in_phase = PHASES[0]
        self.phase_seen = PHASES[0]
        self.sign_in_at = 0.0

    def sign_in(self, phase: str) -> None:
        run = self.run_
        self.cookies = {}  # a new visit: signed out, no cookies
        run.record("page", "GET", "/accounts/login/")
        result = run.record(
            "sign-in",
            "POST",
            "/accounts/login/",
            cookies=self.cookies,
            data={"login": self.email, "password": run.plan.password},
        )
        ok = result is not None and result[0] == 302 and result[3].get("sessionid")
        if ok:
            self.cookies = {"sessionid": result[3]["sessionid"]}
        with run.lock:
            run.report.sign_ins[phase]["ok" if ok else "failed"] += 1
        self.signed_in_phase = phase

    def rsvp(self, phase: str) -> None:
        run = self.run_
        event_id = run.plan.rsvp_event[phase]
        result = run.record(
            "rsvp",
            "POST",
            f"/events/{event_id}/rsvp/",
            cookies=self.cookies,
            data={"answer": self.rng.choice(["going", "going", "maybe"])},
        )
        # The RSVP view sends the member back to the event page (a login page means signed out).
        accepted = (
            result is not None
            and result[0] == 302
            and "/accounts/login/" not in (result[1].get("Location") or "")
        )
        with run.lock:
            run.report.rsvps[phase]["answered" if accepted else "not answered"] += 1
            if accepted:
                run.report.rsvp_members[phase].add(self.email)

    def run(self) -> None:
        run = self.run_
        while not run.stopped.is_set():
            phase = run.phase
            if phase != self.phase_seen:
                self.phase_seen = phase
                self.sign_in_at = time.monotonic() + self.rng.uniform(0, self.spread)
            if self.signed_in_phase != phase and time.monotonic() >= self.sign_in_at:
                self.sign_in(phase)
            # In turn (from a random start): a page as a member, a page as a visitor, an RSVP.
            self.turn = (getattr(self, "turn", self.rng.randrange(3)) + 1) % 3
            if self.turn == 0:
                run.record("page", "GET", self.rng.choice(run.plan.browse), cookies=self.cookies)
            elif self.turn == 1:
                run.record("visitor", "GET", self.rng.choice(run.plan.browse))
            else:
                self.rsvp(phase)
            run.stopped.wait(self.rng.uniform(*self.think))


class _HealthWatch(threading.Thread):
    """Sends a /health/ probe every ``interval`` seconds, each on its own thread, so one probe
    queued behind members' requests does not hold back the next."""

    def __init__(self, run: _Run, interval: float = 0.5):
        super().__init__(daemon=True)
        self.run_, self.interval = run, interval
        self.probes: list[threading.Thread] = []

    def probe(self) -> None:
        run = self.run_
        phase = run.phase
        sent = time.monotonic() - run.began
        try:
            status, headers, body, _ = request(run.origin, "GET", "/health/")
        except OSError:
            status, body = None, b""
        try:
            parsed = json.loads(body) if status else None
        except ValueError:
            parsed = None
        with run.lock:
            answered = time.monotonic() - run.began
            run.report.health.append((phase, sent, status, parsed, answered))

    def run(self) -> None:
        while not self.run_.stopped.is_set():
            probe = threading.Thread(target=self.probe, daemon=True)
            probe.start()
            self.probes.append(probe)
            self.run_.stopped.wait(self.interval)
        for probe in self.probes:
            probe.join(timeout=130)


def drive_outage(
    *,
    gunicorn: Gunicorn,
    redis: RedisServer,
    plan: OutagePlan,
    before: float = 5,
    outage: float = 20,
    after: float = 8,
    think: tuple[float, float] = (2.0, 5.0),
    seed: int = 13,
) -> OutageReport:
    """Members use the site; Redis is stopped after ``before`` s for ``outage`` s, then started
    again, and members go on for ``after`` s more, and at least until /health/ has said 200 and
    every member has signed in again (at most 90 s)."""
    report = OutageReport(members=len(plan.emails), outage_seconds=outage)
    run = _Run(gunicorn.origin, plan, report)
    spread = outage / 3
    threads = [
        _Member(run, email, session, think, spread, seed + n)
        for n, (email, session) in enumerate(zip(plan.emails, plan.sessions, strict=True))
    ]
    threads.append(_HealthWatch(run))
    for thread in threads:
        thread.start()
    try:
        time.sleep(before)
        redis.stop()
        report.stopped_at = time.monotonic() - run.began
        run.phase = "during"
        time.sleep(outage)
        report.restarted_at = time.monotonic() - run.began
        redis.start()
        back = time.monotonic() - run.began
        run.phase = "after"
        deadline = time.monotonic() + max(after, 90)
        while time.monotonic() < deadline:
            time.sleep(0.25)
            with run.lock:
                healthy = sorted(
                    (sent, answered)
                    for _, sent, status, _, answered in report.health
                    if sent >= back and status == 200
                )
                signed_in = sum(report.sign_ins["after"].values())
            if healthy and report.health_back_after is None:
                report.health_back_after = healthy[0][0] - back
                report.health_back_answered_after = healthy[0][1] - back
            if (
                report.health_back_after is not None
                and signed_in >= len(plan.emails)
                and time.monotonic() - run.began >= back + after
            ):
                break
    finally:
        run.stopped.set()
        for thread in threads:
            thread.join(timeout=60)
    return report
