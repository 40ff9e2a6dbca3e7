"""The events admin's ViewSets: RSVPs (list, export, add by phone or at the counter, remove,
change capacity, invite) and track-day waivers, under one "Events" menu."""

from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from community.admin_views import ReadOnlyPermissionPolicy
from events.admin_invitations import InviteView, invite_progress
from events.admin_routes import route_edit_handler
from events.admin_series import SeriesCreateView, SeriesEditView, SeriesIndexView
from events.admin_views import (
    CapacityChangeView,
    NoDeletePermissionPolicy,
    RsvpCreateView,
    RsvpDeleteView,
    RsvpEditView,
    RsvpFilterSet,
    RsvpIndexView,
    RsvpStaffForm,
    WaiverIndexView,
)
from events.models import EventSeries, InboundText, Route, Rsvp, Waiver

_PANELS_COMMON = [
    FieldPanel("answer"),
    FieldPanel("guests"),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("car_registration"), FieldPanel("run_group")]),
            FieldRowPanel(
                [FieldPanel("emergency_contact_name"), FieldPanel("emergency_contact_phone")]
            ),
            FieldPanel("accept_waiver"),
        ],
        heading="Car and track day",
    ),
]


def _source_text(rsvp: Rsvp) -> str:
    return rsvp.get_source_display().split(" (")[0]  # "Staff", not "Staff (phone or counter)"


def _state_text(rsvp: Rsvp) -> str:
    if rsvp.state == Rsvp.State.WAITLISTED and rsvp.waitlist_position:
        return f"Waitlist #{rsvp.waitlist_position}"
    return rsvp.get_state_display()


class RsvpViewSet(ModelViewSet):
    model = Rsvp
    name = "event_rsvps"
    url_prefix = "events/rsvps"
    icon = "list-ul"
    menu_label = "RSVPs"
    index_view_class = RsvpIndexView
    add_view_class = RsvpCreateView
    edit_view_class = RsvpEditView
    delete_view_class = RsvpDeleteView
    copy_view_enabled = False
    list_per_page = 50
    list_display = [
        "member",  # the first column links to the RSVP's edit form
        Column("event", label="Event", sort_key="event__start"),
        Column("answer", label="Answer", accessor="get_answer_display", sort_key="answer"),
        Column("state", label="State", accessor=_state_text, sort_key="state"),
        Column("places_requested", label="Places", sort_key="places_requested"),
        Column("run_group", label="Run group"),
        Column("car_number", label="Car no.", sort_key="car_number"),
        Column("source", label="Source", accessor=_source_text, sort_key="source"),
        DateColumn("checked_in_at", label="Checked in", sort_key="checked_in_at"),
        DateColumn("created_at", label="Answered", sort_key="created_at"),
    ]
    list_export = [
        "member_name",
        "member_email",
        "event",
        "event.start",
        "get_answer_display",
        "get_state_display",
        "guests",
        "places_requested",
        "car",
        "car_registration",
        "run_group",
        "car_number",
        "waitlist_position",
        "get_source_display",
        "created_at",
        "checked_in_at",
    ]
    export_headings = {
        "member_name": "Member",
        "member_email": "Email",
        "event": "Event",
        "event.start": "Event starts",
        "get_answer_display": "Answer",
        "get_state_display": "State",
        "guests": "Guests",
        "places_requested": "Places",
        "car": "Car",
        "car_registration": "Registration",
        "run_group": "Run group",
        "car_number": "Car number",
        "waitlist_position": "Waitlist position",
        "get_source_display": "Source",
        "created_at": "Answered at",
        "checked_in_at": "Checked in at",
    }
    filterset_class = RsvpFilterSet
    search_fields = [
        "member__display_name",
        "member__email",
        "car__registration",
        "car__registration_key",
    ]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [FieldPanel("event"), FieldPanel("member"), *_PANELS_COMMON],
        base_form_class=RsvpStaffForm,
    )

    @cached_property
    def _staff_edit_panel(self):
        # On an existing RSVP the event and the member are fixed: shown, not editable.
        panel = ObjectList(
            [
                FieldPanel("event", read_only=True),
                FieldPanel("member", read_only=True),
                *_PANELS_COMMON,
            ],
            base_form_class=RsvpStaffForm,
        )
        return panel.bind_to_model(Rsvp)

    def get_edit_view_kwargs(self, **kwargs):
        panel = self._staff_edit_panel
        return super().get_edit_view_kwargs(
            panel=panel, form_class=panel.get_form_class(), **kwargs
        )

    @property
    def capacity_view(self):
        return CapacityChangeView.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            header_icon="group",
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("capacity/<int:event_id>/", self.capacity_view, name="capacity"),
            path("invite/<int:event_id>/", InviteView.as_view(), name="invite"),
            path("invite/<int:event_id>/progress/", invite_progress, name="invite_progress"),
        ]


class WaiverViewSet(ModelViewSet):
    model = Waiver
    name = "event_waivers"
    url_prefix = "events/waivers"
    icon = "doc-full-inverse"
    menu_label = "Waivers"
    index_view_class = WaiverIndexView
    list_display = [
        "title",
        Column("current_number", label="Version", sort_key="current_number"),
        DateColumn("text_changed_at", label="Text changed", sort_key="text_changed_at"),
    ]
    search_fields = ["title", "text"]
    ordering = ["title"]
    copy_view_enabled = False
    form_fields = ["title", "text"]

    @property
    def permission_policy(self):
        return NoDeletePermissionPolicy(self.model)


class RouteViewSet(ModelViewSet):
    """The route library: each club's drives' routes, to pick on a drive's event page."""

    model = Route
    name = "event_routes"
    url_prefix = "events/routes"
    icon = "site"
    menu_label = "Routes"
    list_display = ["name", "club", Column("distance_text", label="Distance")]
    list_filter = ["club"]
    search_fields = ["name"]
    ordering = ["name"]
    edit_handler = route_edit_handler


class InboundTextViewSet(ModelViewSet):
    """Events → Texts received: what members (and strangers) texted the showroom's number and
    what Paddock did about each, read-only, beside Community → Sent texts."""

    model = InboundText
    icon = "mail"
    menu_label = "Texts received"
    name = "texts_received"
    url_prefix = "texts-received"
    list_display = ["from_number", "member", "body", "outcome", "received_at"]
    list_filter = ["outcome"]
    search_fields = ["from_number", "body"]
    ordering = ["-received_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "from_number",
        "to_number",
        "member",
        "body",
        "outcome",
        "detail",
        "rsvp",
        "message_sid",
        "received_at",
    ]
    copy_view_enabled = False
    form_fields = ["body"]

    @property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(self.model)


class SeriesViewSet(ModelViewSet):
    model = EventSeries
    name = "event_series"
    url_prefix = "events/series"
    icon = "date"
    menu_label = "Series"
    index_view_class = SeriesIndexView
    add_view_class = SeriesCreateView
    edit_view_class = SeriesEditView
    copy_view_enabled = False
    list_display = [
        "title",
        Column("rrule", label="Rule"),
        Column("dates_count", label="Dates"),
        Column("skipped_count", label="Skipped"),
        Column("members_count", label="Every date"),
    ]
    search_fields = ["title", "venue_name"]


class EventsGroup(ViewSetGroup):
    items = (RsvpViewSet, SeriesViewSet, WaiverViewSet, RouteViewSet, InboundTextViewSet)
    menu_icon = "date"
    menu_label = "Events"
    menu_name = "events"
    menu_order = 160
