"""Registers the accessories admin: "Accessories > Leads" (screens in ``accessories.admin_views``,
ViewSets in ``accessories.admin_viewsets``)."""

from wagtail import hooks

from accessories.admin_viewsets import AccessoriesGroup


@hooks.register("register_admin_viewset")
def register_accessories_viewsets():
    return AccessoriesGroup()
