"""Admin screens for accessories: leads (questions and reservations) under "Accessories > Leads".

Staff filter leads by status, kind, who has them, accessory and event, export them as CSV or
XLSX, and follow each one up on its edit screen: status, assigned staff member, notes, and the
event where a reserved item is handed over (it then shows on that event's check-in page).
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from accessories.models import AccessoryPage, Lead
from community.selectors import active_staff
from community.spreadsheets import LOCAL_TIME_PREPROCESS
from events.admin_fields import EventChoiceField
from events.models import EventPage

Member = get_user_model()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.email


class LeadAdminForm(WagtailAdminModelForm):
    event = EventChoiceField(
        queryset=EventPage.objects.none(),
        required=False,
        label="Pick-up at event",
        help_text="A reserved item is handed over at this event's check-in.",
    )
    assigned_to = StaffChoiceField(
        queryset=Member.objects.none(), required=False, label="Assigned to"
    )

    class Meta:
        model = Lead
        fields = [
            "accessory",
            "kind",
            "name",
            "email",
            "phone",
            "message",
            "status",
            "assigned_to",
            "event",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "event" in self.fields:
            self.fields["event"].queryset = EventPage.objects.order_by("-start")
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = active_staff()
        if "accessory" in self.fields:
            self.fields["accessory"].queryset = AccessoryPage.objects.order_by("title")
        if "email" in self.fields:
            self.fields["email"].help_text = ""
        for name, rows in (("message", 4), ("notes", 4)):
            if name in self.fields:
                self.fields[name].widget.attrs["rows"] = rows

    def clean(self):
        data = super().clean()
        kind = data.get("kind", self.instance.kind)
        if data.get("event") and kind != Lead.Kind.RESERVE:
            self.add_error("event", "Only a reservation is picked up at an event.")
        return data


# --- Listing ------------------------------------------------------------------------------------


class LeadFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=Lead.Status.choices, widget=forms.RadioSelect, empty_label="All"
    )
    kind = django_filters.ChoiceFilter(
        choices=Lead.Kind.choices, widget=forms.RadioSelect, empty_label="All"
    )
    assigned_to = django_filters.ModelChoiceFilter(
        queryset=lambda request: active_staff(), label="Assigned to", null_label="Nobody yet"
    )
    accessory = django_filters.ModelChoiceFilter(
        queryset=lambda request: AccessoryPage.objects.order_by("title"), label="Accessory"
    )
    event = django_filters.ModelChoiceFilter(
        queryset=lambda request: EventPage.objects.order_by("-start"), label="Pick-up at event"
    )

    class Meta:
        model = Lead
        fields = ["status", "kind", "assigned_to", "accessory", "event"]


class LeadIndexView(IndexView):
    export_filename = "accessory-leads"
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        **LOCAL_TIME_PREPROCESS,
    }

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("accessory", "assigned_to", "event", "member")
            .annotate(
                accessory_title=F("accessory__title"),
                part_number=F("accessory__part_number"),
                assigned_name=F("assigned_to__display_name"),
                event_title=F("event__title"),
                event_start=F("event__start"),
            )
        )


def _status_primary(lead: Lead) -> bool:
    return lead.status == Lead.Status.NEW


class LeadViewSet(ModelViewSet):
    model = Lead
    name = "accessory_leads"
    url_prefix = "accessories/leads"
    icon = "mail"
    menu_label = "Leads"
    index_view_class = LeadIndexView
    export_filename = "accessory-leads"
    copy_view_enabled = False
    list_per_page = 50
    list_display = [
        "name",  # links to the lead's edit screen
        Column("accessory", label="Accessory", sort_key="accessory__title"),
        Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=_status_primary,
            sort_key="status",
        ),
        Column("assigned_to", label="Assigned to", sort_key="assigned_to__display_name"),
        Column("event", label="Pick-up at", sort_key="event__start"),
        DateColumn("created_at", label="Received", sort_key="created_at"),
    ]
    list_export = [
        "created_at",
        "get_kind_display",
        "get_status_display",
        "accessory_title",
        "part_number",
        "name",
        "email",
        "phone",
        "message",
        "assigned_name",
        "event_title",
        "event_start",
        "handed_over_at",
        "notes",
        "updated_at",
    ]
    export_headings = {
        "created_at": "Received",
        "get_kind_display": "Kind",
        "get_status_display": "Status",
        "accessory_title": "Accessory",
        "part_number": "Part number",
        "name": "Name",
        "email": "Email",
        "phone": "Phone",
        "message": "Message",
        "assigned_name": "Assigned to",
        "event_title": "Pick-up at event",
        "event_start": "Event starts",
        "handed_over_at": "Handed over",
        "notes": "Notes",
        "updated_at": "Last changed",
    }
    filterset_class = LeadFilterSet
    search_fields = ["name", "email", "phone", "message", "accessory__title", "notes"]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("status"), FieldPanel("assigned_to")]),
                    FieldPanel("event"),
                    FieldPanel("notes"),
                ],
                heading="Follow-up",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("accessory"), FieldPanel("kind")]),
                    FieldRowPanel([FieldPanel("name"), FieldPanel("email"), FieldPanel("phone")]),
                    FieldPanel("message"),
                ],
                heading="From the asker",
            ),
        ],
        base_form_class=LeadAdminForm,
    )


class AccessoriesGroup(ViewSetGroup):
    items = (LeadViewSet,)
    menu_icon = "tag"
    menu_label = "Accessories"
    menu_name = "accessories"
    menu_order = 170


@hooks.register("register_admin_viewset")
def register_accessories_viewsets():
    return AccessoriesGroup()
