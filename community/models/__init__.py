from .clubs import ClubIndexPage, ClubPage, Membership
from .garage import Car, CarModel
from .leads import LeadBase, SalesLead
from .lounge import Appointment, LoungeImport
from .members import Member
from .outbox import OutboundEmail
from .pages import BasePage, HomePage, StandardPage
from .posts import Comment, Post, PostPhoto, Reaction, Report
from .site_settings import DealershipSettings
from .texts import (
    Channel,
    ConversationMessage,
    MemberMobile,
    MobileVerification,
    OutboundText,
    textable_q,
)

__all__ = [
    "Appointment",
    "BasePage",
    "Car",
    "Channel",
    "CarModel",
    "ClubIndexPage",
    "ClubPage",
    "Comment",
    "ConversationMessage",
    "DealershipSettings",
    "HomePage",
    "LeadBase",
    "LoungeImport",
    "Member",
    "MemberMobile",
    "Membership",
    "MobileVerification",
    "OutboundEmail",
    "OutboundText",
    "textable_q",
    "Post",
    "PostPhoto",
    "Reaction",
    "SalesLead",
    "Report",
    "StandardPage",
]
