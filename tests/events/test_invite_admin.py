"""The staff invitation screen: count, test to myself, send once."""

import pytest
from django.core import mail
from django.urls import reverse

from events.models import Invitation
from tests.factories import MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def club_event():
    members = MemberFactory.create_batch(3)
    club = make_club("Sunday Drivers", members=members)
    return make_event("Dawn run", host_club=club), club, members


def test_invite_screen_counts_the_audience_and_sends_nothing(client, staff, club_event):
    event, club, _ = club_event
    client.force_login(staff)
    response = client.post(
        reverse("event_rsvps:invite", args=[event.pk]),
        {"kind": "club", "club": club.pk, "action": "count"},
    )
    assert "<strong>3</strong> members match" in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_invite_screen_test_goes_to_the_staff_member_only(
    client, staff, club_event, django_capture_on_commit_callbacks
):
    event, club, _ = club_event
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("event_rsvps:invite", args=[event.pk]),
            {"kind": "club", "club": club.pk, "action": "test"},
        )
    assert [m.to for m in mail.outbox] == [[staff.email]] and mail.outbox[0].subject.startswith(
        "[Test]"
    )


def test_invite_screen_send_pressed_twice_invites_each_member_once(
    client, staff, club_event, django_capture_on_commit_callbacks
):
    event, club, members = club_event
    client.force_login(staff)
    url = reverse("event_rsvps:invite", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "club", "club": club.pk, "action": "send"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "club", "club": club.pk, "action": "send"})
    assert Invitation.objects.filter(event=event).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)


def test_invite_screen_is_for_staff_only(client, member, club_event):
    event, club, _ = club_event
    client.force_login(member)
    response = client.get(reverse("event_rsvps:invite", args=[event.pk]))
    assert response.status_code in (302, 403)


def test_invite_progress_reports_sent_and_queued_as_json(client, staff, club_event):
    from events.invitations import invitations_send

    event, _, members = club_event
    invitations_send(event=event, by=staff, member_ids=[m.pk for m in members])  # not sent yet
    client.force_login(staff)
    response = client.get(reverse("event_rsvps:invite_progress", args=[event.pk]))
    assert response.json() == {
        "queued": 3,
        "sent": 0,
        "failed": 0,
        "total": 3,
        "waiting": 0,
        "texts": {
            "queued": 0,
            "failed": 0,
            "sent": 0,
            "delivered": 0,
            "undelivered": 0,
            "awaiting": 0,
        },
    }


def test_invite_progress_is_for_staff_only(client, member, club_event):
    event, _, _ = club_event
    client.force_login(member)
    response = client.get(reverse("event_rsvps:invite_progress", args=[event.pk]))
    assert response.status_code in (302, 403)
