"""An RSVP's answer mail is rendered after commit, from the RSVP as it was at the change: the
event's lock is held only to decide the places (issue 18, "keep the lock short")."""

import pytest
from django.core import mail
from icalendar import Calendar

from community.models import OutboundEmail
from community.outbox import outbox_flush
from events import notifications, services
from events.models import EventChange, Rsvp
from events.services.staff import rsvp_remove
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def _ics(message) -> Calendar:
    [(content, _mimetype)] = [a for a in message.alternatives if "calendar" in a[1]]
    return Calendar.from_ical(content)


def test_rsvp_respond_queues_what_to_render_and_renders_no_template_or_invite(member, monkeypatch):
    event = make_event("Quay meet")
    rendered = []
    real_render, real_ics = notifications.render_to_string, notifications.invite_ics
    monkeypatch.setattr(
        notifications,
        "render_to_string",
        lambda *a, **k: rendered.append("template") or real_render(*a, **k),
    )
    monkeypatch.setattr(
        notifications, "invite_ics", lambda **k: rendered.append("ics") or real_ics(**k)
    )
    services.rsvp_respond(event=event, member=member, answer="going")
    queued = OutboundEmail.objects.get(kind="rsvp_confirmed", member=member)
    assert rendered == []
    assert (queued.subject, queued.body, queued.alternatives, queued.attachments) == (
        "",
        "",
        [],
        [],
    )
    assert queued.render["renderer"] == notifications.RSVP_MAIL_RENDERER
    assert queued.render["data"]["method"] == "REQUEST"


def test_rsvp_mail_reports_the_state_at_the_change_when_the_rsvp_changed_again_before_sending(
    member,
):
    event = make_event("Quay meet", guests_allowed=3)
    services.rsvp_respond(event=event, member=member, answer="going", guests=2)
    services.rsvp_respond(event=event, member=member, answer="maybe", guests=0)
    assert outbox_flush() == 2  # the worker runs only now
    confirmed, noted = mail.outbox
    assert "with 2 guests" in confirmed.body and confirmed.subject == "You're going: Quay meet"
    assert noted.subject == "Noted: maybe for Quay meet"
    first, second = _ics(confirmed).walk("VEVENT")[0], _ics(noted).walk("VEVENT")[0]
    assert first["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert second["ATTENDEE"].params["PARTSTAT"] == "TENTATIVE"
    assert int(first["SEQUENCE"]) < int(second["SEQUENCE"])


def test_rsvp_mail_sequences_are_recorded_in_the_transaction_in_the_order_of_changes(member):
    event = make_event("Quay meet")
    services.rsvp_respond(event=event, member=member, answer="going")
    services.rsvp_respond(event=event, member=member, answer="maybe")
    sequences = [row.render["data"]["sequence"] for row in OutboundEmail.objects.order_by("pk")]
    assert sequences == sorted(set(sequences))
    assert Rsvp.objects.get(member=member).invite_sequence == sequences[-1]


def test_removed_rsvp_cancel_renders_from_its_snapshot_after_the_row_is_gone(member, staff):
    event = make_event("Quay meet")
    rsvp = services.rsvp_respond(event=event, member=member, answer="going")
    outbox_flush()
    mail.outbox.clear()
    rsvp_remove(rsvp=rsvp, by=staff)
    assert not Rsvp.objects.filter(pk=rsvp.pk).exists()
    assert outbox_flush() == 1
    [removed] = mail.outbox
    assert "Quay meet" in removed.subject + removed.body
    calendar = _ics(removed)
    assert str(calendar["METHOD"]) == "CANCEL"
    [attachment] = removed.attachments
    assert attachment[0] == "invite.ics" and b"METHOD:CANCEL" in attachment[1]


def test_event_change_notice_is_queued_as_what_to_render_and_sent_with_its_summary(member):
    event = make_event("Quay meet")
    services.rsvp_respond(event=event, member=member, answer="going")
    outbox_flush()
    mail.outbox.clear()
    change = EventChange.objects.create(
        event=event, kind=EventChange.Kind.CHANGED, summary="Now at the north car park", sequence=1
    )
    assert notifications.notify_event_change(change_id=change.pk) == 1
    queued = OutboundEmail.objects.get(kind="event_changed")
    assert queued.body == "" and queued.render["data"]["method"] == "REQUEST"
    assert outbox_flush() == 1
    [notice] = mail.outbox
    assert "Now at the north car park" in notice.body
    assert int(_ics(notice).walk("VEVENT")[0]["SEQUENCE"]) == queued.render["data"]["sequence"]
