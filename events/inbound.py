"""Members' emailed replies to invitations: "yes +1", "can't make it", or Accept in a calendar app.

``handle_inbound`` is the one entry point for every inbound path (the SMTP mail gateway, the
provider webhook through django-anymail, and ``manage.py mail_gateway --file`` on one machine).
Rules that stop mail loops and abuse, in this order:

1. Each Message-ID is handled once; a repeat changes nothing and gets no answer.
2. Auto-replies, out-of-office messages and bounces change nothing and get no answer.
3. The reply must go to a valid ``rsvp+<token>@`` address (events/tokens.py) and come from the
   invited member's own address; anything else changes nothing and gets no answer.
4. A calendar REPLY (Accept / Maybe / Decline) is read first; otherwise the text above the quoted
   invitation (events/replies.py). The RSVP is recorded like a web answer (capacity, waitlist and
   deadline rules hold) and the member gets one answer mail with their updated invite or a cancel
   (events/services/rsvp.py); an unclear reply gets a short help message, and a refused one (deadline
   passed, too many guests...) a short explanation. A calendar REPLY whose SEQUENCE is lower than
   the invite last sent to the member answers an invite since replaced: it changes nothing.
"""

import logging
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from django.db import IntegrityError, transaction

from community.mail import mail_site, queue_mail
from community.models import Member
from events import services
from events.ical import (
    answer_for_partstat,
    current_invite_sequence,
    event_and_member_from_uid,
    parse_itip_reply,
)
from events.links import rsvp_link_url
from events.models import EventPage, InboundMessage, Rsvp
from events.replies import is_auto_reply, parse_reply, reply_text
from events.tokens import read_reply_address

logger = logging.getLogger("paddock.inbound")
Outcome = InboundMessage.Outcome


def _target(message: EmailMessage, envelope_to: list[str]):
    headers = [message.get_all(h, []) for h in ("Delivered-To", "X-Original-To", "To", "Cc")]
    candidates = list(envelope_to) + [
        addr for _, addr in getaddresses([v for vs in headers for v in vs])
    ]
    for address in candidates:
        target = read_reply_address(address)
        if target is not None:
            return address, target
    return (candidates[0] if candidates else ""), None


def _calendar_reply(message: EmailMessage):
    for part in message.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            try:
                payload = part.get_payload(decode=True) or b""
            except Exception:
                continue
            reply = parse_itip_reply(payload)
            if reply is not None:
                return reply
    return None


def handle_inbound(
    message: EmailMessage, *, envelope_to: list[str] = (), via: str = "gateway"
) -> InboundMessage | None:
    """Handle one inbound email; returns its record, or None when the Message-ID was seen before."""
    message_id = (message.get("Message-ID") or "").strip()[:255]
    sender = parseaddr(message.get("From", ""))[1].lower()
    recipient, target = _target(message, list(envelope_to))
    if not message_id:  # without one a retry could be applied twice; make a stable stand-in
        import hashlib

        message_id = "no-id:" + hashlib.sha256(message.as_bytes()).hexdigest()
    record = InboundMessage(
        message_id=message_id,
        sender=sender[:255],
        recipient=recipient[:255],
        subject=str(message.get("Subject", ""))[:300],
        via=via,
    )
    try:
        with transaction.atomic():
            record.outcome = Outcome.AUTO_REPLY  # provisional: the row claims the Message-ID
            record.save()
            _apply(record, message, target, sender)
            record.save()
    except IntegrityError:
        logger.info("Inbound %s seen before: ignored.", message_id)
        return None
    return record


def _apply(record: InboundMessage, message: EmailMessage, target, sender: str) -> None:
    if is_auto_reply(message):
        record.outcome = Outcome.AUTO_REPLY
        return
    if target is None:
        record.outcome = Outcome.UNKNOWN_ADDRESS
        return
    member = Member.objects.filter(pk=target.member_id, is_active=True).first()
    event = EventPage.objects.live().filter(pk=target.event_id).first()
    if member is None or event is None:
        record.outcome = Outcome.UNKNOWN_ADDRESS
        return
    if sender != member.email.lower():
        record.outcome = Outcome.WRONG_SENDER
        return

    answer, guests = None, None
    existing = Rsvp.objects.filter(event=event, member=member).first()
    itip = _calendar_reply(message)
    if itip is not None:
        if (
            event_and_member_from_uid(itip.uid) == (event.pk, member.pk)
            and itip.attendee_email == member.email.lower()
        ):
            current = current_invite_sequence(existing, event)
            if itip.sequence < current:  # an answer to an invite since replaced
                record.outcome = Outcome.STALE
                record.detail = f"SEQUENCE {itip.sequence} < {current}"
                return
            answer = answer_for_partstat(itip.partstat)
    else:
        intent = parse_reply(reply_text(message))
        if intent is not None:
            answer, guests = intent.answer, intent.guests
    if answer is None:
        record.outcome = Outcome.NOT_UNDERSTOOD
        _send_help(member=member, event=event, text=reply_text(message) if itip is None else "")
        return

    if guests is None:
        guests = existing.guests if existing else 0
    try:
        with transaction.atomic():
            rsvp = services.rsvp_respond(
                event=event,
                member=member,
                answer=answer,
                guests=guests,
                car=existing.car if existing else None,
                run_group=existing.run_group if existing else None,
                source=Rsvp.Source.EMAIL,
                acknowledge=itip is None,  # a written reply always gets its answer
            )
    except services.RsvpError as error:
        record.outcome = Outcome.REFUSED
        record.detail = f"{error.code}: {error}"
        _send_refusal(member=member, event=event, reason=str(error))
        return
    record.outcome = Outcome.APPLIED
    record.rsvp = rsvp
    record.detail = f"{answer} +{guests}"


def _send_help(*, member, event: EventPage, text: str) -> None:
    queue_mail(
        template="rsvp_reply_help",
        to=[member.email],
        context={
            "member_name": member.display_name,
            "event_title": event.title,
            "quoted": text[:300],
            "going": rsvp_link_url(event=event, member=member, answer="going"),
            "not_going": rsvp_link_url(event=event, member=member, answer="not_going"),
        },
        site=mail_site(event),
    )


def _send_refusal(*, member, event: EventPage, reason: str) -> None:
    queue_mail(
        template="rsvp_reply_refused",
        to=[member.email],
        context={"member_name": member.display_name, "event_title": event.title, "reason": reason},
        site=mail_site(event),
    )


def anymail_inbound_receiver(sender, event, esp_name, **kwargs):
    """django-anymail's ``inbound`` signal: a provider's webhook delivered a reply."""
    message = event.message
    envelope = [message.envelope_recipient] if getattr(message, "envelope_recipient", None) else []
    handle_inbound(message, envelope_to=envelope, via="webhook")
