"""Staff's "Send" is written to PostgreSQL first (an InvitationSend), so it survives the broker
being away: a worker runs it, or beat's sweep once the broker is back."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from events.invitations import (
    invitation_progress,
    invitation_send_create,
    invitation_send_run,
    invitation_sends_resume,
)
from events.models import Invitation, InvitationSend
from tests.factories import MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def club_event():
    members = MemberFactory.create_batch(3)
    club = make_club("Sunday Drivers", members=members)
    return make_event("Dawn run", host_club=club), club, members


@pytest.fixture
def broker_down(monkeypatch):
    """Tasks are queued on a broker (not run at once), and the broker refuses the connection."""
    from events import tasks
    from paddock.breaker import breaker

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(tasks.invitation_send_run_task.app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.invitation_send_run_task, "apply_async", refuse)
    yield
    breaker("The Celery broker").succeeded()  # the next test finds the broker trusted again


def _press_send(client, staff, event, club):
    client.force_login(staff)
    return client.post(
        reverse("event_rsvps:invite", args=[event.pk]),
        {"kind": "club", "club": club.pk, "action": "send"},
    )


def test_invite_send_with_broker_down_still_answers(
    client, staff, club_event, broker_down, django_capture_on_commit_callbacks
):
    event, club, _ = club_event
    with django_capture_on_commit_callbacks(execute=True):
        response = _press_send(client, staff, event, club)
    assert response.status_code == 302


def test_invite_send_with_broker_down_records_the_request(
    client, staff, club_event, broker_down, django_capture_on_commit_callbacks
):
    event, club, members = club_event
    with django_capture_on_commit_callbacks(execute=True):
        _press_send(client, staff, event, club)
    send = InvitationSend.objects.get(event=event)
    assert sorted(send.member_ids) == sorted(m.pk for m in members) and send.finished_at is None


def test_invite_progress_counts_a_send_waiting_for_the_broker(
    client, staff, club_event, broker_down, django_capture_on_commit_callbacks
):
    event, club, _ = club_event
    with django_capture_on_commit_callbacks(execute=True):
        _press_send(client, staff, event, club)
    assert invitation_progress(event=event)["waiting"] == 3


def test_invite_sweep_sends_what_was_pressed_while_the_broker_was_down(
    client, staff, club_event, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    from paddock.breaker import breaker

    event, club, members = club_event
    with django_capture_on_commit_callbacks(execute=True):
        _press_send(client, staff, event, club)
    monkeypatch.undo()  # the broker is back
    breaker("The Celery broker").succeeded()
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_sends_resume(grace_seconds=0) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert InvitationSend.objects.get(event=event).finished_at is not None


def test_invite_sweep_leaves_a_fresh_send_to_its_own_task(staff, club_event):
    event, _, members = club_event
    invitation_send_create(event=event, by=staff, member_ids=[m.pk for m in members])
    assert invitation_sends_resume(grace_seconds=30) == 0


def test_invitation_send_run_leaves_a_send_another_worker_holds(staff, club_event):
    event, _, members = club_event
    send = invitation_send_create(event=event, by=staff, member_ids=[m.pk for m in members])
    InvitationSend.objects.filter(pk=send.pk).update(
        claimed_by="other-worker", lease_until=timezone.now() + timedelta(minutes=1)
    )
    assert invitation_send_run(send_id=send.pk) == 0
    assert not Invitation.objects.exists()


def test_invitation_send_run_carries_on_where_a_dead_worker_stopped(staff, club_event):
    event, _, members = club_event
    ids = sorted(m.pk for m in members)
    send = invitation_send_create(event=event, by=staff, member_ids=ids)
    InvitationSend.objects.filter(pk=send.pk).update(  # the dead worker had done the first one
        done=1, claimed_by="dead-worker", lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert invitation_sends_resume(grace_seconds=0) == 2
    assert sorted(Invitation.objects.values_list("member_id", flat=True)) == ids[1:]


def test_invitation_send_finished_counts_nothing_waiting(staff, club_event):
    event, _, members = club_event
    send = invitation_send_create(event=event, by=staff, member_ids=[m.pk for m in members])
    invitation_send_run(send_id=send.pk)
    assert invitation_progress(event=event)["waiting"] == 0
