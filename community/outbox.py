"""The outbox: queue a message in the current transaction, send it after commit, retry until sent.

``outbox_enqueue`` writes an OutboundEmail row (nothing is lost if the request's transaction
commits, whatever Redis or SMTP are doing) and, after commit, asks Celery to send it: one drain
task sends everything queued, however many requests committed mail meanwhile (see
``outbox_drain_request``). If Celery's broker is down, the row stays queued and ``outbox_flush``
(beat, every minute) sends it later.

Exactly once, per message: a sender first *claims* the rows it will send (``SELECT ... FOR UPDATE
SKIP LOCKED``, then ``claimed_by`` and ``lease_until`` written and committed), talks to the SMTP
server holding no lock, and records each message's outcome in its own committed UPDATE the moment
the server accepts it. A worker killed at any instant therefore leaves:
- the messages it had sent: recorded as sent (never sent again);
- the one message it was handing over: perhaps accepted but unrecorded, so sent again once the
  lease lapses (the same Message-ID both times, which mail systems recognise);
- the rest of its claim: sent by the next flush once the lease lapses (never lost).
An SMTP failure records the error and a time for the next attempt (backing off), up to
MAX_ATTEMPTS.

Rendered by the sender: a caller that must not wait for templates and attachments while it holds
a lock (an RSVP, under its event's row lock) queues *what to render* instead of the content:
``outbox_enqueue(render={"renderer": name, "data": {...}})``, with the recipient, reply address
and dedupe key as usual. ``name`` is a renderer registered with ``outbox_renderer`` by the app
that owns the mail (community imports no app above it: they plug in, as events does from its
AppConfig.ready, so web processes and Celery workers both have them). ``data`` must hold
everything the message reports as it was at the change (a snapshot), since it is rendered later.
The sender renders such a row first (``outbox_render``), writes the subject, body and parts in
their own committed UPDATE and clears the spec, then sends it. A renderer that raises is a failed
attempt like an SMTP failure: the error is recorded, the spec kept, and it is tried again.
"""

import base64
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import DNS_NAME
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.constants import OnConflict
from django.utils import timezone

from community.models import OutboundEmail
from paddock.celery import app as celery_app
from paddock.celery import enqueue

logger = logging.getLogger("paddock.outbox")
MAX_ATTEMPTS = 12
SEND_BATCH = 100  # messages per claim, sent over one SMTP session

# What a renderer may give back: the columns of a rendered message.
RENDERED_FIELDS = (
    "subject",
    "body",
    "html",
    "headers",
    "alternatives",
    "attachments",
    "from_email",
)
_renderers: dict[str, Callable[[OutboundEmail, dict], dict]] = {}


def outbox_renderer(name: str):
    """Register the decorated function as the renderer ``name``: called with the queued row and
    its spec's data, it returns the message's parts (a dict of RENDERED_FIELDS: subject and body
    at least). Registering a name twice with another function is a mistake and raises."""

    def register(function):
        known = _renderers.get(name)
        if known is not None and known is not function:
            if (known.__module__, known.__qualname__) != (
                function.__module__,
                function.__qualname__,
            ):
                raise ValueError(f"An outbox renderer is already registered as {name!r}.")
        _renderers[name] = function
        return function

    return register


def outbox_render(message: OutboundEmail) -> OutboundEmail:
    """Render a row queued with a render spec, write its subject, body and parts and clear the
    spec in one UPDATE (committed at once outside a transaction, as the sender calls it), and
    return it; a row without a spec is returned as it is. Raises what the renderer raises (the
    spec stays, so the next attempt renders again). When another worker rendered it meanwhile,
    its rendering is kept and read back."""
    spec = message.render
    if not spec:
        return message
    renderer = _renderers.get(spec.get("renderer"))
    if renderer is None:
        raise LookupError(f"No outbox renderer is registered as {spec.get('renderer')!r}.")
    parts = renderer(message, spec.get("data") or {})
    unknown = set(parts) - set(RENDERED_FIELDS)
    if unknown:
        raise ValueError(f"An outbox renderer returned unknown parts: {sorted(unknown)}")
    values = {name: value for name, value in parts.items() if value is not None}
    values["subject"] = " ".join(str(values.get("subject", "")).split())[:300]
    values["body"] = values.get("body", "")
    values["alternatives"] = list(values.get("alternatives") or [])
    values["attachments"] = list(values.get("attachments") or [])
    written = OutboundEmail.objects.filter(pk=message.pk, render__isnull=False).update(
        render=None, **values
    )
    if not written:
        message.refresh_from_db()
        return message
    for name, value in values.items():
        setattr(message, name, value)
    message.render = None
    return message


