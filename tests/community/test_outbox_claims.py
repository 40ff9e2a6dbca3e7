"""Outbox claims: a message is claimed with a lease before it is sent and its outcome recorded the
moment the SMTP server accepts it, so a worker dying mid-batch resends at most the one message it
was handing over, and loses none."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from community.models import OutboundEmail
from community.outbox import (
    build_message,
    outbox_claim,
    outbox_enqueue_many,
    outbox_flush,
    outbox_send,
    outbox_send_many,
)

pytestmark = pytest.mark.django_db

KILLED_AFTER = 3


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no ``except Exception`` catches it."""


class KilledAfterAcceptingBackend(EmailBackend):
    """An SMTP server that accepts messages, with the worker killed just after the KILLED_AFTER-th
    was accepted (before Paddock could record it)."""

    def send_messages(self, messages):
        count = super().send_messages(messages)
        if len(mail.outbox) == KILLED_AFTER:
            raise WorkerKilled
        return count


def _queued(count: int) -> list[int]:
    waiting = outbox_enqueue_many(
        [
            OutboundEmail(
                kind="test", to=f"m{n}@example.com", subject="Hi", body="x", dedupe_key=f"k:{n}"
            )
            for n in range(count)
        ]
    )
    return sorted(waiting.values())


def test_outbox_claim_skips_a_message_another_worker_holds():
    ids = _queued(2)
    assert outbox_claim(token="worker-a", limit=10, message_ids=ids) == ids
    assert outbox_claim(token="worker-b", limit=10, message_ids=ids) == []


def test_outbox_claim_takes_a_message_whose_lease_lapsed():
    ids = _queued(1)
    outbox_claim(token="worker-a", limit=10, message_ids=ids)
    OutboundEmail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert outbox_claim(token="worker-b", limit=10, message_ids=ids) == ids
    assert OutboundEmail.objects.get().claimed_by == "worker-b"


def test_outbox_send_records_the_outcome_and_releases_the_claim():
    [message_id] = _queued(1)
    assert outbox_send(message_id=message_id) is True
    message = OutboundEmail.objects.get(pk=message_id)
    assert (message.status, message.attempts, message.claimed_by, message.lease_until) == (
        OutboundEmail.Status.SENT,
        1,
        "",
        None,
    )


def test_outbox_worker_killed_mid_batch_keeps_what_was_sent_recorded(settings):
    ids = _queued(10)
    settings.EMAIL_BACKEND = "tests.community.test_outbox_claims.KilledAfterAcceptingBackend"
    with pytest.raises(WorkerKilled):
        outbox_send_many(message_ids=ids)
    statuses = list(OutboundEmail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent"] * (KILLED_AFTER - 1) + ["queued"] * (10 - KILLED_AFTER + 1)


def test_outbox_worker_killed_mid_batch_leaves_the_rest_until_its_lease_lapses(settings):
    ids = _queued(10)
    settings.EMAIL_BACKEND = "tests.community.test_outbox_claims.KilledAfterAcceptingBackend"
    with pytest.raises(WorkerKilled):
        outbox_send_many(message_ids=ids)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_flush() == 0  # still claimed by the dead worker


def test_outbox_worker_killed_mid_batch_resends_only_the_message_in_flight(settings):
    ids = _queued(10)
    settings.EMAIL_BACKEND = "tests.community.test_outbox_claims.KilledAfterAcceptingBackend"
    with pytest.raises(WorkerKilled):
        outbox_send_many(message_ids=ids)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))  # lapsed
    assert outbox_flush() == 10 - KILLED_AFTER + 1
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(set(recipients)) == sorted(f"m{n}@example.com" for n in range(10))  # none lost
    assert len(recipients) - len(set(recipients)) == 1  # the one in flight went twice


def test_outbox_message_id_is_the_same_on_every_attempt():
    [message_id] = _queued(1)
    message = OutboundEmail.objects.get(pk=message_id)
    first = build_message(message).message()["Message-ID"]
    again = build_message(OutboundEmail.objects.get(pk=message_id)).message()["Message-ID"]
    assert first == again == f"<{message.message_uuid}@paddock.localhost>"


def test_outbox_message_id_differs_between_messages():
    ids = _queued(2)
    headers = {
        build_message(m).message()["Message-ID"] for m in OutboundEmail.objects.filter(pk__in=ids)
    }
    assert len(headers) == 2


def test_outbox_sent_message_carries_its_message_id(smtp_server):
    [message_id] = _queued(1)
    outbox_send(message_id=message_id)
    received = smtp_server.wait_for_message()
    uuid = OutboundEmail.objects.get(pk=message_id).message_uuid
    assert received.message["Message-ID"] == f"<{uuid}@paddock.localhost>"
