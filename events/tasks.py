"""Celery tasks for events: thin wrappers around services, taking ids."""

from celery import shared_task
from django.conf import settings

from community.models import Member
from events.invitations import invitation_send_create, invitation_send_run, invitation_sends_resume
from events.models import EventChange, EventPage
from events.notifications import notify_event_change, send_due_reminders
from events.photo_drop import photo_drops_due
from events.services.series import series_fill_in
from events.text_replies import inbound_texts_of_strangers_forget


@shared_task
def event_change_notify_task(change_id: int) -> int:
    return notify_event_change(change_id=change_id)


@shared_task
def event_changes_sweep_task() -> int:
    """Beat: tell members about changes whose task was lost (the broker was down at the time)."""
    pending = EventChange.objects.filter(notified_at__isnull=True).values_list("pk", flat=True)[
        :100
    ]
    return sum(notify_event_change(change_id=pk) for pk in pending)


@shared_task
def reminders_task() -> int:
    """Beat, every five minutes: queue the reminders that are due (each goes once)."""
    return send_due_reminders()


@shared_task
def series_fill_in_task() -> int:
    """Beat, every ten minutes: members in a series are put down for each date as its RSVPs
    open (each RSVP once: a date they answered is left alone)."""
    return len(series_fill_in())


@shared_task
def photo_drops_task() -> int:
    """Beat, every ten minutes: the morning after an event, each member checked in gets the
    link to add their photos to its album (each once)."""
    return photo_drops_due()


@shared_task
def invitation_send_run_task(send_id: int) -> int:
    """Write the invitations staff asked for (an InvitationSend row), in chunks of 500."""
    return invitation_send_run(send_id=send_id)


@shared_task
def invitation_sends_sweep_task() -> int:
    """Beat, every minute: finish the sends whose task was lost (the broker was away when staff
    pressed Send) or whose worker died; returns how many members were invited."""
    return invitation_sends_resume(grace_seconds=settings.PADDOCK_SWEEP_GRACE_SECONDS)


@shared_task
def invitations_send_task(event_id: int, by_id: int, member_ids: list[int]) -> int:
    """Kept for tasks queued before InvitationSend rows existed: records the request, then runs it."""
    send = invitation_send_create(
        event=EventPage.objects.get(pk=event_id),
        by=Member.objects.filter(pk=by_id).first(),
        member_ids=member_ids,
        dispatch=False,
    )
    return invitation_send_run(send_id=send.pk)


@shared_task
def inbound_texts_of_strangers_forget_task() -> int:
    """Beat, daily: forget texts from numbers that belong to no member, once they are old."""
    return inbound_texts_of_strangers_forget()
