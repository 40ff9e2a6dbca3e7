"""Check-in at the door: codes on members' tickets, ticking in, undo, walk-ins, counts, the list.

Codes. Each RSVP has a short code such as ``7K3Q-9XPA``: 40 bits of an HMAC (``salted_hmac``, so
keyed with ``SECRET_KEY``) of the event and RSVP ids, written in Crockford's base 32 (no I, L, O
or U, so it reads aloud and types well on a phone). Nothing is stored: the code is computed again
when needed, so it cannot be guessed from the ids, and looking one up compares it with the codes
of the event's RSVPs (a few hundred HMACs at most). Rotating ``SECRET_KEY`` changes every code;
codes made with a key in ``SECRET_KEY_FALLBACKS`` are still accepted at the door. The QR code on a
member's ticket holds the check-in page's address with the code (``?code=...``), so a staff phone's
own camera app opens the page at that attendee, and the page's scanner reads the same QR.

Walk-ins. Staff at the door decide who comes in, so a walk-in is let in even when that takes the
event (or its run group) past its capacity; ``places_over_capacity`` says by how much, and the
check-in page warns. A walk-in is confirmed and checked in at once, with ``source=walk_in``. A new
person gets an account with an unverified email address and no usable password (they claim it
through "forgot password"), a private profile and no invitation or community emails until they
choose otherwise: staff typed their details, they didn't sign up.
"""

import hmac
import logging
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from community.models import Car, Member
from community.models.garage import plate_key
from community.spreadsheets import formula_safe
from events.locking import lock_event
from events.models import EventPage, Rsvp, RunGroup
from events.services import capacity_of, confirmed_places

logger = logging.getLogger(__name__)

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
CODE_LENGTH = 8
_CODE_SALT = "paddock.events.checkin.code"
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class CheckinError(Exception):
    """A check-in rule said no; ``code`` is machine-readable, the message is for staff."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


# --- Codes ----------------------------------------------------------------------------------


def _code(event_id: int, rsvp_id: int, secret: str) -> str:
    digest = salted_hmac(
        _CODE_SALT, f"{event_id}:{rsvp_id}", secret=secret, algorithm="sha256"
    ).digest()
    number = int.from_bytes(digest[:5], "big")  # 40 bits = 8 characters of base 32
    chars = [CODE_ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5)]
    return "".join(chars)


def checkin_code_for(rsvp: Rsvp) -> str:
    """The RSVP's check-in code, e.g. ``7K3Q-9XPA`` (the same every time it is asked for)."""
    raw = _code(rsvp.event_id, rsvp.pk, settings.SECRET_KEY)
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(value: str) -> str:
    """What staff typed or the camera read, as the 8 characters of a code (or "" if it isn't one).

    Accepts the ticket's address (``...?code=7K3Q-9XPA``), any case, spaces and dashes, and reads
    the letters O, I and L as the digits they look like.
    """
    value = (value or "").strip()
    if "code=" in value:
        value = parse_qs(urlsplit(value).query).get("code", [""])[0]
    cleaned = "".join(ch for ch in value.upper() if ch.isalnum()).translate(_TYPOS)
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return ""
    return cleaned


def rsvp_for_code(*, event: EventPage, code: str) -> Rsvp:
    """The event's RSVP with this code, whatever its state; raises ``CheckinError`` otherwise."""
    wanted = normalise_code(code)
    if not wanted:
        raise CheckinError(
            "That isn't a check-in code: codes have 8 letters and digits, like 7K3Q-9XPA.",
            code="bad_code",
        )
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for rsvp_id in Rsvp.objects.filter(event=event).values_list("pk", flat=True).iterator():
        for secret in secrets:
            if hmac.compare_digest(_code(event.pk, rsvp_id, secret), wanted):
                return _with_relations(Rsvp.objects.filter(pk=rsvp_id)).get()
    raise CheckinError(
        "No RSVP to this event has that code. Check it, or find the member by name.",
        code="unknown_code",
    )


# --- Ticking in and out ---------------------------------------------------------------------


def _time(value) -> str:
    return f"{timezone.localtime(value):%H:%M}"


