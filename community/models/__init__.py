from .clubs import ClubIndexPage, ClubPage, Membership
from .garage import Car, CarModel
from .members import Member
from .outbox import OutboundEmail
from .pages import BasePage, HomePage, StandardPage
from .posts import Comment, Post, PostPhoto, Reaction, Report
from .site_settings import DealershipSettings

__all__ = [
    "BasePage",
    "Car",
    "CarModel",
    "ClubIndexPage",
    "ClubPage",
    "Comment",
    "DealershipSettings",
    "HomePage",
    "Member",
    "Membership",
    "OutboundEmail",
    "Post",
    "PostPhoto",
    "Reaction",
    "Report",
    "StandardPage",
]