def outbox_enqueue(
    *,
    kind: str,
    to: str,
    subject: str = "",
    body: str = "",
    render: dict | None = None,
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
    DEFAULT_FROM_EMAIL.

    ``render``: {"renderer": name, "data": {...}} instead of ``subject`` and ``body`` (and the
    parts): the message is rendered by the sender, after commit (see the module docstring);
    ``data`` must be JSON (a snapshot of what the message reports)."""
    if render is not None:
        if render.get("renderer") not in _renderers:
            raise LookupError(f"No outbox renderer is registered as {render.get('renderer')!r}.")
        render = {"renderer": render["renderer"], "data": render.get("data") or {}}
    subject = " ".join(subject.split())  # a header never carries a line break
    message = OutboundEmail(
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
        render=render,
    )
    if dedupe_key:
        message.pk = _insert_once(message)
        if message.pk is None:  # the key was queued before: nothing is added
            return None
    else:
        message.save(force_insert=True)
    transaction.on_commit(lambda: outbox_drain_request(message.pk))
    return message


def _insert_once(message: OutboundEmail) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id in one round trip and no savepoint (callers
    may hold a lock: an RSVP holds its event's); None when the dedupe key is taken. Django's own
    insert, as ``Model.save`` runs it, with the conflict clause ``bulk_create`` uses."""
    fields = [f for f in OutboundEmail._meta.concrete_fields if not f.primary_key]
    for field in fields:
        field.pre_save(message, add=True)  # auto_now_add and the like
    rows = OutboundEmail.objects._insert(
        [message],
        fields=fields,
        returning_fields=[OutboundEmail._meta.pk],
        on_conflict=OnConflict.IGNORE,
    )
    return rows[0][0] if rows and rows[0] else None


# --- handing queued mail to the workers ----------------------------------------------------------
# One drain at a time: a burst of answers (200 members saying "going" within a second) queues one
# task, not 200. ``outbox_drain_request`` (after each commit) queues ``outbox_drain_task`` only if
# the drain key was free, and the task frees the key *before* it claims what is queued, so a row
# committed while a drain is pending is either seen by that drain (the key was still set after
# the row's commit, so the drain's claim comes later) or its commit finds the key free and queues
# the next drain. A drain task that is lost leaves the key for DRAIN_KEY_SECONDS at most; beat's
# outbox_flush sends whatever waits meanwhile, as it does when the broker is away. The drain
# starts PADDOCK_OUTBOX_DRAIN_DELAY seconds after the first commit (1 s by default): while a burst
# of answers is being served the web workers have the CPU, and the mail queued meanwhile is
# rendered and sent together, over one SMTP session.
DRAIN_KEY = "paddock:outbox:drain"
DRAIN_KEY_SECONDS = 15
DRAIN_LIMIT = 500  # rows per drain; a row committed meanwhile queues the next drain


def outbox_drain_request(message_id: int) -> None:
    """After a commit that queued ``message_id``: have a worker send it (and whatever else is
    due). Without workers (tasks run in the request: ``make run``, the tests) the request sends
    its own message."""
    if celery_app.conf.task_always_eager:
        enqueue("community.tasks.outbox_send_task", message_id)
    elif cache.add(DRAIN_KEY, 1, timeout=DRAIN_KEY_SECONDS):
        # The broker away: outbox_flush sends it.
        enqueue("community.tasks.outbox_drain_task", countdown=settings.PADDOCK_OUTBOX_DRAIN_DELAY)


def outbox_drain() -> int:
    """What the drain task does: free the key, then send every message that is due."""
    cache.delete(DRAIN_KEY)
    return outbox_flush(limit=DRAIN_LIMIT)


def message_id_header(message: OutboundEmail) -> str:
    """The message's Message-ID: the same on every attempt, unique to the row."""
    sender = parseaddr(message.from_email or settings.DEFAULT_FROM_EMAIL)[1]
    domain = sender.rpartition("@")[2] or str(DNS_NAME)
    return f"<{message.message_uuid}@{domain}>"


def build_message(message: OutboundEmail) -> EmailMultiAlternatives:
    """The email to hand to the SMTP server; a row still holding a render spec is rendered first
    (``outbox_render``, which writes the rendering to the row)."""
    outbox_render(message)
    headers = dict(message.headers or {})
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = message_id_header(message)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
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


def outbox_lease() -> timedelta:
    """How long a claim holds a row (PADDOCK_OUTBOX_LEASE_SECONDS), mail or texts."""
    return timedelta(seconds=settings.PADDOCK_OUTBOX_LEASE_SECONDS)


class ClaimLease:
    """Keeps a claim's rows (mail or texts) ours while they are sent one by one: once half the
    lease has passed, the rows still to send get a fresh lease, so a slow server never lets another
    worker take them. Call ``keep`` with those rows before sending each."""

    def __init__(self, model, *, token: str):
        self.model, self.token = model, token
        self.length = outbox_lease()
        self.renew_at = time.monotonic() + self.length.total_seconds() / 2

    def keep(self, rows_left) -> None:
        if time.monotonic() < self.renew_at:
            return
        self.model.objects.filter(
            pk__in=[row.pk for row in rows_left], claimed_by=self.token
        ).update(lease_until=timezone.now() + self.length)
        self.renew_at = time.monotonic() + self.length.total_seconds() / 2


def _retry_delay(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failure a message is tried again: doubling, at most 1 h."""
    base = settings.PADDOCK_OUTBOX_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def claim_token() -> str:
    """A name for one sending run: which machine and process, and a random part."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def outbox_rows_claim(
    *,
    queued: QuerySet,
    token: str,
    limit: int,
    ids: list[int] | None = None,
    grace: timedelta = timedelta(0),
) -> list[int]:
    """Claim up to ``limit`` of an outbox's ``queued`` rows (mail or texts, filtered by the caller
    to those it may send now) for ``token`` and commit the claim; returns their ids.

    With ``ids``, only those (a batch the caller was asked to send); otherwise any row that is
    due: its lease or retry time has passed, or it was never tried and is older than ``grace``
    (the task queued with it usually sends it first). Rows another worker holds are skipped
    without waiting (``SKIP LOCKED``) and so are rows whose lease has not lapsed."""
    now = timezone.now()
    with transaction.atomic():
        rows = queued.select_for_update(skip_locked=True)
        if ids is not None:
            rows = rows.filter(pk__in=ids).filter(
                Q(lease_until__isnull=True) | Q(lease_until__lte=now)
            )
        else:
            rows = rows.filter(
                Q(lease_until__lte=now) | Q(lease_until__isnull=True, created_at__lte=now - grace)
            )
        claimed = list(rows.order_by("pk").values_list("pk", flat=True)[:limit])
        if claimed:
            queued.model.objects.filter(pk__in=claimed).update(
                claimed_by=token, lease_until=now + outbox_lease()
            )
    return claimed


def outbox_row_sent(row, **changes) -> None:
    """The server or provider accepted ``row``: say so now, in its own committed statement (even
    if our lease has lapsed meanwhile: it was sent, and a worker that took it over must not send
    it again). ``changes``: more columns to write with it (a provider's id)."""
    model = type(row)
    recorded = model.objects.filter(pk=row.pk, status=model.Status.QUEUED).update(
        status=model.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
        claimed_by="",
        lease_until=None,
        **changes,
    )
    if not recorded:  # our lease lapsed and another worker sent it too
        logger.warning("%s %s was sent twice (a lease lapsed).", model._meta.verbose_name, row.pk)


def outbox_row_failed(row, *, token: str, error: str, max_attempts: int, retry: bool = True):
    """Not sent: keep the error and when to try again (backing off), or give up after
    ``max_attempts`` or at once when ``retry`` is False (a refusal that will not pass)."""
    model = type(row)
    attempts = row.attempts + 1
    failed = attempts >= max_attempts or not retry
    model.objects.filter(pk=row.pk, claimed_by=token).update(
        attempts=attempts,
        status=model.Status.FAILED if failed else model.Status.QUEUED,
        last_error=error[:2000],
        claimed_by="",
        lease_until=None if failed else timezone.now() + _retry_delay(attempts),
    )
    logger.warning(
        "%s %s not sent (attempt %s): %s", model._meta.verbose_name, row.pk, attempts, error
    )


def outbox_claim(
    *,
    token: str,
    limit: int,
    message_ids: list[int] | None = None,
    grace: timedelta = timedelta(0),
) -> list[int]:
    """Claim queued mail (see ``outbox_rows_claim``)."""
    return outbox_rows_claim(
        queued=OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED),
        token=token,
        limit=limit,
        ids=message_ids,
        grace=grace,
    )


