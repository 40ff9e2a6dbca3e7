"""Members' texted replies to the showroom's number, delivered by Twilio's inbound webhook
(events/views_texts.py): STOP/START/HELP, and answers to invitations ("Y", "yes +1", "N").

``inbound_text_handle`` is the one entry point. Rules, in this order:

1. Each MessageSid is handled once (a unique ``InboundText``); a repeat changes nothing.
2. The sender must be a member's verified number; any other number changes nothing and gets
   no answer.
3. Keywords, the whole message in any case: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT set
   ``MemberMobile.stopped_at`` and send one confirmation, then silence; START, UNSTOP lift it with
   one confirmation; HELP, INFO answer with the showroom's name and contact.
4. After a STOP anything else is ignored.
5. Otherwise the text is read like an emailed reply (``events.replies.parse_reply``) and applied
   to the member's one open invitation through ``events.services.rsvp_respond`` (capacity,
   waitlist and deadline rules hold), with a confirmation text. With several open invitations the
   member is asked "Which one? 1 ..., 2 ..." (kept on the InboundText for
   PADDOCK_TEXT_QUESTION_HOURS, 24 by default) and "2" or "2 yes" settles it.
6. A text that is not an RSVP lands in the member's conversation on the owner card and their
   advisor is emailed (``community.texts.conversations.conversation_message_receive``). Within
   PADDOCK_TEXT_CONVERSATION_HOURS (24) of staff texting the member, everything but the
   invitation's own "Y", "Y+1", "N", "M" (YES, NO, MAYBE) goes to the advisor: "ok" answers
   "your car is ready", it does not accept an invitation. Otherwise what looks like a failed RSVP
   attempt still gets the short help text ("Sorry, we didn't get that"), and a bare "yes" with
   no invitation open is told so: three words or fewer, no question mark, with an invitation
   open (or none, for "yes"). Anything else, "Is my car ready?", goes to the advisor. The member is thanked ("Thanks, Tom has your
   message and will reply soon.") at most once every PADDOCK_TEXT_THANKS_HOURS (12), so a
   conversation is not answered by a machine after every line.

Answers are texted through the outbox at once, quiet hours or not (the member just wrote to us).
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import MemberMobile
from community.showrooms import contact_email, dealership, dealership_name, default_site
from community.texts.conversations import conversation_message_receive
from community.texts.outbox import text_enqueue
from community.texts.selectors import (
    conversation_received_since,
    conversation_texted_since,
    mobile_by_number,
)
from events import selectors, services
from events.models import EventPage, InboundText, Rsvp
from events.replies import ReplyIntent, parse_reply
from events.texts import event_when

logger = logging.getLogger("paddock.texts.inbound")
Outcome = InboundText.Outcome

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}
_CHOICE = re.compile(r"^\s*#?(\d{1,2})(?:\s*[.):,-]?\s+|\s*[.):,-]\s*|\s*$)(.*)$", re.S)


_LETTER = re.compile(r"^\s*([YNM])(?=$|[\s+,.!:;-])", re.I)
_LETTER_WORDS = {"Y": "yes", "N": "no", "M": "maybe"}
# Exactly what an invitation text asks for: "Y", "Y+1", "N", "M" (and YES, NO, MAYBE).
_INVITATION_LETTERS = re.compile(r"^\s*(Y|YES|N|NO|M|MAYBE)(\s*\+\s*\d)?\s*[.!]*\s*$", re.I)


def text_reply_parse(body: str) -> ReplyIntent | None:
    """The text path's reading of a member's text: the same understanding as an emailed reply
    (``events.replies.parse_reply``), plus the single letters a text invites: "Y", "Y+1", "N",
    "M" at the start stand for yes, no and maybe."""
    text = _LETTER.sub(lambda m: _LETTER_WORDS[m.group(1).upper()] + " ", (body or "").strip())
    return parse_reply(text.strip())


def _keyword(body: str) -> str:
    return re.sub(r"[\s.!]+$", "", (body or "").strip()).upper()


def _reply(*, record: InboundText, mobile: MemberMobile, body: str, purpose: str) -> None:
    text_enqueue(
        kind=f"reply_{purpose}",
        to=mobile.number,
        body=body,
        dedupe_key=f"text_reply:{record.message_sid}",
        member=mobile.member,
        urgent=True,
    )


def inbound_text_handle(
    *, message_sid: str, from_number: str, to_number: str = "", body: str = "", site=None
) -> InboundText | None:
    """Handle one inbound text; returns its record, or None when the MessageSid was seen before.
    ``site``: the showroom whose number was texted (each showroom's number calls the webhook on
    its own address); its name and contact go into the answers. The default showroom if None."""
    record = InboundText(
        message_sid=message_sid[:64],
        from_number=from_number[:20],
        to_number=to_number[:20],
        body=body[:1600],
        outcome=Outcome.UNKNOWN_NUMBER,  # provisional: the row claims the MessageSid
    )
    try:
        with transaction.atomic():
            record.save()
            _apply(record, site=site or default_site())
            record.save()
    except IntegrityError:
        logger.info("Inbound text %s seen before: ignored.", message_sid)
        return None
    return record


def inbound_texts_of_strangers_forget(*, days: int | None = None) -> int:
    """Delete texts from numbers that are no member's verified mobile once they are ``days`` old
    (PADDOCK_TEXT_STRANGER_DAYS, 30 by default): Paddock keeps no one's number without a reason.
    Returns how many were deleted."""
    days = settings.PADDOCK_TEXT_STRANGER_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = InboundText.objects.filter(member__isnull=True, received_at__lt=cutoff).delete()
    return deleted


def _apply(record: InboundText, *, site) -> None:
    mobile = mobile_by_number(number=record.from_number)
    if mobile is None:
        record.outcome = Outcome.UNKNOWN_NUMBER
        return
    record.member = mobile.member
    name = dealership_name(site)
    keyword = _keyword(record.body)
    if keyword in STOP_WORDS:
        record.outcome = Outcome.STOPPED
        if mobile.stopped_at is None:
            mobile.stopped_at = timezone.now()
            mobile.save(update_fields=["stopped_at", "updated_at"])
            _reply(
                record=record,
                mobile=mobile,
                body=f"You won't get texts from {name} any more. Reply START to resume.",
                purpose="stop",
            )
        return
    if keyword in START_WORDS:
        record.outcome = Outcome.STARTED
        if mobile.stopped_at is not None:
            mobile.stopped_at = None
            mobile.save(update_fields=["stopped_at", "updated_at"])
            _reply(
                record=record,
                mobile=mobile,
                body=f"Texts from {name} are back on. Reply STOP to stop them.",
                purpose="start",
            )
        return
    if keyword in HELP_WORDS:
        record.outcome = Outcome.HELP
        _reply(record=record, mobile=mobile, body=help_text(site=site), purpose="help")
        return
    if mobile.stopped_at is not None:
        record.outcome = Outcome.SILENT
        return
    _answer(record=record, mobile=mobile, site=site)


def help_text(*, site) -> str:
    """The answer to HELP: the showroom's name and how to reach it, and what a member can reply."""
    settings_ = dealership(site)
    contact = " or ".join(
        part for part in ((settings_.phone if settings_ else ""), contact_email(site)) if part
    )
    return (
        f"{dealership_name(site)}: questions? Call or write {contact}. "
        "Reply Y, Y+1, N or MAYBE to an invitation. Reply STOP to stop texts."
    )


