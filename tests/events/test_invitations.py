"""Invitations: audiences, once per member, opted-out members skipped, links and reply address."""

import pytest
from django.core import mail

from community.models import OutboundEmail
from events.invitations import audience_members, invitation_progress, invitations_send
from events.models import Invitation
from events.tasks import invitations_send_task
from events.tokens import read_reply_address
from tests.factories import CarFactory, MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db


def test_audience_club_is_its_active_members_who_accept_invitations():
    keen, opted_out = MemberFactory(), MemberFactory(email_invitations=False)
    club = make_club(members=[keen, opted_out])
    MemberFactory()
    members, _ = audience_members(kind="club", club=club)
    assert list(members) == [keen]


def test_audience_model_owners(cooper_s):
    from tests.factories import CarModelFactory

    owner = CarFactory(car_model=cooper_s).owner
    CarFactory(car_model=CarModelFactory(name="Countryman"))
    members, _ = audience_members(kind="models", car_models=[cooper_s])
    assert list(members) == [owner]


def test_audience_pasted_emails_reports_unknown_addresses(member):
    members, unknown = audience_members(
        kind="emails", emails_text=f"{member.email.upper()}, stranger@example.com"
    )
    assert (list(members), unknown) == ([member], ["stranger@example.com"])


def test_audience_attendees_of_a_past_event_are_those_checked_in(member):
    from django.utils import timezone

    from events import services

    past = make_event("Summer run", days_ahead=-30)
    services.rsvp_respond(event=past, member=member, answer="going", by_staff=True, notify=False)
    services.rsvp_respond(
        event=past, member=MemberFactory(), answer="going", by_staff=True, notify=False
    )
    past.rsvps.filter(member=member).update(checked_in_at=timezone.now())
    members, _ = audience_members(kind="attendees", past_event=past)
    assert list(members) == [member]


def test_invitations_send_twice_invites_each_member_once(staff, django_capture_on_commit_callbacks):
    event = make_event("Quay meet")
    members = MemberFactory.create_batch(3)
    ids = [m.pk for m in members]
    with django_capture_on_commit_callbacks(execute=True):
        first = invitations_send(event=event, by=staff, member_ids=ids)
        second = invitations_send(event=event, by=staff, member_ids=ids)
    assert (first, second) == (3, 0)
    assert len([m for m in mail.outbox if m.subject == "You're invited: Quay meet"]) == 3
    progress = invitation_progress(event=event)
    assert {key: progress[key] for key in ("queued", "sent", "failed", "total", "waiting")} == {
        "queued": 0,
        "sent": 3,
        "failed": 0,
        "total": 3,
        "waiting": 0,
    }


def test_invitation_mail_has_links_reply_address_and_unsubscribe(
    member, staff, django_capture_on_commit_callbacks
):
    event = make_event("Quay meet")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_task = invitations_send_task.apply(args=(event.pk, staff.pk, [member.pk]))
    assert invitations_task.result == 1
    [message] = mail.outbox
    assert (
        "/rsvp/" in message.body
        and "?answer=going" in message.body
        and "?answer=not_going" in message.body
    )
    assert read_reply_address(message.reply_to[0]).member_id == member.pk
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_invitations_skip_members_who_opted_out(staff):
    event = make_event()
    opted_out = MemberFactory(email_invitations=False)
    assert invitations_send(event=event, by=staff, member_ids=[opted_out.pk]) == 0
    assert not Invitation.objects.exists() and not OutboundEmail.objects.exists()


def _queries_to_invite(staff, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = make_event(f"Batch of {count}")
    ids = [m.pk for m in MemberFactory.create_batch(count)]
    with CaptureQueriesContext(connection) as queries:
        assert invitations_send(event=event, by=staff, member_ids=ids) == count
    return len(queries)


def test_invitations_send_costs_the_same_queries_for_3_or_30_members(staff):
    _queries_to_invite(staff, 1)  # the first one looks up the site and the dealership's name
    assert _queries_to_invite(staff, 3) == _queries_to_invite(staff, 30)


def test_invitations_send_links_each_invitation_to_its_own_message(staff):
    event = make_event("Quay meet")
    members = MemberFactory.create_batch(4)
    invitations_send(event=event, by=staff, member_ids=[m.pk for m in members])
    pairs = {
        (i.member.email, i.message.to)
        for i in Invitation.objects.select_related("member", "message")
    }
    assert pairs == {(m.email, m.email) for m in members}


def test_invitations_send_completes_a_batch_a_dead_worker_left_half_done(staff):
    """The worker died after writing the invitation rows but before their mail: a retry mails them."""
    event = make_event("Quay meet")
    members = MemberFactory.create_batch(2)
    Invitation.objects.create(event=event, member=members[0], invited_by=staff)
    Invitation.objects.filter(event=event).update(message=None)
    invitations_send(event=event, by=staff, member_ids=[m.pk for m in members])
    assert OutboundEmail.objects.filter(kind="invitation").count() == 1


def test_invitation_html_part_has_the_three_answer_buttons(
    member, staff, django_capture_on_commit_callbacks
):
    event = make_event("Quay meet")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(event=event, by=staff, member_ids=[member.pk])
    [message] = mail.outbox
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    assert all(f"?answer={answer}" in html for answer in ("going", "maybe", "not_going"))


def test_invitation_html_escapes_the_member_name(staff, django_capture_on_commit_callbacks):
    member = MemberFactory(display_name="<b>Sam</b>")
    event = make_event("Quay meet")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(event=event, by=staff, member_ids=[member.pk])
    html = mail.outbox[0].alternatives[0][0]
    assert "&lt;b&gt;Sam&lt;/b&gt;" in html and "<b>Sam</b>" not in html
