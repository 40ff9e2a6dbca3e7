"""Events by text: the short texts members who chose texts get (an invitation when staff send
them, a change or cancellation, a reminder, a place from the waitlist), the short one-click link
they carry, and the counts the invite screen shows.

A text reads "Paddock Motors: Cars & Coffee Sun 12 Dec 9:00. Reply Y, Y+1 or N, or tap
<link>" and fits one GSM-7 segment where it can (a long title is shortened first). The link
``/t/<event>.<member>.<mac>/`` is short enough for that: it carries a keyed MAC of the event and
member and redirects to the member's one-click RSVP page (events/views_links.py), where nothing
changes until they press the button. Texts go through ``community.texts.services.text_queue``
(invitations: ``text_queue_many``, kind "invitations", one per event and member, sent in batches),
which honours the member's verified number,
consent, channel choice, STOP and quiet hours; a cancellation within 12 hours of the start is
urgent and goes at once (``text_urgent``). events/notifications.py sends the others beside (or
instead of) their emails, as each member chose.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from community.models import Channel, Member, MemberMobile, OutboundText, textable_q
from community.showrooms import absolute_url, dealership_name, site_of
from community.texts.segments import text_segments
from community.texts.selectors import DELIVERY_COUNTS, text_delivery_counts, texted_mobiles
from community.texts.services import text_queue_many
from events.models import EventPage, Invitation

SHORT_LINK_SALT = "paddock.events.text_short_link"
TEXT_KIND = "invitations"
URGENT_WITHIN = timedelta(hours=12)


def _short_mac(*, event_id: int, member_id: int) -> str:
    return salted_hmac(SHORT_LINK_SALT, f"{event_id}.{member_id}", algorithm="sha256").hexdigest()[
        :10
    ]


def short_link_url(*, event: EventPage, member) -> str:
    """The member's short one-click link for ``event``, on the event's showroom address."""
    code = f"{event.pk}.{member.pk}.{_short_mac(event_id=event.pk, member_id=member.pk)}"
    return absolute_url(reverse("events:text_short_link", args=[code]), site=site_of(event))


def short_link_read(code: str) -> tuple[int, int] | None:
    """(event id, member id) from a short link's code, or None when it is damaged or forged."""
    parts = code.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    event_id, member_id = int(parts[0]), int(parts[1])
    if not constant_time_compare(parts[2], _short_mac(event_id=event_id, member_id=member_id)):
        return None
    return event_id, member_id


def event_when(event: EventPage) -> str:
    """The event's start as a text says it: "Sun 12 Dec 9:00"."""
    local = timezone.localtime(event.start)
    return f"{local:%a %-d %b} {local.hour}:{local:%M}"


def one_segment(event: EventPage, body) -> str:
    """``body(title)`` with the event's title, shortened ("...") until the text fits one GSM-7
    segment, as far as a readable title allows."""
    title = " ".join(event.title.split())
    short = title
    while text_segments(body(short)) > 1 and len(title) > 12:
        title = title[:-1]
        short = title.rstrip() + "..."
    return body(short)


def invitation_text_body(*, event: EventPage, member, name: str = "") -> str:
    """The invitation text for one member, in one segment where the title allows. ``name``: the
    showroom's name, when the caller looked it up once for many members."""
    name = name or dealership_name(site_of(event))
    link = short_link_url(event=event, member=member)
    return one_segment(
        event,
        lambda title: f"{name}: {title} {event_when(event)}. Reply Y, Y+1 or N, or tap {link}",
    )


def change_text_body(*, event: EventPage, member, cancelled: bool) -> str:
    """What a member coming to ``event`` is texted when it changes or is cancelled; the details
    are behind their short link (and in the email, for members who have both)."""
    name = dealership_name(site_of(event))
    if cancelled:
        return one_segment(
            event, lambda title: f"{name}: {title} {event_when(event)} is cancelled. Sorry!"
        )
    link = short_link_url(event=event, member=member)
    return one_segment(
        event, lambda title: f"{name}: {title} has changed, now {event_when(event)}. {link}"
    )


def reminder_text_body(*, event: EventPage, member) -> str:
    """The reminder text: when and where, and the member's one-click link if plans change."""
    name = dealership_name(site_of(event))
    link = short_link_url(event=event, member=member)
    venue = " ".join(event.venue_name.split())
    return one_segment(
        event,
        lambda title: (
            f"{name}: see you at {title} {event_when(event)}, {venue}. Plans changed? {link}"
        ),
    )


