from wagtail.users.apps import WagtailUsersAppConfig


class MemberUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, whose forms also edit a member's phone and assigned advisor."""

    user_viewset = "community.crm.admin_users.MemberUserViewSet"
