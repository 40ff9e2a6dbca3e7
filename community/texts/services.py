"""Writes about members' texts: adding and verifying a mobile number, consent, the channel chosen
for each kind of message, forgetting it all, and ``text_queue``, the one door through which
Paddock texts a member.

Verification: ``mobile_code_send`` texts a six-digit code (kept as a keyed hash) to the number;
``mobile_code_confirm`` checks what the member typed back. A code lasts PADDOCK_TEXT_CODE_MINUTES,
allows PADDOCK_TEXT_CODE_TRIES wrong tries, and a number gets at most PADDOCK_TEXT_CODES_PER_HOUR
codes an hour. Errors are ``TextError`` with a machine-readable ``code``.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from community.models import (
    Channel,
    Member,
    MemberMobile,
    MobileVerification,
    OutboundText,
)
from community.showrooms import dealership_name
from community.texts import selectors
from community.texts.channels import TEXT_KINDS, text_dedupe_key
from community.texts.outbox import text_enqueue, text_enqueue_many
from community.texts.phones import PhoneNumberError, mobile_parse, showroom_country

CODE_SALT = "paddock.texts.mobile_code"


class TextError(Exception):
    """A rule about texts said no; ``code`` is machine-readable, the message is for the member."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def _code_hash(*, verification_number: str, code: str) -> str:
    return salted_hmac(CODE_SALT, f"{verification_number}:{code}", algorithm="sha256").hexdigest()


def mobile_number_parse(*, raw: str, site=None) -> str:
    """``raw`` as E.164, read in the showroom's country; TextError (the parser's code) if not."""
    try:
        return mobile_parse(raw, country=showroom_country(site))
    except PhoneNumberError as error:
        raise TextError(str(error), code=error.code) from error


@transaction.atomic
def mobile_code_send(*, member: Member, raw_number: str, site=None) -> MobileVerification:
    """Keep ``raw_number`` as the member's mobile (not verified yet) and text it a fresh code."""
    number = mobile_number_parse(raw=raw_number, site=site)
    now = timezone.now()
    # Codes to this number (whoever asked) in the last hour, counted under a lock on the member.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    sent = MobileVerification.objects.filter(number=number, created_at__gt=now - timedelta(hours=1))
    if sent.count() >= settings.PADDOCK_TEXT_CODES_PER_HOUR:
        raise TextError(
            "We have already texted this number "
            f"{settings.PADDOCK_TEXT_CODES_PER_HOUR} codes in the last hour. Use the last "
            "code we sent, or ask for a new one later.",
            code="too_many_codes",
        )
    mobile, _created = MemberMobile.objects.get_or_create(
        member=member, defaults={"number": number}
    )
    if mobile.number != number:
        mobile.number = number
        mobile.verified_at = None
        mobile.save(update_fields=["number", "verified_at", "updated_at"])
    code = f"{secrets.randbelow(10**6):06d}"
    verification = MobileVerification.objects.create(
        member=member,
        number=number,
        code_hash=_code_hash(verification_number=number, code=code),
        expires_at=now + timedelta(minutes=settings.PADDOCK_TEXT_CODE_MINUTES),
    )
    text_enqueue(
        kind="mobile_code",
        to=number,
        body=f"{code} is your {dealership_name(site)} code. "
        f"It expires in {settings.PADDOCK_TEXT_CODE_MINUTES} minutes.",
        dedupe_key=f"mobile_code:{verification.pk}",
        member=member,
        urgent=True,  # the member is waiting for it, at any hour
    )
    return verification