def _answer(*, record: InboundText, mobile: MemberMobile, site) -> None:
    member = mobile.member
    question = selectors.pending_question(member=member)
    choice = _CHOICE.match(record.body) if question else None
    if question and choice:
        index = int(choice.group(1))
        offered = question.choices.get("events", [])
        if 1 <= index <= len(offered):
            rest = choice.group(2).strip()
            intent = text_reply_parse(rest) if rest else None
            if intent is None and not rest:
                intent = ReplyIntent(
                    answer=question.choices.get("answer"), guests=question.choices.get("guests")
                )
            event = EventPage.objects.live().filter(pk=offered[index - 1]).first()
            if intent is not None and event is not None:
                question.choices_until = timezone.now()  # answered: not asked again
                question.save(update_fields=["choices_until"])
                _rsvp(record=record, mobile=mobile, event=event, intent=intent)
                return
    if _in_conversation(member=member) and not _INVITATION_LETTERS.match(record.body):
        _converse(
            record=record, mobile=mobile, site=site
        )  # "ok" to "your car is ready" is not an RSVP
        return
    intent = text_reply_parse(record.body)
    events = selectors.open_invitations(member=member)
    rsvp_like = _rsvp_like(record.body)
    if intent is None and not (rsvp_like and (events or question)):
        _converse(record=record, mobile=mobile, site=site)
        return
    if intent is not None and not events and not rsvp_like:
        _converse(record=record, mobile=mobile, site=site)
        return
    if intent is None:
        record.outcome = Outcome.NOT_UNDERSTOOD
        _reply(
            record=record,
            mobile=mobile,
            body="Sorry, we didn't get that. Reply Y, Y+1, N or MAYBE to your invitation, or HELP.",
            purpose="help",
        )
        return
    if not events:
        record.outcome = Outcome.NO_INVITATION
        _reply(
            record=record,
            mobile=mobile,
            body="You have no invitation waiting for an answer. Reply HELP for our contact.",
            purpose="none",
        )
        return
    if len(events) == 1:
        _rsvp(record=record, mobile=mobile, event=events[0], intent=intent)
        return
    events = events[:9]
    record.outcome = Outcome.ASKED
    record.choices = {
        "events": [event.pk for event in events],
        "answer": intent.answer,
        "guests": intent.guests,
    }
    hours = getattr(settings, "PADDOCK_TEXT_QUESTION_HOURS", 24)
    record.choices_until = timezone.now() + timedelta(hours=hours)
    listing = ", ".join(
        f"{number} {event.title} {event_when(event)}" for number, event in enumerate(events, 1)
    )
    _reply(
        record=record,
        mobile=mobile,
        body=f"Which one? {listing}. Reply with its number, e.g. 1 or 2 yes",
        purpose="which",
    )


