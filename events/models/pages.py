from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from community.blocks import BodyStreamBlock
from community.lazy import lazy_context
from community.models import BasePage
from events import selectors


def validate_reminder_hours(value: str) -> None:
    try:
        hours = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ValidationError("Give whole hours separated by commas, e.g. 48,3.") from None
    if any(h <= 0 or h > 24 * 30 for h in hours):
        raise ValidationError("Each reminder must be between 1 hour and 30 days before the start.")


class EventIndexPage(BasePage):
    """Upcoming and past events, filtered by kind, club and month."""

    introduction = models.TextField(max_length=400, blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["community.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1  # one per showroom's home page
    template = "events/event_index_page.html"
    shared_body = True

    class Meta:
        verbose_name = "event index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def listing():
            return selectors.event_listing(index=self, viewer=request.user, params=request.GET)

        context.update(lazy_context(listing, selectors.EVENT_LISTING_KEYS))
        return context


class EventPage(BasePage):
    """A meetup, drive, track day...: when, where, who may come, and how many."""

    class Kind(models.TextChoices):
        MEETUP = "meetup", "Meetup"
        CARS_AND_COFFEE = "cars_coffee", "Cars & coffee"
        DRIVE = "drive", "Drive"
        TRACK_DAY = "track_day", "Track day"
        SHOWROOM_EVENING = "showroom", "Showroom evening"
        SERVICE_CLINIC = "service_clinic", "Service clinic"

    class Audience(models.TextChoices):
        PUBLIC = "public", "Everyone (visitors see it; members RSVP)"
        MEMBERS = "members", "All members"
        CLUB = "club", "Members of the host club"
        MODELS = "models", "Owners of the chosen car models"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CHANGED = "changed", "Changed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEETUP)
    start = models.DateTimeField(help_text="In the dealership's time zone.")
    end = models.DateTimeField()
    venue_name = models.CharField(max_length=120)
    venue_address = models.TextField(blank=True)
    map_url = models.URLField("map link", blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BodyStreamBlock(), blank=True, use_json_field=True)
    host_club = models.ForeignKey(
        "community.ClubPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    audience_models = ParentalManyToManyField("community.CarModel", blank=True, related_name="+")
    test_drive_models = ParentalManyToManyField(
        "community.CarModel",
        blank=True,
        related_name="+",
        verbose_name="test drives",
        help_text="New models members can ask to drive at this event.",
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places in all, guests included. Empty: no limit."
    )
    guests_allowed = models.PositiveSmallIntegerField("guests allowed per RSVP", default=1)
    rsvp_opens_at = models.DateTimeField("RSVP opens", null=True, blank=True)
    rsvp_deadline = models.DateTimeField("RSVP deadline", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    reminder_hours = models.CharField(
        "reminders",
        max_length=40,
        default="48,3",
        validators=[validate_reminder_hours],
        help_text="Hours before the start when members who are coming get a reminder, e.g. 48,3. "
        "Empty: no reminders.",
    )
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text="Goes up with every change members are told about."
    )
    drive_route = models.ForeignKey(
        "events.Route",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name="route",
        help_text="Drives: a route from the club's route library (Events > Routes).",
    )
    series = models.ForeignKey(
        "events.EventSeries",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dates",
        help_text="The series this date belongs to.",
    )
    recurrence_id = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the series first put this date (calendars' RECURRENCE-ID): it stays when "
        "the date moves.",
    )
    waiver = models.ForeignKey(
        "events.Waiver",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Track days: members accept this before they RSVP.",
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        MultiFieldPanel(
            [FieldPanel("venue_name"), FieldPanel("venue_address"), FieldPanel("map_url")],
            heading="Venue",
        ),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("drive_route"),
        MultiFieldPanel(
            [
                FieldPanel("host_club"),
                FieldPanel("audience"),
                FieldPanel("audience_models", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Who is invited",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("guests_allowed")]),
                FieldRowPanel([FieldPanel("rsvp_opens_at"), FieldPanel("rsvp_deadline")]),
                FieldPanel("reminder_hours"),
            ],
            heading="RSVPs",
        ),
        MultiFieldPanel(
            [FieldPanel("waiver"), InlinePanel("run_groups", label="Run group")],
            heading="Track day",
        ),
        FieldPanel("test_drive_models", widget=forms.CheckboxSelectMultiple),
        InlinePanel(
            "accessories_on_display",
            label="Accessory",
            heading="Accessories on display",
            help_text="Parts staff bring these; the accessory's page says where to see it.",
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("venue_name"),
        index.FilterField("kind"),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    template = "events/event_page.html"
    shared_body = True

    class Meta:
        verbose_name = "event"
        indexes = [models.Index(fields=["start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "recurrence_id"], name="event_one_page_per_series_date"
            )
        ]

    def get_context(self, request, *args, **kwargs):
        # The page's view layer: events.views imports the forms and services, which import these
        # models, so it can only be loaded once they are.
        from events.views import event_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_page_context(event=self, request=request))
        return context

    def serve(self, request, *args, **kwargs):
        from django.http import Http404
        from django.utils.cache import patch_cache_control, patch_vary_headers

        # The one rule (``EVENT_VISIBILITY``), on the page in hand: no query for most events.
        if not selectors.event_visible_to(event=self, viewer=request.user):
            raise Http404("No such event.")
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:  # a visitor's page is the same for all (page cache)
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, private=True, no_store=True)
        return response

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The event must end after it starts."})
        if self.rsvp_deadline and self.start and self.rsvp_deadline > self.start:
            raise ValidationError({"rsvp_deadline": "RSVPs must close before the event starts."})
        if self.audience == self.Audience.CLUB and not self.host_club_id:
            raise ValidationError({"host_club": "Choose the club whose members are invited."})
        route = self.drive_route if self.drive_route_id else None
        if route and route.club_id and route.club_id != self.host_club_id:
            raise ValidationError(
                {
                    "drive_route": f"This route belongs to the route library of {route.club.title}: "
                    "choose one from the host club's library, or one of the dealership's own."
                }
            )

    @property
    def private_club_id(self) -> int | None:
        """A private club's events are for its members alone (events_visible_to), images too."""
        if self.host_club_id and self.host_club.is_private:
            return self.host_club_id
        return None

    @property
    def reminder_leads(self) -> list[int]:
        return sorted(
            {int(p) for p in self.reminder_hours.split(",") if p.strip().isdigit()}, reverse=True
        )

    @property
    def is_track_day(self) -> bool:
        return self.kind == self.Kind.TRACK_DAY

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def places_in_all(self) -> int | None:
        """How many places the event has (None: no limit). The one rule, for every screen: a track
        day with run groups has the sum of its groups' places, as each RSVP takes a place in one
        group; any other event has its ``capacity``. Querysets passed through
        :func:`with_run_group_places` answer without another query."""
        if not self.is_track_day:
            return self.capacity
        if hasattr(self, "run_group_places"):
            groups = self.run_group_places
        else:
            groups = RunGroup.objects.filter(event_id=self.pk).aggregate(
                total=models.Sum("capacity")
            )["total"]
        return self.capacity if groups is None else groups

    def admits(self, *, club_ids, model_ids) -> bool:
        """Who may attend, for a member (not staff: they always may) in the clubs ``club_ids``
        (active memberships) owning cars of the models ``model_ids``. The rule's one home: one
        member's page (``events.selectors.member_may_attend``) and the staff tools' many members
        both ask it."""
        if self.audience in (self.Audience.PUBLIC, self.Audience.MEMBERS):
            return True
        if self.audience == self.Audience.CLUB:
            return self.host_club_id in club_ids
        return not set(model_ids).isdisjoint(model.pk for model in self.audience_models.all())

    def rsvp_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.is_cancelled or now >= self.start:
            return False
        if self.rsvp_opens_at and now < self.rsvp_opens_at:
            return False
        return not (self.rsvp_deadline and now > self.rsvp_deadline)


class RunGroup(Orderable):
    """A track day's group (novice, intermediate, advanced...), with places of its own."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="run_groups")
    name = models.CharField(max_length=60)
    capacity = models.PositiveIntegerField(help_text="Cars in this group.")

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("capacity")])]

    def __str__(self) -> str:
        return self.name


def with_run_group_places(qs):
    """Annotate ``run_group_places`` (the sum of the run groups' places, None without groups), which
    ``EventPage.places_in_all`` reads instead of querying each event."""
    total = (
        RunGroup.objects.filter(event_id=models.OuterRef("pk"))
        .order_by()
        .values("event_id")
        .annotate(total=models.Sum("capacity"))
        .values("total")
    )
    return qs.annotate(run_group_places=models.Subquery(total))
