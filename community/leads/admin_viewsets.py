"""Sales leads in the admin: trade-in appraisals, next-car interest, test drives and the leads
staff write, each with its kind, status, who has it, where it came from and where it stands with
the showroom's CRM; exported as CSV or XLSX. Leads are made by members and by staff from the
owner card (``community.leads.services``), never typed in here."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet

from community.admin_views import NoAddPermissionPolicy
from community.leads.admin_views import SalesLeadAdminForm, SalesLeadFilterSet, SalesLeadIndexView
from community.models import SalesLead


def follow_up_columns(*, before_received: tuple = ()) -> list:
    """The columns every list of leads shares for its follow-up: the status (new leads stand
    out), who it is assigned to, ``before_received`` (the list's own), when it came in and where
    it stands with the CRM."""
    return [
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda lead: lead.status == lead.Status.NEW,
            sort_key="status",
        ),
        Column("assigned_to", label="Assigned to", sort_key="assigned_to__display_name"),
        *before_received,
        DateColumn("created_at", label="Received", sort_key="created_at"),
        Column("crm_label", label="CRM"),
    ]


class SalesLeadViewSet(ModelViewSet):
    model = SalesLead
    name = "sales_leads"
    url_prefix = "leads/sales"
    icon = "mail"
    menu_label = "Sales leads"
    index_view_class = SalesLeadIndexView
    export_filename = "sales-leads"
    copy_view_enabled = False
    list_per_page = 50
    list_display = [
        "name",  # links to the lead's edit screen
        Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
        Column("subject", label="About"),
        *follow_up_columns(),
    ]
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind",
        "subject",
        "status",
        "name",
        "email",
        "phone",
        "message",
        "car_label",
        "vin",
        "mileage",
        "condition",
        "timeframe",
        "page",
        "written_by",
        "assigned_to",
        "notes",
        "created_at",
        "crm_label",
    ]
    list_export = [
        "created_at",
        "get_kind_display",
        "get_status_display",
        "subject",
        "name",
        "email",
        "phone",
        "message",
        "car_label",
        "vin",
        "mileage",
        "get_condition_display",
        "get_timeframe_display",
        "page_title",
        "assigned_name",
        "notes",
        "crm_label",
        "updated_at",
    ]
    export_headings = {
        "created_at": "Received",
        "get_kind_display": "Kind",
        "get_status_display": "Status",
        "subject": "About",
        "name": "Name",
        "email": "Email",
        "phone": "Phone",
        "message": "Message",
        "car_label": "Car",
        "vin": "VIN",
        "mileage": "Mileage",
        "get_condition_display": "Condition",
        "get_timeframe_display": "When",
        "page_title": "From the page",
        "assigned_name": "Assigned to",
        "notes": "Notes",
        "crm_label": "CRM",
        "updated_at": "Last changed",
    }
    filterset_class = SalesLeadFilterSet
    search_fields = ["name", "email", "phone", "message", "make", "model", "notes"]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("status"), FieldPanel("assigned_to")]),
                    FieldPanel("notes"),
                ],
                heading="Follow-up",
            ),
        ],
        base_form_class=SalesLeadAdminForm,
    )

    @property
    def permission_policy(self):
        return NoAddPermissionPolicy(self.model)
