"""Reminders: 48 h and 3 h before by default, configurable per event, once per member and lead."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.notifications import send_due_reminders
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db


def going_to(event, member):
    services.rsvp_respond(event=event, member=member, answer="going", notify=False)


def test_reminder_48_hours_before_goes_to_members_who_are_coming(
    member, django_capture_on_commit_callbacks
):
    event = make_event("Quay meet", days_ahead=2)
    going_to(event, member)
    services.rsvp_respond(event=event, member=MemberFactory(), answer="not_going", notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=47))
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject == "Reminder: Quay meet"


def maybe_to(event, member):
    services.rsvp_respond(event=event, member=member, answer="maybe", notify=False)


def test_reminder_asks_a_maybe_to_decide_with_going_and_cant_go_links(
    member, django_capture_on_commit_callbacks
):
    event = make_event("Quay meet", days_ahead=2)
    maybe_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=47))
    [message] = mail.outbox
    assert message.subject == "Still a maybe? Quay meet"
    assert "?answer=going" in message.body and "?answer=not_going" in message.body


def test_reminder_nudges_a_maybe_only_once(member, django_capture_on_commit_callbacks):
    event = make_event("Quay meet", days_ahead=2)
    maybe_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=47))
        send_due_reminders(now=event.start - timedelta(hours=2))
    assert len(mail.outbox) == 1


def test_reminder_not_sent_to_the_waitlist(member, django_capture_on_commit_callbacks):
    event = make_event("Quay meet", days_ahead=2, capacity=1)
    going_to(event, MemberFactory())
    going_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=47))
    assert member.email not in [m.to[0] for m in mail.outbox]


def test_reminder_runs_twice_sends_once(member, django_capture_on_commit_callbacks):
    event = make_event(days_ahead=2)
    going_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=47))
        send_due_reminders(now=event.start - timedelta(hours=46))
    assert len(mail.outbox) == 1


def test_reminder_3_hours_before_is_a_second_message(member, django_capture_on_commit_callbacks):
    event = make_event("Quay meet", days_ahead=2)
    going_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=47))
        send_due_reminders(now=event.start - timedelta(hours=2))
    assert [m.subject for m in mail.outbox] == ["Reminder: Quay meet", "Today: Quay meet"]


def test_reminder_not_sent_to_member_who_opted_out(member, django_capture_on_commit_callbacks):
    member.email_reminders = False
    member.save()
    event = make_event(days_ahead=2)
    going_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=2))
    assert mail.outbox == []


def test_reminder_hours_are_configurable_per_event(member, django_capture_on_commit_callbacks):
    event = make_event(days_ahead=2, reminder_hours="24")
    going_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=30))
    assert mail.outbox == []


def test_reminder_carries_one_click_unsubscribe(member, django_capture_on_commit_callbacks):
    event = make_event(days_ahead=2)
    going_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=timezone.now() + timedelta(days=2) - timedelta(hours=1))
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_reminder_for_a_drive_lists_the_meeting_point_and_stops(
    member, django_capture_on_commit_callbacks
):
    from events.models import EventPage
    from tests.factories import make_route

    event = make_event(
        "Dartmoor drive-out", days_ahead=2, kind=EventPage.Kind.DRIVE, drive_route=make_route()
    )
    going_to(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=event.start - timedelta(hours=47))
    [message] = mail.outbox
    start = timezone.localtime(event.start)
    assert f"1. {start:%H:%M}  Meeting point: Haytor lower car park" in message.body
    assert "6. " in message.body and "Finish: Haytor lower car park" in message.body
