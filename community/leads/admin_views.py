"""The sales leads admin's screens: the follow-up form (status, who has it, notes), the listing's
filters (kind first) and its index view with the CSV and XLSX export's columns."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import IndexView

from community.admin_forms import StaffChoiceField
from community.models import SalesLead
from community.selectors import active_staff
from community.spreadsheets import LOCAL_TIME_PREPROCESS

Member = get_user_model()


class SalesLeadAdminForm(WagtailAdminModelForm):
    """Staff follow a lead up here; what the member asked stays as they asked it."""

    assigned_to = StaffChoiceField(
        queryset=Member.objects.none(), required=False, label="Assigned to"
    )

    class Meta:
        model = SalesLead
        fields = ["status", "assigned_to", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = active_staff()
        if "notes" in self.fields:
            self.fields["notes"].widget.attrs["rows"] = 4


class SalesLeadFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=SalesLead.Kind.choices, widget=forms.RadioSelect, empty_label="All"
    )
    status = django_filters.ChoiceFilter(
        choices=SalesLead.Status.choices, widget=forms.RadioSelect, empty_label="All"
    )
    assigned_to = django_filters.ModelChoiceFilter(
        queryset=lambda request: active_staff(), label="Assigned to", null_label="Nobody yet"
    )

    class Meta:
        model = SalesLead
        fields = ["kind", "status", "assigned_to"]


class SalesLeadIndexView(IndexView):
    export_filename = "sales-leads"
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        **LOCAL_TIME_PREPROCESS,
    }

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("assigned_to", "member", "crm_email", "page")
            .prefetch_related("car_models")
            .annotate(assigned_name=F("assigned_to__display_name"), page_title=F("page__title"))
        )
