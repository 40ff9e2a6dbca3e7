"""Reads for members' texted replies: whose number sent a text, which invitations a member can
still answer, and the "Which one?" question Paddock last asked them (events/text_replies.py)."""

from django.utils import timezone

from community.models import MemberMobile
from events.models import EventPage, InboundText


def mobile_by_number(*, number: str) -> MemberMobile | None:
    """The verified mobile (with its active member) that ``number`` (E.164) belongs to."""
    return (
        MemberMobile.objects.select_related("member")
        .filter(number=number, verified_at__isnull=False, member__is_active=True)
        .order_by("-verified_at")
        .first()
    )


def open_invitations(*, member) -> list[EventPage]:
    """Upcoming live events ``member`` was invited to and can still answer, soonest first."""
    now = timezone.now()
    events = (
        EventPage.objects.live()
        .filter(invitations__member=member, start__gt=now)
        .exclude(status=EventPage.Status.CANCELLED)
        .order_by("start", "pk")
        .distinct()
    )
    return [event for event in events if event.rsvp_open(now)]


def pending_question(*, member) -> InboundText | None:
    """The "Which one?" question last asked ``member``, while it may still be answered."""
    return (
        InboundText.objects.filter(
            member=member,
            outcome=InboundText.Outcome.ASKED,
            choices_until__gt=timezone.now(),
        )
        .order_by("-received_at", "-pk")
        .first()
    )
