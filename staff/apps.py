"""The staff tools: dashboard panels, reports, owner cards and the service lounge.

The top layer of Paddock's apps (community <- events <- accessories <- staff): it reads all of
them, and none of them imports it.
"""

from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class MemberUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, whose forms also edit a member's phone and assigned advisor."""

    user_viewset = "staff.admin_users.MemberUserViewSet"


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Staff tools"
    default_auto_field = "django.db.models.BigAutoField"
