"""The "Leads" menu: every kind of interest members show, for the sales and parts teams.

Sales leads (trade-in appraisals, next cars, test drives, leads staff write) are community's,
accessory questions and reservations the accessories app's; the staff layer, above both, puts them
under one menu, with "All leads" first and "Send to the CRM again" on a failed lead's edit
screen (staff.admin_leads)."""

from wagtail.admin.viewsets.base import ViewSetGroup

from accessories.admin_viewsets import LeadViewSet
from community.leads.admin_viewsets import SalesLeadViewSet
from staff.admin_leads import AllLeadsViewSet, CrmResendMixin


class StaffSalesLeadViewSet(CrmResendMixin, SalesLeadViewSet):
    pass


class AccessoryLeadViewSet(CrmResendMixin, LeadViewSet):
    menu_label = "Accessory leads"


class LeadsGroup(ViewSetGroup):
    items = (AllLeadsViewSet, StaffSalesLeadViewSet, AccessoryLeadViewSet)
    menu_icon = "mail"
    menu_label = "Leads"
    menu_name = "leads"
    menu_order = 165
