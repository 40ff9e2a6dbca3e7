"""Invitations benchmark: 10,000 invitations from the staff's click to all accepted by an SMTP server.

Run from the repository root (PostgreSQL and Redis as on every Paddock machine):

    .venv/bin/python bench/invitations_bench.py [COUNT]     # default 10000; goal: under 60 s

It builds a scratch database (``paddock_bench_inv``, dropped afterwards) with COUNT members, starts
a local SMTP listener (aiosmtpd on 127.0.0.1) and a real Celery worker (prefork, one process per
core, broker on Redis db 14), then times the production path: the staff's "Send the invitations"
POST to the admin's invite screen queues the task; the worker writes the invitation rows and their
messages in batches of 500 and sends them in batches of 100 over one SMTP session each, until the
listener has accepted every message. It prints when the last message was queued and when the last
was accepted, and checks that nobody got two.
"""

import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stack import drop_database, scratch_database, start_worker, stop_worker  # noqa: E402

DB_NAME = "paddock_bench_inv"
BROKER = "redis://127.0.0.1:6379/14"
WORKERS = os.cpu_count() or 2


def main(count: int) -> None:
    import redis

    scratch_database(DB_NAME)
    redis.Redis.from_url(BROKER).flushdb()

    from tests.support.smtp import _EphemeralPortController

    received: Counter[str] = Counter()
    lock = threading.Lock()

    class Listener:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with lock:
                for rcpt in envelope.rcpt_tos:
                    received[rcpt] += 1
            return "250 OK"

    smtp = _EphemeralPortController(Listener(), hostname="127.0.0.1", port=0)
    smtp.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "paddock.settings.dev",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        "REDIS_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    worker = None
    try:
        call_command("migrate", verbosity=0)
        from community.models import Member
        from events.models import Invitation
        from tests.factories import make_event

        Member.objects.bulk_create(
            [
                Member(
                    email=f"owner{i}@example.com", display_name=f"Owner {i}", handle=f"owner-{i}"
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        staff = Member.objects.create(
            email="staff@example.com",
            display_name="Staff",
            handle="staff-x",
            is_staff=True,
            is_superuser=True,
            email_invitations=False,
        )
        event = make_event("Bench Cars & Coffee")
        worker = start_worker(env, concurrency=WORKERS)
        client = Client(HTTP_HOST="localhost")
        client.force_login(staff)
        print(f"{count:,} members, {WORKERS} worker processes; staff press Send...", flush=True)

        started = time.perf_counter()
        response = client.post(
            f"/admin/events/rsvps/invite/{event.pk}/", {"kind": "all", "action": "send"}
        )
        assert response.status_code == 302, response.status_code
        queued_at = None
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if queued_at is None and (
                Invitation.objects.filter(event=event, message__isnull=False).count() >= count
            ):
                queued_at = time.perf_counter()
            with lock:
                if len(received) >= count:
                    break
            time.sleep(0.05)
        done = time.perf_counter()
        twice = sum(1 for n in received.values() if n > 1)
        print(
            f"all invitations queued (rows + rendered mail): {(queued_at or done) - started:6.1f} s"
        )
        print(
            f"{len(received):,} of {count:,} accepted by the SMTP listener: {done - started:6.1f} s "
            f"({len(received) / (done - started):,.0f} messages/s; goal: {count:,} in under 60 s)"
        )
        print(f"members who got it twice: {twice}")
    finally:
        stop_worker(worker)
        smtp.stop()
        drop_database(DB_NAME)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
