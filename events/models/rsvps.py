from django.conf import settings
from django.db import models


class Rsvp(models.Model):
    """A member's answer to an event and, when they are coming, their place or waitlist position.

    ``state`` is what the dealership plans with: CONFIRMED holds ``places`` (the member plus their
    guests) of the event's capacity (or of the run group's on a track day); WAITLISTED waits in
    ``waitlisted_at`` order; OUT holds nothing (maybe, not going, or cancelled).
    """

    # Wagtail's reference index ("Usage" in the admin) would add rows on every answer, inside the
    # event's lock: an event's RSVPs are listed by Events -> RSVPs instead.
    wagtail_reference_index_ignore = True

    class Answer(models.TextChoices):
        GOING = "going", "Going"
        MAYBE = "maybe", "Maybe"
        NOT_GOING = "not_going", "Not going"

    class State(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waitlist"
        OUT = "out", "Not attending"

    class Source(models.TextChoices):
        WEB = "web", "Website"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        STAFF = "staff", "Staff (phone or counter)"
        WALK_IN = "walk_in", "Walk-in"
        SERIES = "series", "Every date of the series"

    event = models.ForeignKey("events.EventPage", on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    answer = models.CharField(max_length=10, choices=Answer.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OUT)
    guests = models.PositiveSmallIntegerField(default=0)
    car = models.ForeignKey(
        "community.Car", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run_group = models.ForeignKey(
        "events.RunGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="rsvps"
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    waiver_version = models.ForeignKey(
        "events.WaiverVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waiver_accepted_at = models.DateTimeField(null=True, blank=True)
    emergency_contact_name = models.CharField(max_length=80, blank=True)
    emergency_contact_phone = models.CharField(max_length=40, blank=True)
    car_number = models.PositiveSmallIntegerField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    invite_sequence = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="SEQUENCE of the last calendar invite or cancel sent to this member (none yet: empty).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "RSVP"
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="rsvp_event_member_unique"),
            models.UniqueConstraint(
                fields=["event", "car_number"],
                condition=models.Q(car_number__isnull=False),
                name="rsvp_event_car_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["event", "state", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.member} → {self.event}: {self.get_state_display()}"

    @property
    def places(self) -> int:
        return 1 + self.guests


class Promotion(models.Model):
    """A member moved from the waitlist to a confirmed place, and when."""

    wagtail_reference_index_ignore = True  # written under the event's lock, as RSVPs are

    rsvp = models.ForeignKey(Rsvp, on_delete=models.CASCADE, related_name="promotions")
    places = models.PositiveSmallIntegerField()
    promoted_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200, help_text="What freed the places.")

    class Meta:
        ordering = ["promoted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.rsvp.member} promoted at {self.promoted_at:%Y-%m-%d %H:%M}"


class EventChange(models.Model):
    """A change members must hear about (time, venue, cancellation); sent by the email features."""

    class Kind(models.TextChoices):
        CHANGED = "changed", "Changed"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey("events.EventPage", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.TextField()
    sequence = models.PositiveIntegerField(help_text="Calendar SEQUENCE after this change.")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.event}: {self.summary}"
