"""The text outbox: a text is written in the caller's transaction and sent after commit.

The same discipline as the mail outbox (community/outbox.py): ``text_enqueue`` writes an
OutboundText row and, after commit, asks Celery to send it (``paddock.celery.enqueue``: with the
broker away the row waits for the flush); ``text_enqueue_many`` writes many in one statement (an
event's invitations) and hands them to the workers SEND_BATCH at a time, each batch claimed at
once and sent over one connection to the provider. A sender *claims* rows (``SELECT ... FOR
UPDATE SKIP LOCKED``, then ``claimed_by`` and ``lease_until`` committed; renewed while a batch
is sent), hands each text to SMS_BACKEND holding no lock, and records its outcome in its own
committed UPDATE at once. So a text is sent
once (``dedupe_key`` is unique, a sent row is never claimed again); a worker killed mid-send leaves
at most that one text to go again after the lease. A provider error that may pass (Twilio 5xx or
429, no connection) is tried again after PADDOCK_OUTBOX_RETRY_SECONDS, doubling, up to
MAX_ATTEMPTS; a refusal (a bad number) fails at once.

Quiet hours: a text that is not ``urgent`` is never handed over between PADDOCK_TEXT_QUIET_FROM
(21:00) and PADDOCK_TEXT_QUIET_UNTIL (08:00) in the dealership's time zone: its ``send_after`` is
the end of the quiet hours, and ``text_outbox_flush`` (beat, every minute) sends it then.
"""

import logging
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import OutboundText
from community.outbox import (
    ClaimLease,
    claim_token,
    outbox_row_failed,
    outbox_row_sent,
    outbox_rows_claim,
)
from community.texts import tasks as text_tasks
from community.texts.backends import TextSendError, text_backend
from community.texts.segments import text_segments
from paddock.celery import enqueue

logger = logging.getLogger("paddock.texts")
MAX_ATTEMPTS = 8
SEND_BATCH = 50
# Texts whose body must not stay readable once sent (a verification code): kind -> pattern.
REDACT_AFTER_SENDING = {"mobile_code": re.compile(r"\b\d{6}\b")}


def dealership_zone() -> ZoneInfo:
    """The dealership's time zone (events, reminders and quiet hours are in it)."""
    return ZoneInfo(settings.TIME_ZONE)


def quiet_hours_end(moment: datetime) -> datetime | None:
    """When the quiet hours ``moment`` falls in end (an aware datetime), or None outside them."""
    local = timezone.localtime(moment, dealership_zone())
    start, end = settings.PADDOCK_TEXT_QUIET_FROM, settings.PADDOCK_TEXT_QUIET_UNTIL
    if start <= end:  # e.g. 0-6: the quiet hours lie within one day
        quiet = start <= local.hour < end
    else:  # e.g. 21-8: they span midnight
        quiet = local.hour >= start or local.hour < end
    if not quiet:
        return None
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return datetime.combine(day, time(end), tzinfo=dealership_zone())


def text_send_after(*, urgent: bool, now: datetime | None = None) -> datetime:
    """The earliest a text may go: now, or the end of the quiet hours unless ``urgent``."""
    now = now or timezone.now()
    return now if urgent else (quiet_hours_end(now) or now)


def text_enqueue(
    *,
    kind: str,
    to: str,
    body: str,
    dedupe_key: str | None = None,
    member=None,
    urgent: bool = False,
    subject: str = "",
) -> OutboundText | None:
    """Queue one text to ``to`` (E.164); None when ``dedupe_key`` was queued before. ``subject``
    says what it is about (e.g. "event:12"), for counting texts and their receipts per event."""
    try:
        with transaction.atomic():
            text = OutboundText.objects.create(
                kind=kind,
                to=to,
                body=body,
                segments=text_segments(body),
                urgent=urgent,
                send_after=text_send_after(urgent=urgent),
                dedupe_key=dedupe_key,
                member=member,
                subject=subject[:100],
            )
    except IntegrityError:
        if dedupe_key and OutboundText.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: enqueue(text_tasks.text_send_task, text.pk))
    return text


