"""Drives' routes: a club's route library, each route a track and its numbered stops."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable
from wagtail.search import index

from events.gpx import driving_seconds, kilometres_to_miles, track_length_m


class Route(index.Indexed, ClusterableModel):
    """A drive's route: a track (uploaded as GPX) and/or stops placed by hand, kept in a club's
    route library so the next drive can use it again."""

    name = models.CharField(max_length=120)
    club = models.ForeignKey(
        "community.ClubPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="routes",
        help_text="The club whose route library keeps this route. Empty: the dealership's own.",
    )
    description = models.TextField(blank=True)
    points = models.JSONField(
        default=list, blank=True, editable=False, help_text="The track, as [lat, lon] pairs."
    )
    distance_m = models.PositiveIntegerField("distance (m)", default=0, editable=False)
    duration_s = models.PositiveIntegerField(
        "driving time (s)", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [index.SearchField("name"), index.FilterField("club")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.club.title})" if self.club_id else self.name

    @property
    def distance_text(self) -> str:
        """ "42 miles (68 km)": members in the UK think in miles, the route planners in km."""
        km = self.distance_m / 1000
        return (
            f"{kilometres_to_miles(km):.0f} miles ({km:.0f} km)"
            if km >= 10
            else (f"{kilometres_to_miles(km):.1f} miles ({km:.1f} km)")
        )

    @property
    def duration_text(self) -> str:
        """ "About 1 h 35 min" of driving."""
        if not self.duration_s:
            return ""
        hours, minutes = divmod(round(self.duration_s / 60), 60)
        return f"about {hours} h {minutes:02d} min" if hours else f"about {minutes} min"

    def measure(self, *, duration_s: int | None = None) -> None:
        """Distance from the track (stop to stop for a route placed by hand) and driving time:
        ``duration_s`` when the GPX file's timestamps gave one, else at the average speed."""
        line = self.points or [[s.lat, s.lon] for s in self.stops.all()]
        self.distance_m = round(track_length_m(line))
        self.duration_s = duration_s or (driving_seconds(self.distance_m) or None)


class RouteStop(Orderable):
    """A numbered stop on a route, reached ``minutes_after_start`` minutes after the drive starts."""

    class Kind(models.TextChoices):
        MEETING_POINT = "meeting", "Meeting point"
        REGROUP = "regroup", "Regroup"
        FUEL = "fuel", "Fuel"
        COFFEE = "coffee", "Coffee"
        LUNCH = "lunch", "Lunch"
        FINISH = "finish", "Finish"

    route = ParentalKey(Route, on_delete=models.CASCADE, related_name="stops")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REGROUP)
    name = models.CharField(max_length=120)
    lat = models.FloatField("latitude", validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(
        "longitude", validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    minutes_after_start = models.PositiveIntegerField(
        "minutes after the start",
        null=True,
        blank=True,
        help_text="When the drive reaches this stop, e.g. 0 for the meeting point. Empty: no time.",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("lat"), FieldPanel("lon"), FieldPanel("minutes_after_start")]),
    ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"