def mobile_code_confirm(*, member: Member, code: str) -> MemberMobile:
    """The member typed ``code`` back: their number is verified, or TextError (``no_code``,
    ``code_expired``, ``too_many_tries``, ``wrong_code``). A wrong try is counted even though
    the error is raised (it is committed in its own transaction)."""
    code = "".join((code or "").split())
    mobile = selectors.member_mobile(member=member)
    if mobile is None:
        raise TextError("Add your mobile number first.", code="no_code")
    with transaction.atomic():
        verification = (
            MobileVerification.objects.select_for_update()
            .filter(member=member, number=mobile.number, confirmed_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if verification is None:
            error = TextError("Ask for a code first: press “Text me a code”.", code="no_code")
        elif verification.expires_at <= timezone.now():
            error = TextError(
                "That code has expired. Ask for a new one: press “Text me a code”.",
                code="code_expired",
            )
        elif verification.wrong_tries >= settings.PADDOCK_TEXT_CODE_TRIES:
            error = TextError(
                "Too many wrong tries for this code. Ask for a new one: press “Text me a code”.",
                code="too_many_tries",
            )
        elif not constant_time_compare(
            _code_hash(verification_number=verification.number, code=code),
            verification.code_hash,
        ):
            verification.wrong_tries += 1
            verification.save(update_fields=["wrong_tries"])
            left = settings.PADDOCK_TEXT_CODE_TRIES - verification.wrong_tries
            error = TextError(
                "That is not the code we texted. "
                + (f"You can try {left} more time{'s' if left != 1 else ''}." if left else ""),
                code="wrong_code",
            )
        else:
            now = timezone.now()
            verification.confirmed_at = now
            verification.save(update_fields=["confirmed_at"])
            mobile.verified_at = now
            mobile.save(update_fields=["verified_at", "updated_at"])
            return mobile
    raise error


@transaction.atomic
def mobile_preferences_save(
    *, member: Member, consent: bool, consent_wording: str, channels: dict[str, str]
) -> MemberMobile:
    """Record consent to texts (with the exact ``consent_wording`` shown and the time) or its
    withdrawal, and the channel chosen for each kind. Choosing email (or both) for a kind that
    has an email preference turns that preference on."""
    mobile = selectors.member_mobile(member=member)
    if mobile is None:
        raise TextError("Add your mobile number first.", code="no_number")
    if consent and not mobile.consent_at:
        mobile.consent_at = timezone.now()
        mobile.consent_wording = consent_wording
        mobile.stopped_at = None  # opting in again here lifts a STOP
    elif not consent:
        mobile.consent_at = None
        mobile.consent_wording = ""
    email_fields = []
    for kind, (_label, email_field) in TEXT_KINDS.items():
        choice = channels.get(kind, getattr(mobile, kind))
        if choice not in Channel.values:
            raise TextError(f"Choose email, text or both for {kind}.", code="channel")
        setattr(mobile, kind, choice)
        if email_field and choice in (Channel.EMAIL, Channel.BOTH):
            setattr(member, email_field, True)
            email_fields.append(email_field)
    mobile.save()
    if email_fields:
        member.save(update_fields=email_fields)
    return mobile


@transaction.atomic
def mobile_forget(*, member: Member) -> None:
    """Delete the member's number, consent and codes, their texts not sent yet and what they texted
    to the showroom (events.InboundText, through its related name); texts already sent keep their
    kind and time for the dealership's figures, without the number."""
    member.inbound_texts.all().delete()
    MobileVerification.objects.filter(member=member).delete()
    MemberMobile.objects.filter(member=member).delete()
    OutboundText.objects.filter(member=member, status=OutboundText.Status.QUEUED).delete()
    OutboundText.objects.filter(member=member).update(to="", body="")


def text_queue(
    *, member: Member, kind: str, body: str, dedupe_key: str, urgent: bool = False
) -> OutboundText | None:
    """Text ``body`` to ``member`` about a message of ``kind`` (one of TEXT_KINDS), if they chose
    text for it and may be texted (verified number, consent, no STOP); None otherwise, or when
    this member was texted ``dedupe_key`` of this kind before. Written in the caller's
    transaction, sent after commit. ``urgent``: sent in quiet hours too (a cancellation within 12
    hours of the start)."""
    if kind not in TEXT_KINDS:
        raise TextError(f"Texts are not sent for {kind!r}.", code="kind")
    if "text" not in selectors.message_channels(member=member, kind=kind):
        return None
    mobile = selectors.member_mobile(member=member)
    return text_enqueue(
        kind=kind,
        to=mobile.number,
        body=body,
        dedupe_key=text_dedupe_key(kind=kind, member_id=member.pk, key=dedupe_key),
        member=member,
        urgent=urgent,
        subject=dedupe_key,
    )


FINAL_DELIVERIES = {
    OutboundText.Delivery.DELIVERED,
    OutboundText.Delivery.UNDELIVERED,
    OutboundText.Delivery.FAILED,
}


def text_delivery_record(
    *, provider_id: str, delivery: str, error_code: str = ""
) -> OutboundText | None:
    """Record the provider's delivery receipt for the text it knows as ``provider_id``: delivered,
    not delivered, or failed at the carrier (``OutboundText.Delivery``). The first receipt stands:
    a repeated or late one changes nothing. None when Paddock sent no text with that id."""
    if delivery not in FINAL_DELIVERIES:
        raise TextError(f"{delivery!r} is not a delivery receipt.", code="delivery")
    if not provider_id:
        return None
    OutboundText.objects.filter(provider_id=provider_id, delivery="").update(
        delivery=delivery, delivery_error=(error_code or "")[:10], delivery_at=timezone.now()
    )
    return OutboundText.objects.filter(provider_id=provider_id).first()


def text_queue_many(
    *, members, kind: str, body, dedupe_key: str, urgent: bool = False
) -> list[OutboundText]:
    """``text_queue`` for many members at once (an event's invitations): ``body(member)`` is
    texted to each of ``members`` who chose text for ``kind`` and may be texted, in a handful of
    statements however many members, and after commit the texts go to the workers in batches.
    Returns the texts queued now (a member texted ``dedupe_key`` of this kind before is left
    out)."""
    if kind not in TEXT_KINDS:
        raise TextError(f"Texts are not sent for {kind!r}.", code="kind")
    members = list(members)
    texted = selectors.texted_mobiles(member_ids=[m.pk for m in members], kind=kind)
    numbers = {pk: mobile.number for pk, (mobile, _channels) in texted.items()}
    texts = [
        OutboundText(
            kind=kind,
            to=numbers[member.pk],
            body=body(member),
            urgent=urgent,
            dedupe_key=text_dedupe_key(kind=kind, member_id=member.pk, key=dedupe_key),
            member=member,
            subject=dedupe_key[:100],
        )
        for member in members
        if member.pk in numbers
    ]
    return text_enqueue_many(texts) if texts else []