def _send_claimed(ids: list[int], token: str, connection) -> tuple[int, object]:
    """Send the messages claimed for ``token``, recording each outcome as it happens. Returns how
    many were sent and the SMTP connection (None once it could not be opened)."""
    sent = 0
    lease = ClaimLease(OutboundEmail, token=token)
    messages = list(OutboundEmail.objects.filter(pk__in=ids, claimed_by=token).order_by("pk"))
    for position, message in enumerate(messages):
        lease.keep(messages[position:])  # a slow server: keep the rest of the claim ours
        try:
            outbox_render(message)  # queued as what to render: rendered now, written, committed
        except Exception as error:  # a failed attempt: the spec stays, tried again later
            logger.exception("Outbound email %s could not be rendered.", message.pk)
            outbox_row_failed(
                message,
                token=token,
                error=f"Rendering failed: {type(error).__name__}: {error}",
                max_attempts=MAX_ATTEMPTS,
            )
            continue
        if connection is None:
            try:
                connection = get_connection()
                connection.open()
            except Exception as error:  # SMTP down: the rest of the claim waits for a retry
                for rest in messages[position:]:
                    outbox_row_failed(
                        rest,
                        token=token,
                        error=f"{type(error).__name__}: {error}",
                        max_attempts=MAX_ATTEMPTS,
                    )
                return sent, None
        try:
            email = build_message(message)
            email.connection = connection
            email.send()
        except Exception as error:  # refused, or the connection broke: a fresh one for the next
            outbox_row_failed(
                message,
                token=token,
                error=f"{type(error).__name__}: {error}",
                max_attempts=MAX_ATTEMPTS,
            )
            _close(connection)
            connection = None
            continue
        outbox_row_sent(message)
        sent += 1
    return sent, connection


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:
        pass


