"""Automatic mail about a member's place: confirmed, waitlisted, promoted; each once."""

import pytest
from django.core import mail

from community.models import OutboundEmail
from events import services
from events.tokens import read_reply_address
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db


def test_rsvp_going_sends_confirmation_with_reply_address(
    member, django_capture_on_commit_callbacks
):
    event = make_event("Quay meet")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_respond(event=event, member=member, answer="going")
    [message] = mail.outbox
    assert message.to == [member.email] and message.subject == "You're going: Quay meet"
    target = read_reply_address(message.reply_to[0])
    assert (target.event_id, target.member_id) == (event.pk, member.pk)


def test_rsvp_when_full_sends_waitlisted_mail(member, django_capture_on_commit_callbacks):
    event = make_event("Quay meet", capacity=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_respond(event=event, member=member, answer="going")
    assert mail.outbox[-1].subject == "You're on the waitlist: Quay meet"


def test_promotion_sends_promoted_mail_once(member, django_capture_on_commit_callbacks):
    event = make_event("Quay meet", capacity=1)
    first = MemberFactory()
    services.rsvp_respond(event=event, member=first, answer="going")
    services.rsvp_respond(event=event, member=member, answer="going")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_respond(event=event, member=first, answer="not_going")
    promoted = [m for m in mail.outbox if m.subject == "A place is yours: Quay meet"]
    assert [m.to for m in promoted] == [[member.email]]
    assert OutboundEmail.objects.filter(kind="rsvp_promoted", to=member.email).count() == 1


def test_maybe_is_answered_with_one_noted_mail(member, django_capture_on_commit_callbacks):
    event = make_event("Quay meet")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_respond(event=event, member=member, answer="maybe")
    assert [m.subject for m in mail.outbox] == ["Noted: maybe for Quay meet"]


def test_confirmation_carries_calendar_invite_from_reply_address(
    member, django_capture_on_commit_callbacks
):
    from icalendar import Calendar

    event = make_event("Quay meet")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_respond(event=event, member=member, answer="going")
    [message] = mail.outbox
    [calendar] = [
        content
        for content, mimetype in message.alternatives
        if mimetype.startswith("text/calendar")
    ]
    vevent = Calendar.from_ical(calendar).walk("VEVENT")[0]
    assert str(vevent["ORGANIZER"]).lower() == f"mailto:{message.reply_to[0]}".lower()
    assert int(vevent["SEQUENCE"]) == event.sequence


def publish_moved(event, hours=1):
    from datetime import timedelta

    event.start += timedelta(hours=hours)
    event.end += timedelta(hours=hours)
    event.save_revision().publish()


def invite_in(message, method="REQUEST"):
    from icalendar import Calendar

    [data] = [
        content
        for content, mimetype in message.alternatives
        if mimetype.startswith("text/calendar")
    ]
    calendar = Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == method
    return calendar.walk("VEVENT")[0]


def test_moving_an_event_sends_update_with_higher_sequence(
    member, django_capture_on_commit_callbacks
):
    event = make_event("Quay meet")
    event.save_revision().publish()
    services.rsvp_respond(event=event, member=member, answer="going")
    with django_capture_on_commit_callbacks(execute=True):
        publish_moved(event)
    [update] = [m for m in mail.outbox if m.subject == "Changed: Quay meet"]
    event.refresh_from_db()
    assert int(invite_in(update)["SEQUENCE"]) == event.sequence >= 1
    assert invite_in(update).decoded("DTSTART") == event.start


def test_cancelling_an_event_sends_method_cancel(member, django_capture_on_commit_callbacks):
    from events.models import EventPage

    event = make_event("Quay meet")
    event.save_revision().publish()
    services.rsvp_respond(event=event, member=member, answer="maybe")
    event.status = EventPage.Status.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    [notice] = [m for m in mail.outbox if m.subject == "Cancelled: Quay meet"]
    assert str(invite_in(notice, "CANCEL")["STATUS"]) == "CANCELLED"


def test_change_notice_goes_once_per_member_however_often_it_runs(
    member, django_capture_on_commit_callbacks
):
    from events.models import EventChange
    from events.notifications import notify_event_change

    event = make_event("Quay meet")
    event.save_revision().publish()
    services.rsvp_respond(event=event, member=member, answer="going")
    with django_capture_on_commit_callbacks(execute=True):
        publish_moved(event)
        change = EventChange.objects.get()
        notify_event_change(change_id=change.pk)
        EventChange.objects.filter(pk=change.pk).update(notified_at=None)  # as if a second worker
        notify_event_change(change_id=change.pk)
    assert len([m for m in mail.outbox if m.subject == "Changed: Quay meet"]) == 1


def test_change_notice_skips_members_who_said_no(member, django_capture_on_commit_callbacks):
    event = make_event("Quay meet")
    event.save_revision().publish()
    services.rsvp_respond(event=event, member=member, answer="not_going")
    with django_capture_on_commit_callbacks(execute=True):
        publish_moved(event)
    assert not [m for m in mail.outbox if m.subject.startswith("Changed")]
