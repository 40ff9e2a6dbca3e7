"""Record time, venue and cancellation changes when staff publish an event.

``connect()`` wires the receivers; ``EventsConfig.ready()`` calls it (each receiver has a
``dispatch_uid``, so a second call is harmless).

How "what was live before" is known: publishing a revision saves the page row, and just before
that save (``pre_save``) the row still holds what visitors were shown. That snapshot is kept on
the instance and compared once ``page_published`` fires. A page that had never been live records
nothing, nor does a publish that changes only the title, body or anything else.
"""

from django.db.models.signals import pre_save
from wagtail.signals import page_published

from events.models import EventPage
from events.services.staff import event_change_record

_SNAPSHOT_FIELDS = (
    "live",
    "first_published_at",
    "start",
    "end",
    "venue_name",
    "venue_address",
    "status",
    "sequence",
)
_SNAPSHOT_ATTR = "_paddock_live_before_publish"


def event_snapshot_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep the stored row (what is live) on the instance, and never let SEQUENCE go down.

    A revision's content holds the sequence of its time; the sequence has gone up since
    whenever a change was recorded, and calendar apps ignore an update with a lower one.
    """
    if raw or not instance.pk:
        return
    if update_fields is not None and not {"sequence", "start", "status"} & set(update_fields):
        return  # e.g. save_revision(), which saves only the revision bookkeeping
    previous = EventPage.objects.filter(pk=instance.pk).only(*_SNAPSHOT_FIELDS).first()
    if previous is None:
        return
    setattr(instance, _SNAPSHOT_ATTR, previous)
    if previous.sequence > (instance.sequence or 0):
        instance.sequence = previous.sequence


def event_published(sender, instance, revision=None, **kwargs):
    previous = instance.__dict__.pop(_SNAPSHOT_ATTR, None)
    if previous is None or not (previous.live or previous.first_published_at):
        return  # the first publish: nobody was told anything yet
    event_change_record(event=instance, previous=previous)


def connect() -> None:
    pre_save.connect(
        event_snapshot_before_save, sender=EventPage, dispatch_uid="events.snapshot_before_save"
    )
    page_published.connect(
        event_published, sender=EventPage, dispatch_uid="events.record_change_on_publish"
    )


def disconnect() -> None:
    pre_save.disconnect(sender=EventPage, dispatch_uid="events.snapshot_before_save")
    page_published.disconnect(sender=EventPage, dispatch_uid="events.record_change_on_publish")
