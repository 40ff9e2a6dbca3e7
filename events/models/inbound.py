from django.db import models


class InboundMessage(models.Model):
    """Each email that reached Paddock's reply address, once: a repeated Message-ID changes nothing."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", "RSVP recorded"
        NOT_UNDERSTOOD = "not_understood", "Not understood: help sent"
        REFUSED = "refused", "RSVP rule said no: explanation sent"
        STALE = "stale", "Calendar reply to an older invite: ignored"
        AUTO_REPLY = "auto_reply", "Auto-reply or bounce: ignored"
        WRONG_SENDER = "wrong_sender", "Sender is not the invited member: ignored"
        UNKNOWN_ADDRESS = "unknown_address", "Not a valid reply address: ignored"

    message_id = models.CharField(max_length=255, unique=True)
    sender = models.CharField(max_length=255, blank=True)
    recipient = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    via = models.CharField(max_length=20, help_text="gateway, webhook or file")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rsvp = models.ForeignKey(
        "events.Rsvp", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.get_outcome_display()}"
