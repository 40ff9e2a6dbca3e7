"""Invitations by text: 2,000 members texted from the staff's click to all accepted by the API.

Run from the repository root (PostgreSQL and Redis as on every Paddock machine):

    .venv/bin/python bench/texts_bench.py [COUNT]     # default 2000;  or: make bench-texts

It builds a scratch database (``paddock_benchtxt``, dropped afterwards) with COUNT members, each
with a verified mobile number, consent to texts and invitations by text only, all in one club with
an event to invite them to. It starts the local server that speaks Twilio's Messages API
(tests/support/twilio_api.py) in this process and a real Celery worker (prefork, one process per
core, broker on Redis db 12) with the production text backend (SMS_BACKEND = TwilioBackend, the
real twilio SDK) pointed at it by TWILIO_API_BASE. Then it times the production path: the staff's
"Send the invitations" POST to the admin's invite screen; the worker writes the invitations and
queues one text per member in the text outbox; the outbox hands them to the API. It prints when
the last text was queued and when the API had accepted the last one, and checks, counting the
API's messages by To, that every member's number got exactly one text and nobody two (exit status
1 if not).

Nothing is frozen. Texts that are not urgent wait out the quiet hours (21:00-08:00 in the
dealership's time zone, community/texts/outbox.py), so the scratch dealership is put in a time
zone (TIME_ZONE, a setting read from the environment) where it is early afternoon now: the bench
runs at any hour with the quiet hours as they are, and a text they held would fail the run.
"""

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stack import drop_database, scratch_database, start_worker, stop_worker  # noqa: E402

DB_NAME = "paddock_benchtxt"
BROKER = "redis://127.0.0.1:6379/12"
WORKERS = os.cpu_count() or 2
SID, TOKEN, FROM_NUMBER = "AC" + "b" * 32, "bench-auth-token", "+447700900000"
TIMEOUT = 600


def daytime_zone(hour: int = 13) -> str:
    """A fixed-offset zone (Etc/GMT-N, whose sign is inverted) where it is ``hour`` o'clock now."""
    offset = (hour - datetime.now(UTC).hour) % 24
    if offset > 14:
        offset -= 24
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def number_of(i: int) -> str:
    return f"+4479{i:08d}"  # a UK mobile number in E.164, one per member


def main(count: int) -> int:
    import redis

    scratch_database(DB_NAME)
    redis.Redis.from_url(BROKER).flushdb()

    from tests.support.twilio_api import TwilioAPI

    api = TwilioAPI(sid=SID, token=TOKEN).__enter__()
    zone = daytime_zone()
    scratch = Path(tempfile.mkdtemp(prefix="paddock-benchtxt-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "paddock.settings.dev",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        "REDIS_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "TIME_ZONE": zone,
        "MAILBOX_DIR": str(scratch / "mail"),  # no mail is expected: members chose texts only
        "SMS_BACKEND": "community.texts.backends.twilio.TwilioBackend",
        "TWILIO_ACCOUNT_SID": SID,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_MESSAGING_SERVICE_SID": "",
        "TWILIO_API_BASE": api.base_url,
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    worker = None
    try:
        call_command("migrate", verbosity=0)
        from community.models import (
            Channel,
            Member,
            MemberMobile,
            Membership,
            OutboundEmail,
            OutboundText,
        )
        from events.texts import TEXT_KIND
        from tests.factories import make_club, make_event

        members = Member.objects.bulk_create(
            [
                Member(
                    email=f"owner{i}@example.com", display_name=f"Owner {i}", handle=f"owner-{i}"
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        now = timezone.now()
        MemberMobile.objects.bulk_create(
            [
                MemberMobile(
                    member=member,
                    number=number_of(i),
                    verified_at=now,
                    consent_at=now,
                    consent_wording="Yes, text me about Paddock events.",
                    invitations=Channel.TEXT,
                )
                for i, member in enumerate(members)
            ],
            batch_size=2000,
        )
        club = make_club("Bench Owners Club")
        Membership.objects.bulk_create(
            [Membership(club=club, member=member) for member in members], batch_size=2000
        )
        staff = Member.objects.create(
            email="staff@example.com",
            display_name="Staff",
            handle="staff-x",
            is_staff=True,
            is_superuser=True,
            email_invitations=False,
        )
        event = make_event("Bench Cars & Coffee", host_club=club)
        worker = start_worker(env, concurrency=WORKERS)
        client = Client(HTTP_HOST="localhost")
        client.force_login(staff)
        local = timezone.localtime(timezone.now())
        print(
            f"{count:,} members texted for invitations, {WORKERS} worker processes; dealership "
            f"time {local:%H:%M} ({zone}), quiet hours 21:00-08:00; staff press Send...",
            flush=True,
        )

        texts = OutboundText.objects.filter(kind=TEXT_KIND)
        started = time.perf_counter()
        response = client.post(
            f"/admin/events/rsvps/invite/{event.pk}/",
            {"kind": "club", "club": club.pk, "action": "send"},
        )
        assert response.status_code == 302, response.status_code
        queued_at = None
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if queued_at is None and texts.count() >= count:
                queued_at = time.perf_counter()
            if len(api.messages) >= count:
                break
            time.sleep(0.05)
        done = time.perf_counter()
        time.sleep(1)  # anything sent twice would arrive now
        accepted = len(api.messages)
        elapsed = done - started

        per_number = Counter(message["To"] for message in api.messages)
        expected = {number_of(i) for i in range(count)}
        missing = expected - set(per_number)
        twice = {number for number, n in per_number.items() if n > 1}
        strangers = set(per_number) - expected
        status = Counter(texts.values_list("status", flat=True))
        mails = OutboundEmail.objects.filter(kind="invitation").count()

        print(
            f"last text queued (invitations + outbox rows):  {(queued_at or done) - started:6.1f} s"
        )
        print(
            f"last text accepted by the local Twilio API:    {elapsed:6.1f} s  "
            f"({accepted:,} of {count:,}; {accepted / elapsed:,.0f} texts/s)"
        )
        print(
            f"members texted once: {sum(1 for n in per_number.values() if n == 1):,}; "
            f"not texted: {len(missing)}; texted twice or more: {len(twice)}; "
            f"other numbers: {len(strangers)}"
        )
        print(
            f"outbox: {status.get('sent', 0):,} sent, {status.get('queued', 0)} queued, "
            f"{status.get('failed', 0)} failed; invitation emails: {mails}"
        )
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        ok = not missing and not twice and not strangers and accepted == count
        print("OK: every member texted exactly once." if ok else "FAILED.")
        return 0 if ok else 1
    finally:
        stop_worker(worker)
        api.__exit__(None, None, None)
        drop_database(DB_NAME)
        subprocess.run(["rm", "-rf", str(scratch)], check=False)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
