"""Registers the community admin: the "Garage" snippets and the "Community" menu (screens in
``community.admin_views``, ViewSets in ``community.admin_viewsets``), and the "You're a member"
mark on club cards (``community.marks``)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from community.admin_viewsets import CommunityGroup, GarageGroup
from community.marks import club_badges, comment_reports
from community.page_parts import MARK_HOOK

register_snippet(GarageGroup)
hooks.register(MARK_HOOK.format("club_badge"), club_badges)
hooks.register(MARK_HOOK.format("comment_report"), comment_reports)


@hooks.register("register_admin_viewset")
def register_community_viewsets():
    return CommunityGroup()
