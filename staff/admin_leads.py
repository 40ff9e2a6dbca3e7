"""The Leads menu's own screens: "All leads" (every lead of both models in one listing, with
filters by kind, status and who has it) and "Send to the CRM again" on a lead's edit screen when
its CRM mail failed."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import EditView
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.viewsets.base import ViewSet

from accessories.models import Lead
from accessories.services import lead_crm_resend
from community.crm import CrmError
from community.leads.services import sales_lead_crm_resend
from community.models import LeadBase, SalesLead
from community.selectors import active_staff
from staff import accessories


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- All leads ----------------------------------------------------------------------------------


class AllLeadsFilterSet(WagtailFilterSet):
    """The listing's filters; the view reads their cleaned values and asks the selector."""

    kind = django_filters.ChoiceFilter(
        choices=list(accessories.LEAD_KINDS.items()), widget=forms.RadioSelect, empty_label="All"
    )
    status = django_filters.ChoiceFilter(
        choices=LeadBase.Status.choices, widget=forms.RadioSelect, empty_label="All"
    )
    assigned_to = django_filters.ModelChoiceFilter(
        queryset=lambda request: active_staff(),
        label="Assigned to",
        null_label="Nobody yet",
        null_value=accessories.NOBODY,
    )

    class Meta:
        model = SalesLead  # the filters are read, not applied to it
        fields = []


def _status_primary(row) -> bool:
    return row.status == LeadBase.Status.NEW


class AllLeadsView(StaffOnlyMixin, BaseListingView):
    page_title = "All leads"
    header_icon = "mail"
    paginate_by = 50
    filterset_class = AllLeadsFilterSet
    index_url_name = "all_leads:index"
    index_results_url_name = "all_leads:index_results"
    verbose_name = "lead"
    verbose_name_plural = "leads"
    columns = [
        TitleColumn("name", label="Name", get_url=lambda row: row.url, classname="leads-name"),
        Column("kind_label", label="Kind"),
        Column("about", label="About"),
        StatusTagColumn("status_label", label="Status", primary=_status_primary),
        Column("assigned_to", label="Assigned to"),
        DateColumn("created_at", label="Received"),
        Column("crm_label", label="CRM"),
    ]

    def get_queryset(self):
        data = {}
        if self.filters and self.filters.is_valid():
            data = self.filters.form.cleaned_data
        return accessories.all_leads(
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            assigned_to=data.get("assigned_to"),
        )


class AllLeadsViewSet(ViewSet):
    """The Leads menu's first item: every lead, whatever it is about."""

    name = "all_leads"
    url_prefix = "leads/all"
    icon = "list-ul"
    menu_label = "All leads"

    def get_urlpatterns(self):
        return [
            path("", AllLeadsView.as_view(), name="index"),
            path("results/", AllLeadsView.as_view(results_only=True), name="index_results"),
        ]


# --- Send to the CRM again ----------------------------------------------------------------------


class LeadEditView(EditView):
    """A lead's edit screen, with "Send to the CRM again" when its CRM mail failed."""

    template_name = "staff/leads/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["crm_resend_url"] = (
            reverse(self.edit_url_name.replace(":edit", ":crm_resend"), args=[self.object.pk])
            if self.object.crm_failed
            else ""
        )
        return context


# Which service sends each model's leads again.
RESEND = {Lead: lead_crm_resend, SalesLead: sales_lead_crm_resend}


class LeadCrmResendView(StaffOnlyMixin, View):
    """POST: send a lead whose CRM mail failed to the CRM again, then back to its edit screen."""

    http_method_names = ["post"]
    model = None
    edit_url_name = ""

    def post(self, request, pk):
        lead = get_object_or_404(self.model, pk=pk)
        try:
            RESEND[self.model](lead=lead)
        except CrmError as error:
            messages.error(request, f"The lead was not sent again: {error}")
        else:
            lead.refresh_from_db()
            if lead.crm_error:
                messages.error(
                    request, f"The lead is still not valid for the CRM: {lead.crm_error}"
                )
            else:
                messages.success(request, "The lead is queued for the CRM again.")
        return redirect(self.edit_url_name, pk)


class CrmResendMixin:
    """For a lead ViewSet: its edit screen offers "Send to the CRM again"
    (``<name>:crm_resend``) when the lead's CRM mail failed."""

    edit_view_class = LeadEditView

    def get_urlpatterns(self):
        view = LeadCrmResendView.as_view(model=self.model, edit_url_name=self.get_url_name("edit"))
        return super().get_urlpatterns() + [
            path("<int:pk>/crm-resend/", view, name="crm_resend"),
        ]
