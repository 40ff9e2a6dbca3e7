import uuid

from django.conf import settings
from django.db import models


class OutboundEmail(models.Model):
    """A message Paddock has decided to send: written in the same transaction as the change that
    caused it (a transactional outbox), then sent by a Celery worker. When Redis or the SMTP server
    is down, the row waits and ``outbox_flush`` (Celery beat, every minute) sends it once they are
    back. ``dedupe_key`` makes each message happen once: the same key is never queued twice.

    Sending is claimed, not locked: a worker writes its name in ``claimed_by`` and a lease in
    ``lease_until`` (committed) before it talks to the SMTP server, and records each message's
    outcome in its own committed UPDATE the moment the server accepts it. A worker killed at any
    instant leaves at most the one message it was handing over unrecorded (sent again after the
    lease), and every other message either sent and recorded, or waiting for the lease to lapse.
    After a failure ``lease_until`` is the earliest next attempt (backing off). ``message_uuid``
    gives the message a stable Message-ID, the same on every attempt.

    A message may be queued as ``render`` (what to render: a renderer's name and its data, see
    ``community.outbox.outbox_renderer``) instead of its content, so the change that queues it
    does not wait for templates and attachments: the sender renders it first, writes subject,
    body and parts in their own committed UPDATE and clears ``render``, then sends it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40, db_index=True, help_text="e.g. post_hidden, invitation")
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{filename, content (base64), mimetype}]"
    )
    alternatives = models.JSONField(default=list, blank=True, help_text="[{content, mimetype}]")
    render = models.JSONField(
        null=True,
        blank=True,
        default=None,
        help_text="What to render before sending: {renderer, data}; empty once rendered.",
    )
    reply_to = models.EmailField(blank=True)
    from_email = models.CharField(
        max_length=254, blank=True, help_text="The showroom's sender; blank: DEFAULT_FROM_EMAIL."
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_by = models.CharField(
        max_length=100, blank=True, help_text="The worker sending it now (while its lease lasts)."
    )
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="Nobody else sends it before then (a claim, or a retry)."
    )
    message_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outbound email"
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "lease_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}: {self.get_status_display()}"
