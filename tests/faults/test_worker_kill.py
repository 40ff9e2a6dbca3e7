"""Fault tests: real Celery workers (production settings) SIGKILLed mid-send, the SMTP server
stopped mid-send, and staff pressing Send while Redis is down. Each test starts its own
redis-server on a spare port and an SMTP listener that counts every message per Message-ID and
recipient; the worker and beat run against this test's PostgreSQL database. Leases and sweeps are
shortened (seconds instead of minutes) so recovery fits in a test; the code paths are the
production ones. Figures for 1,000 invitations and 10 kills: bench/outbox_faults_bench.py."""

import random
import time

import pytest
from django.conf import settings
from django.urls import reverse

from community.models import Member
from events.models import Invitation, InvitationSend
from tests.factories import make_event
from tests.support.workers import (
    CeleryBeat,
    CeleryWorker,
    CountingSMTP,
    RedisServer,
    publishing_to,
    wait_until,
    worker_env,
)

pytestmark = [
    pytest.mark.fault,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

# Recovery in seconds: a dead worker's claims lapse after 4 s, beat sweeps every second.
FAST = {
    "PADDOCK_OUTBOX_LEASE_SECONDS": "4",
    "PADDOCK_OUTBOX_RETRY_SECONDS": "1",
    "PADDOCK_SWEEP_SECONDS": "1",
    "PADDOCK_SWEEP_GRACE_SECONDS": "2",
    "EMAIL_TIMEOUT": "2",
}


@pytest.fixture
def redis_server():
    with RedisServer() as server:
        yield server


@pytest.fixture
def smtp():
    with CountingSMTP() as listener:
        yield listener


@pytest.fixture
def stack(site_tree, redis_server, smtp):
    """A worker and beat on this test's database, broker and SMTP listener."""
    env = worker_env(
        database=settings.DATABASES["default"]["NAME"],
        broker_url=redis_server.url(),
        smtp_port=smtp.port,
        **FAST,
    )
    worker, beat = CeleryWorker(env), CeleryBeat(env)
    worker.start()
    beat.start()
    yield worker, beat
    worker.stop()
    beat.stop()


def _audience(count: int) -> tuple:
    members = Member.objects.bulk_create(
        [
            Member(email=f"owner{n}@example.com", display_name=f"Owner {n}", handle=f"owner-{n}")
            for n in range(count)
        ]
    )
    staff = Member.objects.create(
        email="staff@example.com",
        display_name="Staff",
        handle="staff",
        is_staff=True,
        is_superuser=True,
        email_invitations=False,
    )
    event = make_event("Dawn run")
    return event, staff, {m.email for m in members}


def _press_send(client, staff, event):
    client.force_login(staff)
    return client.post(
        reverse("event_rsvps:invite", args=[event.pk]), {"kind": "all", "action": "send"}
    )


def _all_arrived(smtp: CountingSMTP, expected: set[str]) -> bool:
    return expected <= set(smtp.recipients())


def _report(smtp, expected, worker, beat) -> str:
    lost = expected - set(smtp.recipients())
    return (
        f"lost {len(lost)}, duplicates {smtp.duplicates()}; "
        f"worker log:\n{worker.log()[-3000:]}\nbeat log:\n{beat.log()[-1500:]}"
    )


def test_worker_killed_mid_send_loses_nothing_and_resends_at_most_one_per_kill(
    client, stack, redis_server, smtp
):
    worker, beat = stack
    event, staff, expected = _audience(300)
    kills = 3
    with publishing_to(redis_server.url()):
        assert _press_send(client, staff, event).status_code == 302
    # Kill at random points of the send: after a random share of the mail has arrived.
    for share in sorted(random.uniform(0.05, 0.85) for _ in range(kills)):
        wait_until(lambda s=share: len(smtp.recipients()) >= s * len(expected), timeout=120)
        time.sleep(random.uniform(0, 0.05))
        worker.kill()
        worker.start()
    assert wait_until(lambda: _all_arrived(smtp, expected), timeout=180), _report(
        smtp, expected, worker, beat
    )
    time.sleep(6)  # a lease and a sweep more: a late duplicate would show now
    assert not expected - set(smtp.recipients()) and smtp.duplicates() <= kills, _report(
        smtp, expected, worker, beat
    )


def test_smtp_server_stopped_mid_send_every_invitation_arrives_once_it_is_back(
    client, stack, redis_server, smtp
):
    worker, beat = stack
    event, staff, expected = _audience(200)
    with publishing_to(redis_server.url()):
        assert _press_send(client, staff, event).status_code == 302
    wait_until(lambda: len(smtp.recipients()) >= 50, timeout=120)
    smtp.stop()
    time.sleep(3)
    smtp.start()
    assert wait_until(lambda: _all_arrived(smtp, expected), timeout=120), _report(
        smtp, expected, worker, beat
    )
    time.sleep(3)
    # The one message in the server's hands when it stopped may be accepted and not confirmed.
    assert smtp.duplicates() <= 1, _report(smtp, expected, worker, beat)


def test_send_pressed_while_redis_is_down_goes_out_once_redis_is_back(
    client, stack, redis_server, smtp
):
    worker, beat = stack
    event, staff, expected = _audience(100)
    redis_server.stop()
    with publishing_to(redis_server.url()):
        assert _press_send(client, staff, event).status_code == 302
    assert InvitationSend.objects.filter(event=event, finished_at__isnull=True).exists()
    assert not Invitation.objects.filter(event=event).exists()
    time.sleep(2)
    redis_server.start()  # empty: whatever was queued before is gone
    assert wait_until(lambda: _all_arrived(smtp, expected), timeout=120), _report(
        smtp, expected, worker, beat
    )
    time.sleep(2)
    assert smtp.duplicates() == 0 and set(smtp.recipients()) == expected
