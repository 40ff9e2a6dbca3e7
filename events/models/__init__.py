from .inbound import InboundMessage
from .invitations import Invitation, InvitationSend
from .pages import EventIndexPage, EventPage, RunGroup, with_run_group_places
from .routes import Route, RouteStop
from .rsvps import EventChange, Promotion, Rsvp
from .texts import InboundText
from .waivers import Waiver, WaiverVersion

__all__ = [
    "EventChange",
    "EventIndexPage",
    "EventPage",
    "InboundMessage",
    "InboundText",
    "Invitation",
    "InvitationSend",
    "Promotion",
    "Route",
    "RouteStop",
    "Rsvp",
    "RunGroup",
    "Waiver",
    "WaiverVersion",
    "with_run_group_places",
]