@transaction.atomic
def checkin(*, rsvp: Rsvp, by: Member) -> Rsvp:
    """Check a confirmed member (and their guests) in. Refuses a second check-in, so a copied
    code shows up at the door instead of passing silently."""
    locked = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    event = EventPage.objects.only("status").get(pk=locked.event_id)
    name = rsvp.member.display_name
    if event.is_cancelled:
        raise CheckinError("This event has been cancelled.", code="cancelled")
    if locked.state != Rsvp.State.CONFIRMED:
        raise CheckinError(
            f"{name} has no confirmed place ({locked.get_state_display().lower()}). "
            "Let them in as a walk-in if there's room.",
            code="not_confirmed",
        )
    if locked.checked_in_at is not None:
        who = Member.objects.filter(pk=locked.checked_in_by_id).first()
        raise CheckinError(
            f"{name} was already checked in at {_time(locked.checked_in_at)}"
            f"{f' by {who.display_name}' if who else ''}.",
            code="already_checked_in",
        )
    locked.checked_in_at, locked.checked_in_by = timezone.now(), by
    locked.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    rsvp.checked_in_at, rsvp.checked_in_by = locked.checked_in_at, by
    return rsvp


@transaction.atomic
def checkin_undo(*, rsvp: Rsvp, by: Member) -> Rsvp:
    """Take back a check-in made by mistake (the RSVP keeps its place)."""
    locked = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if locked.checked_in_at is None:
        raise CheckinError(f"{rsvp.member.display_name} isn't checked in.", code="not_checked_in")
    locked.checked_in_at, locked.checked_in_by = None, None
    locked.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    logger.info("Check-in of RSVP %s undone by member %s", rsvp.pk, by.pk)
    rsvp.checked_in_at, rsvp.checked_in_by = None, None
    return rsvp


@transaction.atomic
def walk_in(
    *,
    event: EventPage,
    by: Member,
    member: Member | None = None,
    name: str = "",
    email: str = "",
    guests: int = 0,
    run_group: RunGroup | None = None,
) -> Rsvp:
    """Let someone in at the door: confirmed and checked in at once, even past capacity.

    Give ``member``, or ``name`` and ``email`` for someone new (an existing account with that
    email is used instead of making a second one). A member already confirmed is simply checked in.
    """
    if event.is_cancelled:
        raise CheckinError("This event has been cancelled.", code="cancelled")
    guests = int(guests or 0)
    if guests < 0 or guests > event.guests_allowed:
        raise CheckinError(
            f"Up to {event.guests_allowed} guest{'s' if event.guests_allowed != 1 else ''} "
            "per member at this event.",
            code="guests",
        )
    if run_group is not None and run_group.event_id != event.pk:
        raise CheckinError("Choose one of this event's run groups.", code="run_group")
    if member is None:
        member = _member_for_walk_in(name=name, email=email)

    lock_event(event)
    now = timezone.now()
    rsvp = Rsvp.objects.select_for_update().filter(event=event, member=member).first()
    if rsvp is not None and rsvp.state == Rsvp.State.CONFIRMED:
        rsvp.member = member
        return checkin(rsvp=rsvp, by=by)
    rsvp = rsvp or Rsvp(event=event, member=member)
    rsvp.answer, rsvp.state, rsvp.source = (
        Rsvp.Answer.GOING,
        Rsvp.State.CONFIRMED,
        Rsvp.Source.WALK_IN,
    )
    rsvp.guests, rsvp.confirmed_at, rsvp.waitlisted_at = guests, now, None
    if event.is_track_day and run_group is not None:
        rsvp.run_group = run_group
    elif not event.is_track_day:
        rsvp.run_group = None
    rsvp.checked_in_at, rsvp.checked_in_by = now, by
    rsvp.save()
    return rsvp


def _member_for_walk_in(*, name: str, email: str) -> Member:
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise CheckinError("Give the walk-in's name.", code="name")
    try:
        validate_email(email)
    except ValidationError:
        raise CheckinError(
            "Give the walk-in's email address, so they can claim their account.", code="email"
        ) from None
    existing = Member.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    member = Member(
        email=email,
        display_name=name[:60],
        email_invitations=False,
        email_reminders=False,
        email_community=False,
        profile_visibility=Member.Visibility.PRIVATE,
    )
    member.set_unusable_password()
    member.save()
    EmailAddress.objects.create(user=member, email=email, verified=False, primary=True)
    return member


def places_over_capacity(*, event: EventPage, run_group: RunGroup | None = None) -> int:
    """Places confirmed beyond the capacity (of the run group, if given): 0 when within it."""
    capacity = capacity_of(event=event, run_group=run_group)
    if capacity is None:
        return 0
    return max(confirmed_places(event=event, run_group=run_group) - capacity, 0)


# --- Reads for the check-in page ------------------------------------------------------------


@dataclass(frozen=True)
class CheckinCounts:
    expected: int  # confirmed RSVPs (walk-ins included)
    expected_people: int  # ... with their guests
    checked_in: int
    checked_in_people: int
    walk_ins: int
    no_shows: int | None  # None until the event has started
    capacity: int | None
    over_capacity: int  # places confirmed beyond the capacity


