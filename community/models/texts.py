"""Texts to members' phones: the verified mobile number and its consent, the six-digit codes that
verify it, and the text outbox (community/texts/). See README, "Texts"."""

import uuid

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    """How a member wants one kind of message: by email, by text, or both."""

    EMAIL = "email", "Email"
    TEXT = "text", "Text"
    BOTH = "both", "Email and text"


def _channel_field(label: str) -> models.CharField:
    return models.CharField(label, max_length=5, choices=Channel.choices, default=Channel.EMAIL)


class MemberMobile(models.Model):
    """A member's mobile number for texts, in E.164 (+447911123456), with its verification and
    the member's consent, and for each kind of message whether it comes by email, text or both.

    ``number`` is the number last given; ``verified_at`` is set once its code was typed back (a
    new number clears it). ``consent_at``/``consent_wording`` record when the member agreed to
    texts and the exact sentence they were shown; ``stopped_at`` is set when they answered STOP.
    Deleting the member deletes it."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mobile"
    )
    number = models.CharField(max_length=20, help_text="E.164, e.g. +447911123456.")
    verified_at = models.DateTimeField(null=True, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_wording = models.TextField(blank=True)
    stopped_at = models.DateTimeField(
        null=True, blank=True, help_text="The member answered STOP: no texts until they opt in."
    )
    invitations = _channel_field("event invitations")
    reminders = _channel_field("event reminders")
    changes = _channel_field("changes and cancellations")
    promotions = _channel_field("waitlist promotions")
    advisor = _channel_field("messages from my advisor")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "member's mobile"

    def __str__(self) -> str:
        return self.number

    KINDS = ("invitations", "reminders", "changes", "promotions", "advisor")

    @property
    def channel_labels(self) -> list[str]:
        """The kinds of message the member chose to have by text (or by both)."""
        return [
            self._meta.get_field(kind).verbose_name
            for kind in self.KINDS
            if getattr(self, kind) in (Channel.TEXT, Channel.BOTH)
        ]

    @property
    def can_text(self) -> bool:
        """Verified, consented to, not stopped: Paddock may text this number (``textable_q`` is
        the same rule as a filter)."""
        return bool(self.number and self.verified_at and self.consent_at and not self.stopped_at)


def textable_q(prefix: str = "") -> models.Q:
    """``MemberMobile.can_text`` as a filter on mobiles, or, with ``prefix="mobile__"``, on the
    members whose mobile Paddock may text."""
    return models.Q(
        **{
            f"{prefix}number__gt": "",
            f"{prefix}verified_at__isnull": False,
            f"{prefix}consent_at__isnull": False,
            f"{prefix}stopped_at__isnull": True,
        }
    )


class MobileVerification(models.Model):
    """One six-digit code texted to a number: stored as a keyed hash, valid for
    PADDOCK_TEXT_CODE_MINUTES, refused after PADDOCK_TEXT_CODE_TRIES wrong tries."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mobile_verifications"
    )
    number = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=128)
    wrong_tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mobile verification code"

    def __str__(self) -> str:
        return f"code for {self.number}"


class OutboundText(models.Model):
    """A text Paddock has decided to send: the outbox discipline of OutboundEmail, for texts.

    Written in the caller's transaction, sent after commit by a Celery task, found again by the
    beat flush when its task was lost; claimed with SKIP LOCKED and a lease, its outcome recorded
    in its own committed UPDATE; a provider error is retried with backoff up to a maximum.
    ``dedupe_key`` is unique: the same text is never queued twice. ``send_after`` holds it until
    the end of quiet hours (21:00-08:00 in the dealership's time zone) unless ``urgent``."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    class Delivery(models.TextChoices):
        """What the provider's delivery receipt said, after the text was sent."""

        NONE = "", "No receipt yet"
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Not delivered"
        FAILED = "failed", "Failed at the carrier"

    kind = models.CharField(max_length=40, db_index=True, help_text="e.g. invitations, mobile_code")
    subject = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text="What the text is about, e.g. event:12 (counted per event with its receipts).",
    )
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.CharField(max_length=20, help_text="E.164.")
    body = models.TextField()
    segments = models.PositiveSmallIntegerField(default=1)
    urgent = models.BooleanField(default=False, help_text="Sent during quiet hours too.")
    send_after = models.DateTimeField(help_text="Not sent before then (quiet hours).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="e.g. Twilio's SM... sid"
    )
    delivery = models.CharField(max_length=12, choices=Delivery.choices, blank=True, default="")
    delivery_error = models.CharField(
        max_length=10, blank=True, help_text="The provider's error code, e.g. Twilio's 30003."
    )
    delivery_at = models.DateTimeField(null=True, blank=True, help_text="When the receipt came.")
    text_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outbound text"
        indexes = [
            models.Index(fields=["status", "send_after"]),
            models.Index(fields=["status", "lease_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}: {self.get_status_display()}"


class ConversationMessage(models.Model):
    """One message of a member's conversation with the showroom by text: ``out`` is a text staff
    sent from the owner card or the lounge (its ``outbound_text`` carries the delivery state),
    ``in`` a text the member sent that was not an RSVP (``message_sid`` is Twilio's, once each).
    ``read_at`` is set when staff open the member's owner card. Deleting the member deletes it."""

    class Direction(models.TextChoices):
        IN = "in", "From the member"
        OUT = "out", "To the member"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member of staff who sent it (outgoing).",
    )
    outbound_text = models.ForeignKey(
        OutboundText, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "conversation message"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["member", "created_at"], name="conversation_member_time"),
            models.Index(
                fields=["member"],
                condition=models.Q(direction="in", read_at__isnull=True),
                name="conversation_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.body[:40]}"

    @property
    def incoming(self) -> bool:
        return self.direction == self.Direction.IN