def outbox_send(*, message_id: int) -> bool:
    """Send one queued message; True when it was sent now (False: sent already, another worker
    holds it, it is waiting for a retry, or the SMTP server did not take it)."""
    return outbox_send_many(message_ids=[message_id]) == 1


def outbox_flush(*, older_than: timedelta = timedelta(seconds=0), limit: int = 500) -> int:
    """Send what is due (its task was lost, its worker died, or a retry's time has come), in
    claims of SEND_BATCH over one SMTP session; returns how many were sent."""
    token = claim_token()
    sent, handled, connection = 0, 0, None
    try:
        while handled < limit:
            ids = outbox_claim(
                token=token, limit=min(SEND_BATCH, limit - handled), grace=older_than
            )
            if not ids:
                break
            handled += len(ids)
            done, connection = _send_claimed(ids, token, connection)
            sent += done
    finally:
        if connection is not None:
            _close(connection)
    return sent


def outbox_send_many(*, message_ids: list[int], batch: int = SEND_BATCH) -> int:
    """Send these queued messages over one SMTP session, claiming ``batch`` at a time; returns how
    many were sent. A message another worker holds, or one waiting for a retry, is left alone.
    Call it outside a transaction: each outcome must be committed the moment it is known."""
    token = claim_token()
    sent, connection = 0, None
    try:
        for start in range(0, len(message_ids), batch):
            ids = outbox_claim(
                token=token, limit=batch, message_ids=message_ids[start : start + batch]
            )
            if ids:
                done, connection = _send_claimed(ids, token, connection)
                sent += done
    finally:
        if connection is not None:
            _close(connection)
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


def _dispatch_batches(message_ids: list[int]) -> None:
    for start in range(0, len(message_ids), SEND_BATCH):
        if not enqueue(
            "community.tasks.outbox_send_batch_task", message_ids[start : start + SEND_BATCH]
        ):
            return  # the broker is away: the rows wait for outbox_flush
