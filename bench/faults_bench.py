"""Redis stopped for 60 s under 20 members: server errors, sign-ins, RSVPs and /health/.

Run from the repository root (PostgreSQL as on every Paddock machine, and `redis-server`):

    .venv/bin/python bench/faults_bench.py [--outage 60] [--members 20]   # or: make bench-faults

It builds a scratch database with the demo (bench/stack.py), starts a Redis of its own on a spare
port (never the machine's) and gunicorn with site/deploy/gunicorn.conf.py and the production
settings on both. Members (one thread each, signed in) view pages as members and as visitors and
RSVP, and sign in again through the form once Redis is down and once it is back; a watcher polls
/health/ four times a second. After --before seconds Redis is stopped; --outage seconds later it is
started again (empty, as after a restart). It prints requests, 5xx and latency per phase, sign-ins
and RSVPs per phase, what /health/ answered during the outage and how long after Redis came back
it said 200, and checks the database holds every RSVP answered during the outage. The exit status
is 1 when a server error happened or a check fails. The harness is tests/support/faults.py, the
same the fault test (tests/faults/test_redis_outage.py) uses with a shorter outage.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
from pathlib import Path

from stack import Stack

from tests.support.faults import (
    Gunicorn,
    RedisServer,
    drive_outage,
    free_port,
    production_env,
    seed_outage_plan,
)

PASSWORD = "outage-drill-password"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=60.0, help="seconds Redis is down")
    parser.add_argument("--before", type=float, default=10.0)
    parser.add_argument("--after", type=float, default=15.0)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    stack = Stack(db_name="paddock_faults_bench")
    workdir = Path(tempfile.mkdtemp(prefix="paddock-faults-"))
    print("Preparing a scratch database with the demo (migrate, seed_demo, collectstatic)...")
    try:
        stack.prepare()
        stack.django()
        from django.contrib.auth.hashers import PBKDF2PasswordHasher

        from events.models import Rsvp

        secret_key = secrets.token_urlsafe(50)
        plan = seed_outage_plan(
            members=args.members,
            password=PASSWORD,
            password_hash=PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8)),
            secret_key=secret_key,
        )
        with RedisServer(workdir / "redis") as redis:
            env = production_env(
                database_url=stack.env["DATABASE_URL"],
                redis_url=redis.url(0),
                port=free_port(),
                workdir=workdir,
                static_root=stack.static_root,
                secret_key=secret_key,
            )
            gunicorn = Gunicorn(env, workers=args.workers)
            gunicorn.start()
            print(
                f"gunicorn (site/deploy/gunicorn.conf.py, production settings, {args.workers} "
                f"workers) on {gunicorn.origin}; Redis of its own on port {redis.port}."
            )
            try:
                report = drive_outage(
                    gunicorn=gunicorn,
                    redis=redis,
                    plan=plan,
                    before=args.before,
                    outage=args.outage,
                    after=args.after,
                )
            finally:
                gunicorn.stop()
        print()
        print("\n".join(report.lines()))
        problems = []
        if report.server_errors:
            problems.append(f"{len(report.server_errors)} server errors")
            print(gunicorn.log_tail())
        stored = Rsvp.objects.filter(event_id=plan.rsvp_event["during"]).count()
        answered = len(report.rsvp_members["during"])
        print(f"RSVPs answered during the outage by {answered} members; rows stored: {stored}")
        if stored != answered:
            problems.append(f"{answered} members answered during the outage, {stored} stored")
        if report.sign_ins["during"]["failed"] or report.sign_ins["after"]["failed"]:
            problems.append("a sign-in failed")
        if any(status != 503 or body is None for status, body in report.health_during):
            problems.append("/health/ did not answer 503 with JSON throughout the outage")
        if report.health_back_after is None or report.health_back_after >= 5:
            problems.append("/health/ did not say 200 within 5 s of Redis coming back")
        if problems:
            print("FAILED:\n  - " + "\n  - ".join(problems))
            return 1
        print(
            "OK: 0 server errors; members signed in and RSVPd during the outage; /health/ 503 "
            "with JSON during it and 200 within 5 s after."
        )
        return 0
    finally:
        stack.stop()
        if str(workdir).startswith(tempfile.gettempdir()):
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
