"""Workers SIGKILLed during an invitation send: how many lost, how many twice, how long.

Run from the repository root (PostgreSQL as on every Paddock machine; redis-server installed):

    make bench-outbox-faults
    .venv/bin/python bench/outbox_faults_bench.py [--count 1000] [--kills 10] [--concurrency 2]

It builds a scratch database (``paddock_bench_faults``, dropped afterwards) with COUNT members,
starts its own redis-server on a spare port, an SMTP listener that counts every message per
Message-ID and recipient, Celery beat and a Celery worker (production settings, prefork), then
presses the invite screen's Send for every member. While the mail goes out it SIGKILLs the whole
worker (main and pool processes) KILLS times, each after a random share of the mail has arrived,
and starts it again at once. It waits until every member has their invitation and prints how many
were lost (never arrived), how many arrived twice, and the time taken. Leases and sweeps are short
(below) so recovery takes seconds; in production they are minutes, the code path is the same.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_NAME = "paddock_bench_faults"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
FAST = {
    "PADDOCK_OUTBOX_LEASE_SECONDS": "5",
    "PADDOCK_OUTBOX_RETRY_SECONDS": "1",
    "PADDOCK_SWEEP_SECONDS": "1",
    "PADDOCK_SWEEP_GRACE_SECONDS": "3",
    "EMAIL_TIMEOUT": "2",
}


def main(count: int, kills: int, concurrency: int) -> int:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")

    from tests.support.workers import (
        CeleryBeat,
        CeleryWorker,
        CountingSMTP,
        RedisServer,
        publishing_to,
        wait_until,
        worker_env,
    )

    redis, smtp = RedisServer().start(), CountingSMTP().start()
    env = worker_env(database=DB_NAME, broker_url=redis.url(), smtp_port=smtp.port, **FAST)
    os.environ.update({k: v for k, v in env.items() if k not in ("PADDOCK_ENV",)})
    os.environ["DJANGO_SETTINGS_MODULE"] = "paddock.settings.production"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    worker = beat = None
    try:
        call_command("migrate", verbosity=0)
        from community.models import Member
        from tests.factories import make_event

        Member.objects.bulk_create(
            [
                Member(email=f"owner{n}@example.com", display_name=f"Owner {n}", handle=f"o-{n}")
                for n in range(count)
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
        expected = {f"owner{n}@example.com" for n in range(count)}
        worker = CeleryWorker(env, concurrency=concurrency).start()
        beat = CeleryBeat(env).start()
        client = Client(HTTP_HOST="localhost", headers={"X-Forwarded-Proto": "https"})
        client.force_login(staff)
        print(
            f"{count:,} members, worker concurrency {concurrency}, {kills} SIGKILLs; "
            f"lease {FAST['PADDOCK_OUTBOX_LEASE_SECONDS']} s, sweeps every "
            f"{FAST['PADDOCK_SWEEP_SECONDS']} s. Staff press Send...",
            flush=True,
        )
        started = time.perf_counter()
        with publishing_to(redis.url()):
            response = client.post(
                f"/admin/events/rsvps/invite/{event.pk}/",
                {"kind": "all", "action": "send"},
                secure=True,
            )
        assert response.status_code == 302, response.status_code
        killed = 0
        for share in sorted(random.uniform(0.02, 0.95) for _ in range(kills)):
            arrived = wait_until(lambda s=share: len(smtp.recipients()) >= s * count, timeout=300)
            if not arrived:
                break
            time.sleep(random.uniform(0, 0.05))
            worker.kill()
            killed += 1
            print(f"  SIGKILL {killed} after {len(smtp.recipients()):,} arrived", flush=True)
            worker.start()
        wait_until(lambda: expected <= set(smtp.recipients()), timeout=600)
        done = time.perf_counter()
        time.sleep(float(FAST["PADDOCK_OUTBOX_LEASE_SECONDS"]) + 3)  # late duplicates show now
        arrived = smtp.recipients()
        lost = len(expected - set(arrived))
        twice = sum(1 for n in arrived.values() if n > 1)
        print(f"SIGKILLs: {killed}")
        print(f"lost (never arrived): {lost}")
        print(f"arrived twice (same Message-ID): {smtp.duplicates()} ({twice} members)")
        print(f"time from Send to the last invitation: {done - started:.1f} s")
        ok = lost == 0 and smtp.duplicates() <= killed
        print("OK: none lost, at most one duplicate per kill." if ok else "FAILED")
        return 0 if ok else 1
    finally:
        for process in (worker, beat):
            if process is not None:
                process.stop()
        smtp.stop()
        redis.stop()
        from django.db import connections

        connections.close_all()
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    sys.exit(main(args.count, args.kills, args.concurrency))
