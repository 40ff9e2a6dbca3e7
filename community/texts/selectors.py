"""Reads about members' texts: their number, consent and channels, for pages, the owner card and
the data download, and the rule deciding how a message of a kind reaches a member."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from community import models  # the module, not its names: community.models imports selectors
from community.texts.channels import TEXT_KINDS, text_dedupe_key
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


# --- Conversations: staff and a member by text (community/texts/conversations.py) ---------------


def text_blocker(*, member: models.Member, mobile: models.MemberMobile | None) -> str:
    """Why staff cannot text ``member`` (whose mobile, or None, is loaded) a message from their
    advisor, in words for staff; "" when they can. The rule is ``message_channels``'s for the
    kind "advisor"; this only says which part of it is missing."""
    name = member.display_name or member.email
    if not member.is_active:
        return f"{name}'s account is not active."
    if mobile is None:
        return f"{name} has no mobile number for texts."
    if not mobile.verified_at:
        return f"{name} has not confirmed their mobile number yet."
    if not mobile.consent_at:
        return f"{name} has not agreed to texts."
    if mobile.stopped_at:
        return (
            f"{name} replied STOP on {timezone.localtime(mobile.stopped_at):%d %b %Y}: no texts "
            "until they opt in again."
        )
    if "text" not in channels_for(member=member, mobile=mobile, kind="advisor"):
        return (
            f"{name} chose email for messages from their advisor "
            "(they can change it under Texts to my mobile)."
        )
    return ""


def conversation_text_blocker(*, member: models.Member) -> str:
    """``text_blocker`` for one member: "" when staff may text them."""
    return text_blocker(member=member, mobile=member_mobile(member=member))


def text_blockers(*, members: list[models.Member]) -> dict[int, str]:
    """``text_blocker`` for each of ``members``, in one query (the lounge screen)."""
    mobiles = {
        mobile.member_id: mobile
        for mobile in models.MemberMobile.objects.filter(member__in=[m.pk for m in members])
    }
    return {m.pk: text_blocker(member=m, mobile=mobiles.get(m.pk)) for m in members}


def member_conversation(*, member: models.Member, limit: int = 50) -> list:
    """The last ``limit`` messages between the showroom and ``member``, oldest first, with who
    sent each and the delivery state of the texts sent."""
    messages = list(
        models.ConversationMessage.objects.filter(member=member)
        .select_related("author", "outbound_text")
        .order_by("-created_at", "-pk")[:limit]
    )
    return messages[::-1]


def _unread():
    return Q(
        conversation_messages__direction=models.ConversationMessage.Direction.IN,
        conversation_messages__read_at__isnull=True,
    )


def conversation_unread_count(*, member: models.Member) -> int:
    """How many texts from ``member`` no member of staff has read yet."""
    return models.ConversationMessage.objects.filter(
        member=member, direction=models.ConversationMessage.Direction.IN, read_at__isnull=True
    ).count()


def conversations_unread(*, advisor: models.Member | None, limit: int = 6) -> tuple[int, list]:
    """Texts from owners not read yet: of ``advisor``'s owners, or (None) of owners without an
    active advisor. Returns the number of unread texts and up to ``limit`` owners, the latest
    first, each with ``unread`` and ``last_text_at``; two queries however many there are."""
    owners = models.Member.objects.all()
    if advisor is None:
        owners = owners.filter(Q(advisor__isnull=True) | Q(advisor__is_active=False))
    else:
        owners = owners.filter(advisor=advisor)
    unread = _unread()
    rows = list(
        owners.annotate(
            unread=Count("conversation_messages", filter=unread),
            last_text_at=Max("conversation_messages__created_at", filter=unread),
        )
        .filter(unread__gt=0)
        .order_by("-last_text_at")[:limit]
    )
    total = models.ConversationMessage.objects.filter(
        member__in=owners,
        direction=models.ConversationMessage.Direction.IN,
        read_at__isnull=True,
    ).count()
    return total, rows


def conversation_texted_since(*, member: models.Member, since: datetime) -> bool:
    """Whether staff texted ``member`` since then: a reply from them is likely an answer."""
    return models.ConversationMessage.objects.filter(
        member=member, direction=models.ConversationMessage.Direction.OUT, created_at__gte=since
    ).exists()


def conversation_received_since(*, member: models.Member, since: datetime, exclude=None) -> bool:
    """Whether ``member`` texted the showroom (not an RSVP) since then, besides ``exclude``."""
    messages = models.ConversationMessage.objects.filter(
        member=member, direction=models.ConversationMessage.Direction.IN, created_at__gte=since
    )
    if exclude is not None:
        messages = messages.exclude(pk=exclude.pk)
    return messages.exists()


def keyed_texts(*, kind: str, key: str, member_ids: list[int]) -> dict[int, models.OutboundText]:
    """The text of ``kind`` about ``key`` queued for each of these members, if any (one query)."""
    keys = {text_dedupe_key(kind=kind, member_id=pk, key=key): pk for pk in member_ids}
    return {
        keys[text.dedupe_key]: text
        for text in models.OutboundText.objects.filter(dedupe_key__in=keys)
    }


def conversation_export(*, member: models.Member) -> list[dict]:
    """The member's texts with the showroom, as plain data for their download."""
    return [
        {
            "from": "you" if message.incoming else "showroom",
            "body": message.body,
            "at": message.created_at.isoformat(),
        }
        for message in models.ConversationMessage.objects.filter(member=member).order_by(
            "created_at", "pk"
        )
    ]
