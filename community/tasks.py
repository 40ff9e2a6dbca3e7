"""Celery tasks: thin wrappers around services, taking plain values."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from community.outbox import outbox_drain, outbox_flush, outbox_send, outbox_send_many


@shared_task
def outbox_send_task(message_id: int) -> bool:
    return outbox_send(message_id=message_id)


@shared_task
def outbox_drain_task() -> int:
    """Send every message that is due (after a commit queued mail: ``outbox_drain_request``)."""
    return outbox_drain()


@shared_task
def outbox_send_batch_task(message_ids: list[int]) -> int:
    """Send a batch of queued messages over one SMTP session (bulk mail such as invitations)."""
    return outbox_send_many(message_ids=message_ids)


@shared_task
def outbox_flush_task() -> int:
    """Beat: every minute, send what could not be sent at once (Redis or SMTP was down, or the
    worker sending it died: its claim has lapsed)."""
    return outbox_flush(older_than=timedelta(seconds=settings.PADDOCK_SWEEP_GRACE_SECONDS))