def promotion_text_body(*, event: EventPage, member) -> str:
    """The text a member on the waitlist gets when a place opens up for them."""
    name = dealership_name(site_of(event))
    link = short_link_url(event=event, member=member)
    return one_segment(
        event,
        lambda title: (
            f"{name}: a place opened up, you're in for {title} {event_when(event)}! "
            f"Can't come? {link}"
        ),
    )


def text_urgent(*, event: EventPage, cancelled: bool, now=None) -> bool:
    """A cancellation within 12 hours of the start is texted at once, quiet hours or not."""
    now = now or timezone.now()
    return cancelled and event.start - now <= URGENT_WITHIN


def invitation_reachable_q() -> Q:
    """Members an invitation can reach: email invitations on, or texts chosen for invitations on
    a number Paddock may text (a member who turned invitation mail off but wants texts)."""
    return Q(email_invitations=True) | (
        Q(mobile__invitations__in=[Channel.TEXT, Channel.BOTH]) & textable_q("mobile__")
    )


def text_channels(*, member_ids) -> dict[int, set[str]]:
    """{member id: channels} for the members among ``member_ids`` whose invitations come by text
    (maybe also by email), in one query however many members."""
    texted = texted_mobiles(member_ids=member_ids, kind=TEXT_KIND)
    return {pk: channels for pk, (_mobile, channels) in texted.items()}


def email_excluded_ids(*, member_ids) -> set[int]:
    """The members among ``member_ids`` who chose text instead of email for invitations."""
    return {
        pk for pk, found in text_channels(member_ids=member_ids).items() if "email" not in found
    }


def invitation_texts_queue(*, event: EventPage, members) -> int:
    """Queue the invitation text to each of ``members`` who chose texts for invitations (in the
    caller's transaction, once per event and member, in a few statements for the whole batch);
    returns how many were queued."""
    name = dealership_name(site_of(event))
    return len(
        text_queue_many(
            members=members,
            kind=TEXT_KIND,
            body=lambda member: invitation_text_body(event=event, member=member, name=name),
            dedupe_key=f"event:{event.pk}",  # text_queue_many prefixes kind and member
        )
    )


def invitation_text_counts(*, event: EventPage, member_ids) -> dict[str, int]:
    """For the invite screen, before sending: how many of the audience get a text, how many
    segments those texts cost together, and how many have no verified number."""
    ids = list(member_ids)
    texting = Member.objects.filter(pk__in=list(text_channels(member_ids=ids))).order_by("pk")
    verified = MemberMobile.objects.filter(member_id__in=ids, verified_at__isnull=False).count()
    name = dealership_name(site_of(event))
    return {
        "texts": len(texting),
        "segments": sum(
            text_segments(invitation_text_body(event=event, member=m, name=name)) for m in texting
        ),
        "no_number": len(ids) - verified,
    }


def invitation_text_delivery(*, event: EventPage) -> dict[str, int]:
    """The event's invitation texts: queued, failed, sent, and of those sent delivered, not
    delivered, or awaiting their receipt (``community.texts.selectors.text_delivery_counts``)."""
    subject = f"event:{event.pk}"
    counts = text_delivery_counts(kind=TEXT_KIND, subjects=[subject]).get(subject)
    return counts or dict.fromkeys(DELIVERY_COUNTS, 0)


def invitation_text_dedupe_key(*, event_id: int, member_id: int) -> str:
    """The outbox key of a member's invitation text (``text_queue_many`` prefixes kind and
    member)."""
    return f"{TEXT_KIND}:{member_id}:event:{event_id}"


def text_only_invitation_statuses(*, event: EventPage) -> dict[str, int]:
    """For the event's invitations that went by text only (no mail): how many of their texts are
    queued, sent or failed, so the invite screen's progress does not show them queued forever."""
    member_ids = Invitation.objects.filter(event=event, message__isnull=True).values_list(
        "member_id", flat=True
    )
    keys = [invitation_text_dedupe_key(event_id=event.pk, member_id=pk) for pk in member_ids]
    if not keys:
        return {}
    rows = (
        OutboundText.objects.filter(dedupe_key__in=keys)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def photo_drop_text_body(*, event: EventPage, link: str) -> str:
    """The photo drop's text, the morning after: thanks, and the link to add photos."""
    name = dealership_name(site_of(event))
    return one_segment(
        event, lambda title: f"{name}: thanks for coming to {title}! Add your photos: {link}"
    )
