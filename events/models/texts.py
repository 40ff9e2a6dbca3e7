from django.conf import settings
from django.db import models


class InboundText(models.Model):
    """Each text a member sent to the showroom's number, once: Twilio's MessageSid is unique, so a
    webhook Twilio delivers twice changes nothing the second time. When a reply could answer more
    than one open invitation, ``choices`` keeps the numbered events Paddock asked about (event ids
    in the order offered, with the answer read) until ``choices_until``, so a following "2 yes" settles it."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", "RSVP recorded"
        ASKED = "asked", "Several open invitations: asked which one"
        NOT_UNDERSTOOD = "not_understood", "Not understood: help sent"
        REFUSED = "refused", "RSVP rule said no: explanation sent"
        NO_INVITATION = "no_invitation", "No open invitation: told so"
        CONVERSATION = "conversation", "Not an RSVP: passed to the advisor"
        STOPPED = "stopped", "STOP: texts stopped"
        STARTED = "started", "START: texts resumed"
        HELP = "help", "HELP: contact sent"
        UNKNOWN_NUMBER = "unknown_number", "Not a member's verified number: ignored"
        SILENT = "silent", "Texts stopped: ignored"

    message_sid = models.CharField(max_length=64, unique=True)
    from_number = models.CharField(max_length=20)
    to_number = models.CharField(max_length=20, blank=True)
    body = models.TextField(blank=True)
    # Deleting a member's account deletes what they texted (their number and words).
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbound_texts",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rsvp = models.ForeignKey(
        "events.Rsvp", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.TextField(blank=True)
    choices = models.JSONField(
        default=dict,
        blank=True,
        help_text='The question asked: {"events": [event ids in the order offered], "answer", "guests"}.',
    )
    choices_until = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["member", "-received_at"], name="inbound_text_member_recent")
        ]

    def __str__(self) -> str:
        return f"{self.from_number}: {self.get_outcome_display()}"
