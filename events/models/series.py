"""An event series: a club's rhythm ("first Sunday of every month, 09:00-11:30, 40 places").

The series holds what every date shares and its recurrence rule; each date is an ordinary
``EventPage`` (``series`` and ``recurrence_id`` set) with its own capacity, RSVPs, waitlist,
check-in, reminders and report row, so everything a one-off event does, a date does. Staff skip a
date (it is cancelled) or move it (its start changes) on that date's page, without touching the
others. The rule is kept as an iCalendar RRULE (``rrule``), expanded by dateutil
(``events.series.series_starts``), never by hand.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from events.models.pages import EventPage, validate_reminder_hours

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_DATES = 60


class EventSeries(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", "Every week"
        MONTHLY = "MONTHLY", "Every month"

    class Weekday(models.TextChoices):
        MO = "MO", "Monday"
        TU = "TU", "Tuesday"
        WE = "WE", "Wednesday"
        TH = "TH", "Thursday"
        FR = "FR", "Friday"
        SA = "SA", "Saturday"
        SU = "SU", "Sunday"

    class Nth(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = -1, "Last"

    title = models.CharField(max_length=120, help_text="Each date's title, e.g. Cars & Coffee.")
    index = models.ForeignKey(
        "events.EventIndexPage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="published under",
        help_text="The showroom's events page the dates appear on.",
    )
    kind = models.CharField(
        max_length=20, choices=EventPage.Kind.choices, default=EventPage.Kind.CARS_AND_COFFEE
    )
    summary = models.TextField(max_length=400, blank=True)
    host_club = models.ForeignKey(
        "community.ClubPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(
        max_length=10, choices=EventPage.Audience.choices, default=EventPage.Audience.PUBLIC
    )
    venue_name = models.CharField(max_length=120)
    venue_address = models.TextField(blank=True)
    first_start = models.DateTimeField(
        "first date starts", help_text="In the dealership's time zone; later dates keep its time."
    )
    duration = models.DurationField(help_text="How long each date lasts, e.g. 2:30:00.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default="MONTHLY")
    weekday = models.CharField(max_length=2, choices=Weekday.choices, default="SU")
    nth = models.SmallIntegerField(
        "which week",
        choices=Nth.choices,
        null=True,
        blank=True,
        help_text="Monthly: the first, second... or last such weekday of the month.",
    )
    count = models.PositiveSmallIntegerField(
        "number of dates", default=12, help_text=f"Up to {MAX_DATES}."
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places on each date, guests included. Empty: no limit."
    )
    guests_allowed = models.PositiveSmallIntegerField("guests allowed per RSVP", default=1)
    reminder_hours = models.CharField(
        "reminders", max_length=40, default="48,3", validators=[validate_reminder_hours]
    )
    rsvp_opens_days = models.PositiveSmallIntegerField(
        "RSVPs open (days before)",
        null=True,
        blank=True,
        help_text="RSVPs for each date open this many days before it. Empty: as soon as it is "
        "published.",
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="Goes up with every change to the whole series."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("index")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("first_start"), FieldPanel("duration")]),
                FieldRowPanel([FieldPanel("frequency"), FieldPanel("nth"), FieldPanel("weekday")]),
                FieldPanel("count"),
            ],
            heading="When",
        ),
        MultiFieldPanel([FieldPanel("venue_name"), FieldPanel("venue_address")], heading="Venue"),
        MultiFieldPanel(
            [FieldPanel("host_club"), FieldPanel("audience")], heading="Who is invited"
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("guests_allowed")]),
                FieldRowPanel([FieldPanel("rsvp_opens_days"), FieldPanel("reminder_hours")]),
            ],
            heading="RSVPs, for each date",
        ),
    ]

    class Meta:
        verbose_name = "event series"
        verbose_name_plural = "event series"
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def guests_choices(self) -> range:
        return range(self.guests_allowed + 1)

    @property
    def rrule(self) -> str:
        """The recurrence as an iCalendar RRULE value, e.g. ``FREQ=MONTHLY;COUNT=12;BYDAY=1SU``:
        the one description of when the dates fall, for dateutil and for calendars alike."""
        byday = f"{self.nth}{self.weekday}" if self.frequency == "MONTHLY" and self.nth else ""
        parts = [f"FREQ={self.frequency}", f"COUNT={self.count}"]
        parts.append(f"BYDAY={byday or self.weekday}")
        return ";".join(parts)

    def clean(self):
        super().clean()
        if self.count and not 1 <= self.count <= MAX_DATES:
            raise ValidationError({"count": f"A series has 1 to {MAX_DATES} dates."})
        if self.frequency == self.Frequency.MONTHLY and not self.nth:
            raise ValidationError({"nth": "Choose which week of the month."})
        if self.duration is not None and self.duration.total_seconds() <= 0:
            raise ValidationError({"duration": "Each date must last some time."})
        if self.audience == EventPage.Audience.CLUB and not self.host_club_id:
            raise ValidationError({"host_club": "Choose the club whose members are invited."})
        if self.first_start and self.weekday:
            if WEEKDAYS[timezone.localtime(self.first_start).weekday()] != self.weekday:
                raise ValidationError(
                    {"first_start": "The first date must fall on the series' weekday."}
                )


class SeriesMember(models.Model):
    """A member who said "count me in for the series": each date's RSVP is made for them as its
    RSVPs open (``events.services.series.series_fill_in``), subject to its places and waitlist.
    Leaving stops that; answers already given stay, each changeable on its date."""

    series = models.ForeignKey(EventSeries, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(
        "community.Member", on_delete=models.CASCADE, related_name="event_series"
    )
    guests = models.PositiveSmallIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    invite_sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="The SEQUENCE of the last calendar message sent."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "member"], name="series_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.series}"

    @property
    def active(self) -> bool:
        return self.left_at is None
