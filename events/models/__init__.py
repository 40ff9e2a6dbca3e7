from .inbound import InboundMessage
from .invitations import Invitation, InvitationSend
from .pages import EventIndexPage, EventPage, RunGroup, with_run_group_places
from .routes import Route, RouteStop
from .rsvps import EventChange, Promotion, Rsvp
from .series import EventSeries, SeriesMember
from .texts import InboundText
from .waivers import Waiver, WaiverVersion

__all__ = [
    "EventChange",
    "EventIndexPage",
    "EventPage",
    "EventSeries",
    "InboundMessage",
    "InboundText",
    "Invitation",
    "InvitationSend",
    "Promotion",
    "Route",
    "RouteStop",
    "Rsvp",
    "SeriesMember",
    "RunGroup",
    "Waiver",
    "WaiverVersion",
    "with_run_group_places",
]
