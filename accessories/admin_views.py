"""The accessories admin's screens: the lead form (follow-up, assignment, pick-up at an event),
the lead listing's filters and its index view (with the CSV and XLSX export's columns)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import IndexView

from accessories.models import AccessoryPage, Lead
from community.admin_forms import StaffChoiceField
from community.selectors import active_staff
from community.spreadsheets import LOCAL_TIME_PREPROCESS
from events.admin_fields import EventChoiceField
from events.models import EventPage

Member = get_user_model()


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
            .select_related("accessory", "assigned_to", "event", "member", "crm_email")
            .annotate(
                accessory_title=F("accessory__title"),
                part_number=F("accessory__part_number"),
                assigned_name=F("assigned_to__display_name"),
                event_title=F("event__title"),
                event_start=F("event__start"),
            )
        )
