from django.conf import settings
from django.db import models

from community.models import LeadBase


class Lead(LeadBase):
    """Someone asked about an accessory or reserved it: parts staff follow it up in the admin.

    A reservation can be tied to an event (``event``), where the item is handed over at check-in.
    Contact, follow-up, consent and the CRM state are every lead's (``community.models.LeadBase``).
    """

    class Kind(models.TextChoices):
        ASK = "ask", "Question"
        RESERVE = "reserve", "Reservation for pick-up"

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
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ASK)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_accessory_leads",
        limit_choices_to={"is_staff": True},
        verbose_name="assigned to",
    )
    event = models.ForeignKey(
        "events.EventPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accessory_leads",
        verbose_name="pick-up at event",
        help_text="The item is handed over at this event's check-in.",
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta(LeadBase.Meta):
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.name} about {self.accessory.title}"

    @property
    def is_reservation(self) -> bool:
        return self.kind == self.Kind.RESERVE
