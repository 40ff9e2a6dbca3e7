"""Writes about a member's conversation with the showroom by text (README, "Texts").

Staff text a member from the owner card or the lounge (``conversation_text_send``): the text goes
through ``text_queue`` as a message of the kind "advisor", so the member's choice, consent, STOP
and quiet hours hold as for every text. A member's text that is not an RSVP reaches the
conversation from the inbound webhook (``conversation_message_receive``, called by
events/text_replies.py) and their advisor is emailed through the mail outbox, once until they
have read it; owners without an active advisor notify the showroom's contact address. Opening the
owner card marks what the member texted as read (``conversation_read_mark``). Errors are
``TextError`` with a machine-readable ``code``.
"""

import uuid

from django.db import transaction
from django.utils import timezone

from community.contributions import member_staff_path
from community.mail import absolute_url, queue_mail
from community.models import ConversationMessage, Member
from community.showrooms import contact_email, default_site
from community.texts import selectors
from community.texts.services import TextError, text_queue

KIND = "advisor"  # TEXT_KINDS: "Messages from your advisor"
# Three GSM-7 segments: room for a real answer, never a bill for an essay.
BODY_MAX = 459


def _staff(member) -> bool:
    return bool(member and member.is_active and member.is_staff)


@transaction.atomic
def conversation_text_send(
    *, member: Member, body: str, by: Member, key: str = "", urgent: bool = False
) -> ConversationMessage:
    """Text ``body`` to ``member`` from the showroom's number, sent by staff member ``by``, and
    record it in their conversation. ``key`` makes it once only (the lounge's "ready" text once a
    day); without it every call is a new text. TextError: ``not_staff``, ``empty``, ``too_long``,
    ``cannot_text`` (the reason, e.g. no consent), ``already_sent``."""
    if not _staff(by):
        raise TextError("Only staff text members.", code="not_staff")
    body = (body or "").strip()
    if not body:
        raise TextError("Type the text to send.", code="empty")
    if len(body) > BODY_MAX:
        raise TextError(
            f"A text can be at most {BODY_MAX} characters; this one has {len(body)}. "
            "Shorten it, or send it as two.",
            code="too_long",
        )
    Member.objects.select_for_update().filter(pk=member.pk).first()
    blocker = selectors.conversation_text_blocker(member=member)
    if blocker:
        raise TextError(blocker, code="cannot_text")
    text = text_queue(
        member=member, kind=KIND, body=body, dedupe_key=key or uuid.uuid4().hex, urgent=urgent
    )
    if text is None:  # the member may be texted, so the key was used before
        raise TextError(f"{member.display_name} was sent this text already.", code="already_sent")
    return ConversationMessage.objects.create(
        member=member,
        direction=ConversationMessage.Direction.OUT,
        body=body,
        author=by,
        outbound_text=text,
    )


@transaction.atomic
def conversation_message_receive(
    *, member: Member, body: str, message_sid: str
) -> ConversationMessage:
    """Record a text ``member`` sent that is not an RSVP, and tell their advisor by email (or, with
    no active advisor, the showroom's contact address), with a link to the owner card. One email
    until the texts are read: a member who sends three in a row makes one email."""
    # Under a lock on the member, so two texts arriving together make one email.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    earlier_unread = selectors.conversation_unread_count(member=member)
    message = ConversationMessage.objects.create(
        member=member,
        direction=ConversationMessage.Direction.IN,
        body=body,
        message_sid=message_sid or None,
    )
    if not earlier_unread:
        _notify(message=message)
    return message


def _notify(*, message: ConversationMessage) -> None:
    member = message.member
    advisor = member.advisor if _staff(member.advisor) else None
    site = default_site()
    to = advisor.email if advisor else contact_email(site)
    if not to:
        return
    queue_mail(
        template="conversation_message",
        to=[to],
        context={
            "member": member,
            "advisor": advisor,
            "body": message.body,
            "card_url": absolute_url(member_staff_path(member), site=site),
        },
        dedupe_key=f"conversation:{message.pk}",
        site=site,
    )


def conversation_read_mark(*, member: Member, by: Member) -> int:
    """Staff member ``by`` has seen what ``member`` texted: their unread texts are read now.
    Returns how many were unread."""
    if not _staff(by):
        return 0
    return ConversationMessage.objects.filter(
        member=member, direction=ConversationMessage.Direction.IN, read_at__isnull=True
    ).update(read_at=timezone.now())
