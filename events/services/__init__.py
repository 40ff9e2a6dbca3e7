"""Events' writes, one module per kind of caller; the member-facing RSVP writes and the capacity
and waitlist rules they keep are importable from here.

- ``events.services.rsvp``: a member's answer, the waitlist and its promotions, and the rules
  of places (``places_open``, ``waitlist_queue``), used by views, replies by mail and text, and
  one-click links;
- ``events.services.staff``: what the Wagtail admin does to an event (remove an RSVP, change the
  capacity, record a change members must hear of), under the same lock.

Invitations (``events.invitations``), answers and reminders (``events.notifications``) and
check-in (``events.checkin``) keep their own modules.
"""

from events.services.rsvp import (
    WAITLIST_ORDER,
    RsvpError,
    capacity_of,
    confirmed_places,
    free_places,
    places_open,
    promote_waitlist,
    rsvp_respond,
    waitlist_leave,
    waitlist_position,
    waitlist_position_after_answer,
    waitlist_position_expression,
    waitlist_queue,
)

__all__ = [
    "WAITLIST_ORDER",
    "RsvpError",
    "capacity_of",
    "confirmed_places",
    "free_places",
    "places_open",
    "promote_waitlist",
    "rsvp_respond",
    "waitlist_leave",
    "waitlist_position",
    "waitlist_position_after_answer",
    "waitlist_position_expression",
    "waitlist_queue",
]
