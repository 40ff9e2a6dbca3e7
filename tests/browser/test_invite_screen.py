"""Staff invite a club from the admin in Chromium: count, test to myself, send; the progress
updates by itself while the background work sends, and each member's mailbox gets one invitation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import admin_log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def invite_setup(site_tree):
    from tests.factories import MemberFactory, StaffFactory, make_club, make_event

    members = MemberFactory.create_batch(3)
    club = make_club("Sunday Drivers", members=members)
    event = make_event("Dawn run", host_club=club)
    staff = StaffFactory(is_superuser=True)
    return event, members, staff


def test_staff_count_test_and_send_a_club_invitation_that_reaches_each_member_once(
    page, live_server, smtp_server, invite_setup
):
    event, members, staff = invite_setup
    admin_log_in(page, live_server.url, staff)
    page.goto(f"{live_server.url}{reverse('event_rsvps:invite', args=[event.pk])}")
    expect(page.get_by_label("Members of a club")).to_be_checked()  # the host club is proposed

    page.get_by_role("button", name="Count who will receive it").click()
    expect(page.get_by_text("3 members match")).to_be_visible()
    page.get_by_role("button", name="Send a test to me").click()
    expect(page.get_by_text(f"A test invitation is on its way to {staff.email}")).to_be_visible()
    page.get_by_role("button", name="Send the invitations").click()
    page.get_by_role("button", name="Send the invitations").click()  # pressed twice

    for member in members:
        smtp_server.wait_for_message(
            lambda m, email=member.email: email in m.envelope_to and "Dawn run" in m.subject
        )
    expect(page.locator("[data-progress='sent']")).to_have_text("3")
    invitations = [m for m in smtp_server.messages if m.subject == "You're invited: Dawn run"]
    assert sorted(m.envelope_to[0] for m in invitations) == sorted(m.email for m in members)


def test_invite_progress_updates_without_reloading_while_mail_goes_out(
    page, live_server, invite_setup, monkeypatch
):
    from community import outbox
    from community.models import OutboundEmail
    from events.invitations import invitations_send

    event, members, staff = invite_setup
    monkeypatch.setattr(outbox, "_dispatch_batches", lambda ids: None)  # the worker is slow today
    invitations_send(event=event, by=staff, member_ids=[m.pk for m in members])
    admin_log_in(page, live_server.url, staff)
    page.goto(f"{live_server.url}{reverse('event_rsvps:invite', args=[event.pk])}")
    expect(page.locator("[data-progress='queued']")).to_have_text("3")

    outbox.outbox_send_many(message_ids=list(OutboundEmail.objects.values_list("pk", flat=True)))
    expect(page.locator("[data-progress='sent']")).to_have_text("3")
    expect(page.locator("[data-progress='queued']")).to_have_text("0")
    expect(page.get_by_text("All invitations have been handed to the mail server.")).to_be_visible()
