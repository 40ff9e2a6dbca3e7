"""The accessories admin's ViewSets: leads (questions and reservations), under "Leads > Accessory
leads" (the staff layer's menu, staff.admin_viewsets).

Staff filter leads by status, kind, who has them, accessory and event, export them as CSV or
XLSX, and follow each one up on its edit screen: status, assigned staff member, notes, and the
event where a reserved item is handed over (it then shows on that event's check-in page). The
listing and each lead's inspect screen say where the lead stands with the showroom's CRM (sent at,
waiting, failed and why, or no CRM address).
"""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from accessories.admin_views import LeadAdminForm, LeadFilterSet, LeadIndexView
from accessories.models import Lead
from community.leads.admin_viewsets import follow_up_columns


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
        *follow_up_columns(
            before_received=(Column("event", label="Pick-up at", sort_key="event__start"),)
        ),
    ]
    inspect_view_enabled = True
    inspect_view_fields = [
        "accessory",
        "kind",
        "status",
        "name",
        "email",
        "phone",
        "message",
        "assigned_to",
        "event",
        "created_at",
        "crm_label",
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
        "crm_label",
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
        "crm_label": "CRM",
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
