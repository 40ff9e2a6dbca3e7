"""Reads about members' texts: their number, consent and channels, for pages, the owner card and
the data download, and the rule deciding how a message of a kind reaches a member."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from community import models  # the module, not its names: community.models imports selectors
from community.texts.channels import TEXT_KINDS
from community.texts.phones import mobile_display

DELIVERY_COUNTS = ("queued", "failed", "sent", "delivered", "undelivered", "awaiting")


def member_mobile(*, member: models.Member) -> models.MemberMobile | None:
    return models.MemberMobile.objects.filter(member=member).first()


def mobile_by_number(*, number: str) -> models.MemberMobile | None:
    """The verified mobile (with its active member) that ``number`` (E.164) belongs to: who sent
    an inbound text."""
    return (
        models.MemberMobile.objects.select_related("member")
        .filter(number=number, verified_at__isnull=False, member__is_active=True)
        .order_by("-verified_at")
        .first()
    )


def pending_verification(*, member: models.Member, number: str) -> models.MobileVerification | None:
    """The code last sent to ``number`` that is still waiting to be typed back."""
    return (
        models.MobileVerification.objects.filter(
            member=member, number=number, confirmed_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )


def message_channels(*, member: models.Member, kind: str) -> set[str]:
    """How a message of ``kind`` reaches ``member``: {"email"}, {"text"}, both, or nothing.

    Text only with a verified number, consent and no STOP; a member who chose text but cannot be
    texted gets the email instead. Email only while the kind's email preference (if any) is on."""
    return channels_for(member=member, mobile=member_mobile(member=member), kind=kind)


def channels_for(
    *, member: models.Member, mobile: models.MemberMobile | None, kind: str
) -> set[str]:
    """``message_channels`` for a member whose mobile (or None) is already loaded, so a batch of
    members (an invitation send) is decided in one query."""
    _label, email_field = TEXT_KINDS[kind]
    email_on = getattr(member, email_field) if email_field else True
    choice = getattr(mobile, kind) if mobile else models.Channel.EMAIL
    channels = set()
    if choice in (models.Channel.TEXT, models.Channel.BOTH) and mobile.can_text:
        channels.add("text")
    if email_on and (choice != models.Channel.TEXT or "text" not in channels):
        channels.add("email")
    return channels


def texted_mobiles(*, member_ids, kind: str) -> dict[int, tuple[models.MemberMobile, set[str]]]:
    """``message_channels`` for many members at once (an event's invitations): {member id: (their
    mobile, channels)} for those among ``member_ids`` a message of ``kind`` reaches by text (maybe
    also by email), in one query however many members."""
    mobiles = models.MemberMobile.objects.filter(
        models.textable_q(), member_id__in=list(member_ids)
    ).select_related("member")  # the rule reads the member's preferences too
    found = {
        mobile.member_id: (mobile, channels_for(member=mobile.member, mobile=mobile, kind=kind))
        for mobile in mobiles
    }
    return {pk: pair for pk, pair in found.items() if "text" in pair[1]}


def mobile_summary(*, member: models.Member) -> dict | None:
    """The member's number, its state, consent and channels, as plain data (owner card, download)."""
    mobile = member_mobile(member=member)
    if mobile is None:
        return None
    return {
        "number": mobile.number,
        "number_display": mobile_display(mobile.number),
        "verified_at": mobile.verified_at.isoformat() if mobile.verified_at else None,
        "consent_at": mobile.consent_at.isoformat() if mobile.consent_at else None,
        "consent_wording": mobile.consent_wording,
        "texts_stopped_at": mobile.stopped_at.isoformat() if mobile.stopped_at else None,
        "channels": {kind: getattr(mobile, kind) for kind in TEXT_KINDS},
    }


def text_delivery_counts(*, kind: str, subjects) -> dict[str, dict[str, int]]:
    """Per subject (e.g. "event:12"), the texts of ``kind`` about it by where they are: ``queued``
    (not yet handed to the provider), ``failed`` (the provider refused them), and of those
    ``sent``, ``delivered``, ``undelivered`` (not delivered or failed at the carrier, by the
    provider's receipt) and ``awaiting`` (no receipt yet). Subjects without texts are absent."""
    rows = (
        models.OutboundText.objects.filter(kind=kind, subject__in=list(subjects))
        .values_list("subject", "status", "delivery")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {}
    for subject, status, delivery, n in rows:
        row = counts.setdefault(subject, dict.fromkeys(DELIVERY_COUNTS, 0))
        if status != models.OutboundText.Status.SENT:
            row[status] += n
            continue
        row["sent"] += n
        if delivery == models.OutboundText.Delivery.DELIVERED:
            row["delivered"] += n
        elif delivery:
            row["undelivered"] += n
        else:
            row["awaiting"] += n
    return counts
