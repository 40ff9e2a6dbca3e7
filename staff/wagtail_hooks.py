"""Admin hooks of the staff tools: dashboard panels, reports, the service lounge, owner cards."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from community.contributions import MEMBER_STAFF_PAGE
from staff import urls
from staff.admin_viewsets import LeadsGroup
from staff.dashboard import PANELS
from staff.reports import REPORTS


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_active and request.user.is_staff


@hooks.register("register_admin_urls")
def register_staff_urls():
    return [path("", include((urls.urlpatterns, "staff"), namespace="staff"))]


@hooks.register("register_admin_viewset")
def register_leads_viewsets():
    return LeadsGroup()


@hooks.register("register_admin_menu_item")
def register_lounge_menu_item():
    return StaffMenuItem(
        "Service lounge", reverse("staff:lounge"), name="lounge", icon_name="user", order=170
    )


for _order, (_label, _url_name, _icon) in enumerate(REPORTS):

    def _register(label=_label, url_name=_url_name, icon=_icon, order=100 + _order):
        return StaffMenuItem(
            label, reverse(url_name), name=url_name.split(":")[1], icon_name=icon, order=order
        )

    hooks.register("register_reports_menu_item", _register)


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    if request.user.is_active and request.user.is_staff:
        panels.extend(panel() for panel in PANELS)


@hooks.register("insert_global_admin_css")
def crm_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}"><link rel="stylesheet" href="{}">',
        static("css/crm-admin.css"),
        static("css/admin-phone.css"),
    )


@hooks.register("insert_global_admin_js")
def admin_tables_js():
    return format_html('<script src="{}" defer></script>', static("js/admin-tables.js"))


@hooks.register("register_user_listing_buttons")
def owner_card_button(user, request_user):
    yield ListingButton(
        "Owner card",
        reverse("staff:owner_card", args=[user.pk]),
        icon_name="user",
        priority=5,
    )


@hooks.register(MEMBER_STAFF_PAGE)
def owner_card_path(member):
    return reverse("staff:owner_card", args=[member.pk])
