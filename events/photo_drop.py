"""The photo drop: the morning after an event, each member checked in at the door gets one message
with the link to add their photos to the event's album (events/views_photos.py).

The beat task runs every ten minutes; from PADDOCK_PHOTO_DROP_HOUR (dealership time) on the day
after an event ended, its members are sent the message, by email or by text as they chose for
event reminders (``message_channels``, kind "reminders"). Each member gets it once per event
however often this runs (the outbox's dedupe keys ``photo-drop:<event>:<member>``); a cancelled
event sends nothing, and an event over for more than PADDOCK_PHOTO_DROP_DAYS days is left alone
(the beat was away for long: a week-old "morning after" would only puzzle members).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community.mail import list_unsubscribe_headers
from community.models import OutboundEmail
from community.outbox import outbox_enqueue
from community.showrooms import absolute_url, sender_address, site_of
from community.texts.selectors import message_channels
from community.texts.services import text_queue
from events.models import EventPage
from events.notifications import event_context
from events.selectors import checked_in_rsvps
from events.texts import photo_drop_text_body

CHANNEL_KIND = "reminders"  # members choose email or text for it with their event reminders


def photo_drop_key(*, event_id: int, member_id: int | None = None) -> str:
    return f"photo-drop:{event_id}:" + (str(member_id) if member_id is not None else "")


def photo_drop_url(event: EventPage) -> str:
    """Where the message leads: the album's upload page, on the event's showroom address."""
    return absolute_url(reverse("events:album_add", args=[event.pk]), site=site_of(event))


@transaction.atomic
def photo_drop_send(*, event: EventPage) -> int:
    """Queue the event's photo drop to each member checked in who has not had it; returns how
    many messages (emails and texts) were queued now."""
    if event.is_cancelled:
        return 0
    done = {
        key.rsplit(":", 1)[1]
        for key in OutboundEmail.objects.filter(
            dedupe_key__startswith=photo_drop_key(event_id=event.pk)
        ).values_list("dedupe_key", flat=True)
    }
    rsvps = (
        checked_in_rsvps(event=event)
        .filter(member__is_active=True)
        .exclude(member_id__in=[int(pk) for pk in done if pk.isdigit()])
        .select_related("member")
    )
    link = photo_drop_url(event)
    base = {**event_context(event), "album_url": link}
    site = site_of(event)
    queued = 0
    for rsvp in rsvps:
        member = rsvp.member
        text = text_queue(
            member=member,
            kind=CHANNEL_KIND,
            body=photo_drop_text_body(event=event, link=link),
            dedupe_key=photo_drop_key(event_id=event.pk).rstrip(":"),
        )
        queued += text is not None
        if "email" not in message_channels(member=member, kind=CHANNEL_KIND):
            continue  # they chose a text for this, or turned reminder mail off
        context = {**base, "member_name": member.display_name}
        message = outbox_enqueue(
            kind="photo_drop",
            to=member.email,
            subject=render_to_string("email/photo_drop_subject.txt", context),
            body=render_to_string("email/photo_drop.txt", context),
            from_email=sender_address(site),
            headers=list_unsubscribe_headers(member=member, category="reminders", site=site),
            dedupe_key=photo_drop_key(event_id=event.pk, member_id=member.pk),
            member=member,
        )
        queued += message is not None
    return queued


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def photo_drop_events(*, now: datetime | None = None):
    """The events whose photo drop is due at ``now``: ended on one of the last
    PADDOCK_PHOTO_DROP_DAYS days (dealership time) before today, once today's
    PADDOCK_PHOTO_DROP_HOUR has come; live and not cancelled."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.PADDOCK_PHOTO_DROP_HOUR:
        return EventPage.objects.none()
    today = local.date()
    return (
        EventPage.objects.live()
        .filter(
            end__gte=_local_midnight(today - timedelta(days=settings.PADDOCK_PHOTO_DROP_DAYS)),
            end__lt=_local_midnight(today),
        )
        .exclude(status=EventPage.Status.CANCELLED)
        .order_by("end", "pk")
    )


def photo_drops_due(*, now: datetime | None = None) -> int:
    """Beat: send the photo drops that are due; returns how many messages were queued."""
    return sum(photo_drop_send(event=event) for event in photo_drop_events(now=now))
