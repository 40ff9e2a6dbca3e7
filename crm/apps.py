from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class CrmConfig(AppConfig):
    """Staff tools over the whole owner relationship: dashboard, reports, owner card, lounge."""

    name = "crm"
    verbose_name = "Staff tools"
    default_auto_field = "django.db.models.BigAutoField"


class MemberUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, whose forms also edit a member's phone and assigned advisor."""

    user_viewset = "crm.admin_users.MemberUserViewSet"
