"""Registers the community admin: the "Garage" snippets and the "Community" menu (screens in
``community.admin_views``, ViewSets in ``community.admin_viewsets``)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from community.admin_viewsets import CommunityGroup, GarageGroup

register_snippet(GarageGroup)


@hooks.register("register_admin_viewset")
def register_community_viewsets():
    return CommunityGroup()
