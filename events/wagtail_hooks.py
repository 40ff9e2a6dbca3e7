"""Registers the events admin: the "Events" menu (RSVPs, waivers) and the member chooser.

The screens are in ``events.admin_views``, their ViewSets in ``events.admin_viewsets``.
"""

from wagtail import hooks

from events.admin_chooser import member_chooser_viewset
from events.admin_viewsets import EventsGroup


@hooks.register("register_admin_viewset")
def register_events_viewsets():
    return [EventsGroup(), member_chooser_viewset]
