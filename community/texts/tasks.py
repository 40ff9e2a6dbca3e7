"""Celery tasks of the text outbox: thin wrappers taking ids (listed in CELERY_IMPORTS)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from community.texts import outbox as text_outbox


@shared_task
def text_send_task(text_id: int) -> bool:
    return text_outbox.text_send(text_id=text_id)


@shared_task
def text_send_batch_task(text_ids: list[int]) -> int:
    """A batch of texts queued together (an event's invitations), over one provider connection."""
    return text_outbox.text_send_many(text_ids=text_ids)


@shared_task
def text_outbox_flush_task() -> int:
    """Beat: every minute, send the texts that are due and were not sent at once."""
    return text_outbox.text_outbox_flush(
        older_than=timedelta(seconds=settings.PADDOCK_SWEEP_GRACE_SECONDS)
    )
