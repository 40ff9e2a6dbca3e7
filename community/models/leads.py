"""Leads: a member or visitor said they want something, and the showroom follows it up.

``LeadBase`` is what every lead has, whatever it is about: who asked and how to reach them, the
staff follow-up (status, assignee, notes), consent, and where it stands with the showroom's CRM.
Accessory questions and reservations (``accessories.Lead``) and the sales leads here
(``SalesLead``: trade-in appraisals, next-car interest, test drives, leads staff write) are both
built on it, so the follow-up and the CRM wording have one home.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class LeadBase(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True, help_text="Empty once a member deletes their account.")
    phone = models.CharField(max_length=40, blank=True)
    message = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    notes = models.TextField(blank=True, help_text="For staff only: calls made, what was agreed.")
    consent_at = models.DateTimeField(
        null=True, blank=True, help_text="When a visitor agreed to be contacted about this."
    )
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
        abstract = True
        ordering = ["-created_at", "-pk"]

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

    @property
    def crm_failed(self) -> bool:
        """Whether staff may send the lead to the CRM again: it was refused before it was queued
        (``crm_error``) or the outbox gave up on it."""
        if self.crm_error:
            return True
        message = self.crm_email
        return message is not None and message.status == message.Status.FAILED


class SalesLead(LeadBase):
    """Interest in a car: what a member's car is worth, their next car, a test drive at an event,
    or what staff heard in the lounge. The car it is about is copied in (year, make, model, trim,
    VIN, mileage), so the lead reads the same after the garage changes."""

    class Kind(models.TextChoices):
        TRADE_IN = "trade_in", "Trade-in appraisal"
        NEXT_CAR = "next_car", "Next car"
        TEST_DRIVE = "test_drive", "Test drive"
        STAFF = "staff", "Written by staff"

    class Interest(models.TextChoices):
        """ADF's vehicle interest."""

        BUY = "buy", "Buying a car"
        TRADE_IN = "trade-in", "Trading a car in"
        TEST_DRIVE = "test-drive", "A test drive"

    class Condition(models.TextChoices):
        """ADF's vehicle condition, in the member's words."""

        EXCELLENT = "excellent", "Excellent: like new"
        GOOD = "good", "Good: the usual marks of use"
        FAIR = "fair", "Fair: some repairs needed"
        POOR = "poor", "Poor: needs serious work"

    class Timeframe(models.TextChoices):
        NOW = "now", "Within 3 months"
        SOON = "soon", "In 3 to 6 months"
        YEAR = "year", "In 6 to 12 months"
        LATER = "later", "In more than a year"
        BROWSING = "browsing", "Just looking"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    interest = models.CharField(max_length=12, choices=Interest.choices, default=Interest.BUY)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sales_leads",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_sales_leads",
        limit_choices_to={"is_staff": True},
        verbose_name="assigned to",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who wrote the lead down.",
    )
    car = models.ForeignKey(
        "community.Car",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sales_leads",
        help_text="The garage car to value (trade-in).",
    )
    year = models.PositiveSmallIntegerField("model year", null=True, blank=True)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=80, blank=True)
    trim = models.CharField(max_length=60, blank=True)
    vin = models.CharField("VIN", max_length=17, blank=True)
    mileage = models.PositiveIntegerField(null=True, blank=True, help_text="Miles on the clock.")
    condition = models.CharField(max_length=10, choices=Condition.choices, blank=True)
    car_models = models.ManyToManyField(
        "community.CarModel",
        blank=True,
        related_name="sales_leads",
        verbose_name="models of interest",
    )
    timeframe = models.CharField(max_length=10, choices=Timeframe.choices, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="showroom",
        help_text="The showroom the lead is for: its CRM gets it.",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="from the page",
        help_text="The event (or other page) the interest came from.",
    )

    class Meta(LeadBase.Meta):
        verbose_name = "sales lead"
        indexes = [
            models.Index(fields=["status", "-created_at"], name="saleslead_status_created"),
            models.Index(fields=["kind", "-created_at"], name="saleslead_kind_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.name}"

    @property
    def car_label(self) -> str:
        """The car the lead is about, as staff read it: "2019 MINI Cooper S JCW"."""
        return " ".join(str(part) for part in (self.year, self.make, self.model, self.trim) if part)

    @property
    def models_label(self) -> str:
        """The models of interest, else the car: "MINI Countryman, MINI Aceman"."""
        models_ = self.car_models.all() if self.pk else ()
        return ", ".join(str(m) for m in models_) or self.car_label

    @property
    def subject(self) -> str:
        """What the lead is about, in a line (staff content and the member's choices only)."""
        if self.kind == self.Kind.TRADE_IN:
            return f"What is my {self.car_label} worth?"
        if self.kind == self.Kind.TEST_DRIVE:
            return f"Test drive: {self.models_label}"
        if self.kind == self.Kind.NEXT_CAR:
            return f"Next car: {self.models_label or 'open to ideas'}"
        return f"{self.get_interest_display()}: {self.models_label or 'see notes'}"
