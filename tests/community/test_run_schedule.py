"""One machine: run_schedule runs beat's tasks in-process, so reminders go without Redis."""

import pytest
from django.core import mail
from django.core.management import call_command

from events import services
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def test_run_schedule_once_sends_due_reminders(member, django_capture_on_commit_callbacks):
    event = make_event("Quay meet", days_ahead=1)  # the 48 h reminder is due
    services.rsvp_respond(event=event, member=member, answer="going", notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_schedule", "--once")
    assert [m.subject for m in mail.outbox] == ["Reminder: Quay meet"]
