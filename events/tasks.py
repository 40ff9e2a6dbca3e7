"""Celery tasks for events: thin wrappers around services, taking ids."""

from celery import shared_task


@shared_task
def event_change_notify_task(change_id: int) -> int:
    from events.notifications import notify_event_change

    return notify_event_change(change_id=change_id)


@shared_task
def event_changes_sweep_task() -> int:
    """Beat: tell members about changes whose task was lost (the broker was down at the time)."""
    from events.models import EventChange
    from events.notifications import notify_event_change

    pending = EventChange.objects.filter(notified_at__isnull=True).values_list("pk", flat=True)[
        :100
    ]
    return sum(notify_event_change(change_id=pk) for pk in pending)


@shared_task
def reminders_task() -> int:
    """Beat, every five minutes: queue the reminders that are due (each goes once)."""
    from events.notifications import send_due_reminders

    return send_due_reminders()


@shared_task
def invitations_send_task(event_id: int, by_id: int, member_ids: list[int]) -> int:
    """Invite in batches of 500 (each batch one transaction), so a big audience never holds a lock long."""
    from community.models import Member
    from events.invitations import invitations_send
    from events.models import EventPage

    event = EventPage.objects.get(pk=event_id)
    by = Member.objects.filter(pk=by_id).first()
    return sum(
        invitations_send(event=event, by=by, member_ids=member_ids[i : i + 500])
        for i in range(0, len(member_ids), 500)
    )
