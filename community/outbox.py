"""The outbox: queue a message in the current transaction, send it after commit, retry until sent.

``outbox_enqueue`` writes an OutboundEmail row (nothing is lost if the request's transaction
commits, whatever Redis or SMTP are doing) and, after commit, asks Celery to send it. If Celery's
broker is down, the row stays queued and ``outbox_flush`` (beat, every minute) sends it later.
``outbox_send`` locks the row (``SELECT ... FOR UPDATE SKIP LOCKED``), so two workers never send
the same message; an SMTP failure leaves it queued for the next flush, up to MAX_ATTEMPTS.
"""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import OutboundEmail

logger = logging.getLogger("paddock.outbox")
MAX_ATTEMPTS = 12


def outbox_enqueue(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    headers: dict | None = None,
    reply_to: str = "",
    from_email: str = "",
    attachments: list[dict] = (),
    alternatives: list[dict] = (),
    dedupe_key: str | None = None,
    member=None,
) -> OutboundEmail | None:
    """Queue one message; returns None when ``dedupe_key`` was queued before (nothing is added).
    ``from_email``: the showroom's sender (community.showrooms.sender_address); blank means
    DEFAULT_FROM_EMAIL."""
    subject = " ".join(subject.split())  # a header never carries a line break
    try:
        with transaction.atomic():
            message = OutboundEmail.objects.create(
                kind=kind,
                to=to,
                subject=subject[:300],
                body=body,
                html=html,
                headers=headers or {},
                reply_to=reply_to,
                from_email=from_email,
                attachments=list(attachments),
                alternatives=list(alternatives),
                dedupe_key=dedupe_key,
                member=member,
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: _dispatch(message.pk))
    return message


def _dispatch(message_id: int) -> None:
    from community.tasks import outbox_send_task
    from paddock.celery import enqueue

    # The broker may be away: enqueue() logs and returns None, and the row waits for outbox_flush.
    enqueue(outbox_send_task, message_id)


def build_message(message: OutboundEmail) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=message.headers or None,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for alternative in message.alternatives:
        email.attach_alternative(alternative["content"], alternative["mimetype"])
    for attachment in message.attachments:
        email.attach(
            attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"]
        )
    return email


def _deliver(message: OutboundEmail, connection=None) -> bool:
    """Try to send one locked message and record the outcome on it (the caller saves it)."""
    message.attempts += 1
    try:
        email = build_message(message)
        if connection is not None:
            email.connection = connection
        email.send()
    except Exception as error:  # SMTP down or refusing: keep it for the next flush
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboundEmail.Status.FAILED
        logger.warning(
            "Outbound email %s not sent (attempt %s): %s", message.pk, message.attempts, error
        )
        return False
    message.status = OutboundEmail.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    return True


_OUTCOME_FIELDS = ["attempts", "status", "sent_at", "last_error"]


def outbox_send(*, message_id: int, connection=None) -> bool:
    """Send one queued message; True when it was sent now. ``connection`` (an open Django mail
    connection) lets a batch share one SMTP session."""
    with transaction.atomic():
        message = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboundEmail.Status.QUEUED)
            .first()
        )
        if message is None:  # sent already, or another worker has it right now
            return False
        sent = _deliver(message, connection)
        message.save(update_fields=_OUTCOME_FIELDS)
        return sent


def outbox_flush(*, older_than: timedelta = timedelta(seconds=0), limit: int = 500) -> int:
    """Send what is still queued (broker or SMTP was down); returns how many were sent."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return outbox_send_many(message_ids=ids)


def outbox_send_many(*, message_ids: list[int], batch: int = 100) -> int:
    """Send several queued messages over one SMTP session. Each batch of rows is locked together
    (``SKIP LOCKED``: a message another worker holds is left to it) and their outcomes are written
    in one statement; a worker that dies mid-batch leaves the rows queued for the next flush."""
    from django.core.mail import get_connection

    connection = get_connection()
    try:
        connection.open()
    except Exception:  # SMTP down: each message records the failure and waits for the next flush
        connection = None
    sent = 0
    try:
        for start in range(0, len(message_ids), batch):
            with transaction.atomic():
                messages = list(
                    OutboundEmail.objects.select_for_update(skip_locked=True)
                    .filter(pk__in=message_ids[start : start + batch])
                    .filter(status=OutboundEmail.Status.QUEUED)
                    .order_by("pk")
                )
                for message in messages:
                    sent += _deliver(message, connection)
                OutboundEmail.objects.bulk_update(messages, _OUTCOME_FIELDS)
    finally:
        if connection is not None:
            connection.close()
    return sent


def outbox_enqueue_many(messages: list[OutboundEmail]) -> dict[str, int]:
    """Queue many prepared messages in one statement; each must have a ``dedupe_key``, and one
    queued before is left as it was. Returns {dedupe_key: id} of the given keys that are waiting to
    be sent; after commit they go to the workers in batches that share one SMTP session."""
    for message in messages:
        if not message.dedupe_key:
            raise ValueError("outbox_enqueue_many needs a dedupe_key on every message")
        message.subject = " ".join(message.subject.split())[:300]
    OutboundEmail.objects.bulk_create(messages, ignore_conflicts=True)
    waiting = dict(
        OutboundEmail.objects.filter(
            dedupe_key__in=[m.dedupe_key for m in messages], status=OutboundEmail.Status.QUEUED
        ).values_list("dedupe_key", "pk")
    )
    ids = sorted(waiting.values())
    transaction.on_commit(lambda: _dispatch_batches(ids))
    return waiting


SEND_BATCH = 100


def _dispatch_batches(message_ids: list[int]) -> None:
    from community.tasks import outbox_send_batch_task
    from paddock.celery import enqueue

    for start in range(0, len(message_ids), SEND_BATCH):
        if enqueue(outbox_send_batch_task, message_ids[start : start + SEND_BATCH]) is None:
            # The broker is away: the rows wait for outbox_flush.
            logger.warning(
                "Could not queue %s outbound emails; outbox_flush will send them.",
                len(message_ids[start:]),
            )
            return