def _rsvp_like(body: str) -> bool:
    """Whether a text reads like an answer to an invitation rather than words for the advisor:
    three words or fewer, and no question."""
    body = body.strip()
    return len(body.split()) <= 3 and "?" not in body


def _in_conversation(*, member) -> bool:
    """Staff texted the member within PADDOCK_TEXT_CONVERSATION_HOURS: what they text now is an
    answer to that, unless it is one of the letters an invitation asks for."""
    since = timezone.now() - timedelta(hours=settings.PADDOCK_TEXT_CONVERSATION_HOURS)
    return conversation_texted_since(member=member, since=since)


def _converse(*, record: InboundText, mobile: MemberMobile, site) -> None:
    """Pass the text to the member's advisor, thanking the member at most once in a while."""
    member = mobile.member
    message = conversation_message_receive(
        member=member, body=record.body, message_sid=record.message_sid
    )
    record.outcome = Outcome.CONVERSATION
    since = timezone.now() - timedelta(hours=settings.PADDOCK_TEXT_THANKS_HOURS)
    if conversation_received_since(member=member, since=since, exclude=message):
        record.detail = "passed on; thanked earlier"
        return
    record.detail = "passed on; thanked"
    advisor = member.advisor
    who = (
        advisor.display_name.split()[0]
        if advisor and advisor.is_active and advisor.is_staff and advisor.display_name.strip()
        else "the team"
    )
    _reply(
        record=record,
        mobile=mobile,
        body=f"Thanks, {who} at {dealership_name(site)} has your message and will reply soon.",
        purpose="conversation",
    )


def _rsvp(*, record: InboundText, mobile: MemberMobile, event: EventPage, intent) -> None:
    member = mobile.member
    existing = Rsvp.objects.filter(event=event, member=member).first()
    guests = intent.guests
    if guests is None:
        guests = existing.guests if existing else 0
    try:
        with transaction.atomic():
            rsvp = services.rsvp_respond(
                event=event,
                member=member,
                answer=intent.answer,
                guests=guests,
                car=existing.car if existing else None,
                run_group=existing.run_group if existing else None,
                source=Rsvp.Source.TEXT,
            )
    except services.RsvpError as error:
        record.outcome = Outcome.REFUSED
        record.detail = f"{error.code}: {error}"
        _reply(record=record, mobile=mobile, body=f"{event.title}: {error}", purpose="refused")
        return
    record.outcome = Outcome.APPLIED
    record.rsvp = rsvp
    record.detail = f"{intent.answer} +{guests}"
    _reply(record=record, mobile=mobile, body=confirmation_text(rsvp=rsvp), purpose="rsvp")


def confirmation_text(*, rsvp: Rsvp) -> str:
    """The text confirming what a member's texted answer did."""
    event = rsvp.event
    what = f"{event.title} {event_when(event)}"
    if rsvp.state == Rsvp.State.CONFIRMED:
        party = f" with {rsvp.guests} guest{'s' if rsvp.guests != 1 else ''}" if rsvp.guests else ""
        places = 1 + rsvp.guests
        return (
            f"You're going to {what}{party}: {places} place{'s' if places != 1 else ''} held. "
            "Reply N if plans change."
        )
    if rsvp.state == Rsvp.State.WAITLISTED:
        position = services.waitlist_position_after_answer(rsvp=rsvp)
        return f"{what} is full: you're number {position} on the waitlist. We'll text if a place frees up."
    if rsvp.answer == Rsvp.Answer.MAYBE:
        return f"Noted: maybe for {what}. Reply Y when you know."
    return f"Thanks, noted you can't make {what}. Reply Y if that changes."
