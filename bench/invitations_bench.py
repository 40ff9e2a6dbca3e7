"""Invitations benchmark: 10,000 invitations from the staff's click to all accepted by an SMTP server.

Run from the repository root (PostgreSQL as on every Paddock machine):

    .venv/bin/python bench/invitations_bench.py [COUNT]     # default 10000; goal: under 60 s

It builds a scratch database (``paddock_bench_inv``, dropped afterwards) with COUNT members, starts a
local SMTP listener (aiosmtpd on 127.0.0.1), then times what happens after "Send": the invitation
rows and outbox messages are created in batches of 500 (as the Celery task does) and 4 worker
threads send them (as Celery workers would), until the listener has accepted every message.
"""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_NAME = "paddock_bench_inv"
WORKERS = 4


def main(count: int) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="paddock.settings.dev",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tests.support.smtp import _EphemeralPortController

    try:
        call_command("migrate", verbosity=0)
        received = []
        lock = threading.Lock()

        class Counter:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                with lock:
                    received.append(len(envelope.content))
                return "250 OK"

        smtp = _EphemeralPortController(Counter(), hostname="127.0.0.1", port=0)
        smtp.start()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

        from community.models import Member, OutboundEmail
        from community.outbox import outbox_send_many
        from community.tasks import outbox_send_task
        from events.invitations import invitations_send
        from tests.factories import make_event

        outbox_send_task.delay = lambda *a, **k: None  # the workers below do the sending
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
            email="staff@example.com", display_name="Staff", handle="staff-x", is_staff=True
        )
        event = make_event("Bench Cars & Coffee")
        ids = list(Member.objects.filter(email__startswith="owner").values_list("pk", flat=True))
        print(f"{count:,} members ready; sending...", flush=True)

        started = time.perf_counter()
        for i in range(0, len(ids), 500):  # what invitations_send_task does
            invitations_send(event=event, by=staff, member_ids=ids[i : i + 500])
        queued_at = time.perf_counter()

        def worker(chunk):
            try:
                for i in range(0, len(chunk), 100):  # what a worker's batch task does
                    outbox_send_many(message_ids=chunk[i : i + 100])
            finally:
                connection.close()

        message_ids = list(OutboundEmail.objects.order_by("pk").values_list("pk", flat=True))
        chunks = [message_ids[n::WORKERS] for n in range(WORKERS)]
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(worker, chunks))
        deadline = time.monotonic() + 120
        while len(received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        done = time.perf_counter()
        smtp.stop()
        print(f"invitations queued (rows + rendered mail): {queued_at - started:6.1f} s")
        print(
            f"all {len(received):,} accepted by the SMTP listener: {done - started:6.1f} s "
            f"({len(received) / (done - started):,.0f} messages/s; goal: {count:,} in under 60 s)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