def text_enqueue_many(texts: list[OutboundText]) -> list[OutboundText]:
    """Queue many prepared texts (kind, to, body, urgent, dedupe_key, member) in one statement;
    each must have a ``dedupe_key``, and one queued before is left as it was (and not counted).
    Returns the texts queued now. After commit, the texts of these keys still waiting go to the
    workers SEND_BATCH at a time."""
    if any(not text.dedupe_key for text in texts):
        raise ValueError("text_enqueue_many needs a dedupe_key on every text")
    keys = [text.dedupe_key for text in texts]
    known = set(
        OutboundText.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    now = timezone.now()
    fresh = []
    for text in texts:
        if text.dedupe_key in known:
            continue
        known.add(text.dedupe_key)
        text.segments = text_segments(text.body)
        text.send_after = text_send_after(urgent=text.urgent, now=now)
        fresh.append(text)
    # A concurrent send of the same keys waits on the unique index and leaves ours alone.
    OutboundText.objects.bulk_create(fresh, ignore_conflicts=True)
    ids = sorted(
        OutboundText.objects.filter(
            dedupe_key__in=keys, status=OutboundText.Status.QUEUED
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _dispatch_batches(ids))
    return fresh


def _dispatch_batches(text_ids: list[int]) -> None:
    for start in range(0, len(text_ids), SEND_BATCH):
        if not enqueue(text_tasks.text_send_batch_task, text_ids[start : start + SEND_BATCH]):
            return  # the broker is away: the rows wait for text_outbox_flush


def text_claim(
    *, token: str, limit: int, text_ids: list[int] | None = None, grace=timedelta(0)
) -> list[int]:
    """Claim up to ``limit`` queued texts past their ``send_after`` (see
    ``community.outbox.outbox_rows_claim``: the same claims and leases as mail)."""
    return outbox_rows_claim(
        queued=OutboundText.objects.filter(
            status=OutboundText.Status.QUEUED, send_after__lte=timezone.now()
        ),
        token=token,
        limit=limit,
        ids=text_ids,
        grace=grace,
    )


def _record_sent(text: OutboundText, provider_id: str) -> None:
    changes = {"provider_id": provider_id[:64]}
    pattern = REDACT_AFTER_SENDING.get(text.kind)
    if pattern is not None:
        changes["body"] = pattern.sub("••••••", text.body)
    outbox_row_sent(text, **changes)


def _hold(text: OutboundText, token: str, until: datetime) -> None:
    """A retry that came due in the quiet hours: back to the queue until they end."""
    OutboundText.objects.filter(pk=text.pk, claimed_by=token).update(
        send_after=until, claimed_by="", lease_until=None
    )


def _send_claimed(ids: list[int], token: str, backend) -> int:
    """Send the texts claimed for ``token`` through ``backend`` (one connection to the provider for
    the whole claim), recording each outcome as it happens; returns how many were sent."""
    sent = 0
    lease = ClaimLease(OutboundText, token=token)
    texts = list(OutboundText.objects.filter(pk__in=ids, claimed_by=token).order_by("pk"))
    for position, text in enumerate(texts):
        lease.keep(texts[position:])  # a slow provider: keep the rest of the claim ours
        held_until = None if text.urgent else quiet_hours_end(timezone.now())
        if held_until is not None:
            _hold(text, token, held_until)
            continue
        try:
            provider_id = backend.send(to=text.to, body=text.body, reference=str(text.text_uuid))
        except TextSendError as error:
            outbox_row_failed(
                text, token=token, error=str(error), max_attempts=MAX_ATTEMPTS, retry=error.retry
            )
            continue
        _record_sent(text, provider_id)
        sent += 1
    return sent


def text_send(*, text_id: int) -> bool:
    """Send one queued text now if it is due; True when it was sent now."""
    token = claim_token()
    ids = text_claim(token=token, limit=1, text_ids=[text_id])
    return bool(ids) and _send_claimed(ids, token, text_backend()) == 1


def text_send_many(*, text_ids: list[int], batch: int = SEND_BATCH) -> int:
    """Send these queued texts that are due, claiming ``batch`` at a time and holding one
    connection to the provider; returns how many were sent. A text another worker holds, one
    waiting for a retry or for the quiet hours to end is left alone. Call it outside a
    transaction: each outcome must be committed the moment it is known."""
    token = claim_token()
    backend = text_backend()
    sent = 0
    for start in range(0, len(text_ids), batch):
        ids = text_claim(token=token, limit=batch, text_ids=text_ids[start : start + batch])
        if ids:
            sent += _send_claimed(ids, token, backend)
    return sent


def text_outbox_flush(*, older_than: timedelta = timedelta(0), limit: int = 500) -> int:
    """Send every text that is due (its task was lost, a retry's time came, quiet hours ended);
    returns how many were sent."""
    token = claim_token()
    backend = text_backend()
    sent, handled = 0, 0
    while handled < limit:
        ids = text_claim(token=token, limit=min(SEND_BATCH, limit - handled), grace=older_than)
        if not ids:
            break
        handled += len(ids)
        sent += _send_claimed(ids, token, backend)
    return sent
