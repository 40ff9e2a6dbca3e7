"""What a higher app adds to a lower app's pages, so that the lower app never imports it.

Paddock's apps form layers (community <- events <- accessories <- ...). The home page belongs to
community but lists upcoming events and featured accessories; a club page lists the club's events;
an event page shows the accessories on display; the check-in list shows reserved items to hand
over. Each of those pages asks the Wagtail hooks named here for its sections, and the higher app
registers them (``events/contributions.py``, ``accessories/contributions.py``), in the way
Wagtail's own ``construct_homepage_panels`` lets apps fill the admin's dashboard::

    @hooks.register(HOME_SECTIONS)
    def upcoming_events_on_home(*, viewer, home) -> dict:
        return {"upcoming_events": ...}

A page whose higher apps are not installed simply shows fewer sections.
"""

from django.urls import reverse
from wagtail import hooks

# fn(*, viewer, home) -> template context for the home page.
HOME_SECTIONS = "paddock_home_sections"
# fn(*, viewer, club) -> template context for a club page.
CLUB_SECTIONS = "paddock_club_sections"
# fn(*, viewer, event) -> template context for an event page.
EVENT_SECTIONS = "paddock_event_sections"
# fn(*, event) -> list of items to hand over at the door, each with a ``member_id``.
CHECKIN_PICKUPS = "paddock_checkin_pickups"
# fn(*, member) -> the admin path of staff's page about a member (the owner card), or "".
MEMBER_STAFF_PAGE = "paddock_member_staff_page"


def sections(hook_name: str, **kwargs) -> dict:
    """The template context every registered contributor adds for ``hook_name``."""
    context = {}
    for contribute in hooks.get_hooks(hook_name):
        context.update(contribute(**kwargs))
    return context


def contributed_items(hook_name: str, **kwargs) -> list:
    """The items every registered contributor lists for ``hook_name``, in registration order."""
    return [item for contribute in hooks.get_hooks(hook_name) for item in contribute(**kwargs)]


def member_staff_path(member) -> str:
    """Where staff read about ``member`` in the admin: the page a higher app registers for
    MEMBER_STAFF_PAGE (the owner card), else the member's account in Wagtail's user admin."""
    for page_of in hooks.get_hooks(MEMBER_STAFF_PAGE):
        path = page_of(member=member)
        if path:
            return path
    return reverse("wagtailusers_users:edit", args=[member.pk])
