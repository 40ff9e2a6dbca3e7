from django.conf import settings
from django.db import models
from django.utils import timezone


class Lead(models.Model):
    """Someone asked about an accessory or reserved it: parts staff follow it up in the admin.

    A reservation can be tied to an event (``event``), where the item is handed over at check-in.
    """

    class Kind(models.TextChoices):
        ASK = "ask", "Question"
        RESERVE = "reserve", "Reservation for pick-up"

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    accessory = models.ForeignKey(
        "accessories.AccessoryPage", on_delete=models.CASCADE, related_name="leads"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accessory_leads",
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True, help_text="Empty once a member deletes their account.")
    phone = models.CharField(max_length=40, blank=True)
    message = models.TextField(max_length=2000, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ASK)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_accessory_leads",
        limit_choices_to={"is_staff": True},
        verbose_name="assigned to",
    )
    notes = models.TextField(blank=True, help_text="For staff only: calls made, what was agreed.")
    event = models.ForeignKey(
        "events.EventPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accessory_leads",
        verbose_name="pick-up at event",
        help_text="The item is handed over at this event's check-in.",
    )
    consent_at = models.DateTimeField(
        null=True, blank=True, help_text="When a visitor agreed to be contacted about this."
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)
    crm_email = models.ForeignKey(
        "community.OutboundEmail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="CRM email",
        help_text="The ADF/XML email that carries this lead to the showroom's CRM.",
    )
    crm_error = models.TextField(
        "CRM error", blank=True, help_text="Why the lead could not be sent to the CRM."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.name} about {self.accessory.title}"

    @property
    def is_reservation(self) -> bool:
        return self.kind == self.Kind.RESERVE

    @property
    def crm_label(self) -> str:
        """Where the lead stands with the showroom's CRM, read from its outbound email."""
        if self.crm_error:
            return f"Failed: {self.crm_error}"
        message = self.crm_email
        if message is None:
            return "Not sent: no CRM address"
        if message.status == message.Status.SENT:
            return f"Sent to the CRM at {timezone.localtime(message.sent_at):%d %b %Y %H:%M}"
        if message.status == message.Status.FAILED:
            return f"Failed: {message.last_error}"
        if message.last_error:
            return f"Failed: {message.last_error} (trying again)"
        return "Waiting to be sent"

    crm_label.fget.short_description = "CRM"