def checkin_counts(*, event: EventPage, now=None) -> CheckinCounts:
    """Expected, checked in and no-shows in one query; no-shows count once the event has started."""
    now = now or timezone.now()
    here = Q(checked_in_at__isnull=False)
    totals = Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED).aggregate(
        expected=Count("pk"),
        expected_guests=Sum("guests"),
        checked_in=Count("pk", filter=here),
        checked_in_guests=Sum("guests", filter=here),
        walk_ins=Count("pk", filter=Q(source=Rsvp.Source.WALK_IN)),
    )
    expected_people = totals["expected"] + (totals["expected_guests"] or 0)
    capacity = event.places_in_all
    return CheckinCounts(
        expected=totals["expected"],
        expected_people=expected_people,
        checked_in=totals["checked_in"],
        checked_in_people=totals["checked_in"] + (totals["checked_in_guests"] or 0),
        walk_ins=totals["walk_ins"],
        no_shows=totals["expected"] - totals["checked_in"] if now >= event.start else None,
        capacity=capacity,
        over_capacity=max(expected_people - capacity, 0) if capacity is not None else 0,
    )


def _with_relations(qs):
    return qs.select_related("member", "car__car_model", "run_group", "checked_in_by")


def _matching(query: str) -> Q:
    """Name, email or plate ("kb21abc" finds "KB21 ABC") of the member, as Q on Member."""
    match = Q(display_name__icontains=query) | Q(email__icontains=query)
    key = plate_key(query)
    if len(key) >= 2:
        match |= Q(pk__in=Car.objects.filter(registration_key__contains=key).values("owner_id"))
    return match


def attendee(*, event: EventPage, pk: int) -> Rsvp | None:
    """One RSVP of the event with what the check-in page shows about it."""
    return _with_relations(Rsvp.objects.filter(event=event, pk=pk)).first()


def checkin_attendees(*, event: EventPage, query: str = "") -> list[Rsvp]:
    """Confirmed RSVPs, by name, optionally those whose member matches ``query``."""
    qs = _with_relations(Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED))
    query = query.strip()
    if query:
        qs = qs.filter(member__in=Member.objects.filter(_matching(query)))
    return list(qs.order_by(Lower("member__display_name"), "pk"))


def checkin_other_matches(*, event: EventPage, query: str, limit: int = 10) -> list[Member]:
    """Members matching ``query`` without a confirmed place, to let in as walk-ins. Each has
    ``event_rsvp`` (their RSVP to this event, or None) for the page to say where they stand."""
    from django.db.models import Prefetch

    query = query.strip()
    if not query:
        return []
    confirmed = Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED).values("member_id")
    members = list(
        Member.objects.filter(_matching(query), is_active=True)
        .exclude(pk__in=confirmed)
        .prefetch_related(
            Prefetch("rsvps", queryset=Rsvp.objects.filter(event=event), to_attr="event_rsvps")
        )
        .order_by(Lower("display_name"), "pk")[:limit]
    )
    for member in members:
        member.event_rsvp = member.event_rsvps[0] if member.event_rsvps else None
    return members


# --- The attendee list as CSV ---------------------------------------------------------------

CSV_HEADER = [
    "Name",
    "Email",
    "Guests",
    "Run group",
    "Car",
    "Plate",
    "Car number",
    "Source",
    "Checked in at",
    "Checked in by",
    "Waiver version",
    "Emergency contact",
    "Emergency phone",
]


def attendee_rows(*, event: EventPage):
    """The header, then one row per confirmed RSVP, by name (for ``csv.writer``)."""
    yield CSV_HEADER
    rsvps = _with_relations(
        Rsvp.objects.filter(event=event, state=Rsvp.State.CONFIRMED).select_related(
            "waiver_version"
        )
    ).order_by(Lower("member__display_name"), "pk")
    for rsvp in rsvps:
        checked_in = timezone.localtime(rsvp.checked_in_at) if rsvp.checked_in_at else None
        yield [
            formula_safe("" if value is None else str(value))
            for value in (
                rsvp.member.display_name,
                rsvp.member.email,
                rsvp.guests,
                rsvp.run_group.name if rsvp.run_group else "",
                rsvp.car or "",
                rsvp.car.registration if rsvp.car else "",
                rsvp.car_number or "",
                rsvp.get_source_display(),
                f"{checked_in:%Y-%m-%d %H:%M}" if checked_in else "",
                rsvp.checked_in_by.display_name if rsvp.checked_in_by else "",
                rsvp.waiver_version.number if rsvp.waiver_version else "",
                rsvp.emergency_contact_name,
                rsvp.emergency_contact_phone,
            )
        ]
