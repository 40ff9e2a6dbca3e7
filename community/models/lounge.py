from django.conf import settings
from django.db import models


class LoungeImport(models.Model):
    """One uploaded file of a day's service appointments.

    The file is kept as uploaded (``source``) while staff review the match report (DRAFT); it is
    imported whole, in one transaction, when they confirm (IMPORTED).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Waiting for confirmation"
        IMPORTED = "imported", "Imported"

    day = models.DateField(help_text="The day of the appointments.")
    filename = models.CharField(max_length=255)
    source = models.TextField(help_text="The file's text, as uploaded.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_matched = models.PositiveIntegerField(default=0)
    rows_unknown = models.PositiveIntegerField(default=0)
    rows_malformed = models.PositiveIntegerField(default=0)
    rows_added = models.PositiveIntegerField(default=0, help_text="New appointments imported.")
    rows_already = models.PositiveIntegerField(
        default=0, help_text="Appointments an earlier upload had imported already."
    )

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "service lounge import"

    def __str__(self) -> str:
        return f"{self.filename} ({self.day:%d %b %Y})"


class Appointment(models.Model):
    """A service appointment on a day, matched to a member by email, phone or plate when possible."""

    class MatchedBy(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        PLATE = "plate", "Plate"
        NONE = "", "Not a member"

    day = models.DateField(db_index=True)
    time = models.TimeField()
    customer_name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    plate = models.CharField(max_length=16, blank=True)
    work = models.TextField(blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lounge_visits",
    )
    car = models.ForeignKey(
        "community.Car", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matched_by = models.CharField(max_length=5, choices=MatchedBy.choices, blank=True)
    fingerprint = models.CharField(
        max_length=64, help_text="Time, name and contact details: the same appointment twice."
    )
    batch = models.ForeignKey(LoungeImport, on_delete=models.CASCADE, related_name="appointments")
    line = models.PositiveIntegerField(help_text="Line in the uploaded file.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "fingerprint"], name="appointment_day_fingerprint_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d %b} {self.time:%H:%M} {self.customer_name}"
