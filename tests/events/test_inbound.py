"""Replies by email: recorded like a web answer; loops, forgeries and repeats change nothing."""

import smtplib
import socket
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.core import mail

from events.inbound import handle_inbound
from events.models import InboundMessage, Rsvp
from events.tokens import reply_address
from tests.factories import MemberFactory, make_event

pytestmark = pytest.mark.django_db


def reply(event, member, text, *, sender=None, message_id="<r1@mail.example.com>", **headers):
    message = EmailMessage()
    message["From"] = f"{member.display_name} <{sender or member.email}>"
    message["To"] = reply_address(event_id=event.pk, member_id=member.pk)
    message["Subject"] = f"Re: You're invited: {event.title}"
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(
        text + "\n\nOn Tue, 1 Dec 2026, Harbourside MINI wrote:\n> You're invited!\n"
    )
    return message


def test_reply_yes_plus_one_records_rsvp_for_two(member):
    event = make_event(guests_allowed=2)
    record = handle_inbound(reply(event, member, "Yes! +1"))
    rsvp = Rsvp.objects.get(member=member)
    assert (record.outcome, rsvp.state, rsvp.guests, rsvp.source) == (
        "applied",
        "confirmed",
        1,
        "email",
    )


def test_reply_cant_make_it_records_not_going_and_answers(
    member, django_capture_on_commit_callbacks
):
    event = make_event("Quay meet")
    with django_capture_on_commit_callbacks(execute=True):
        handle_inbound(reply(event, member, "Sorry, can't make it"))
    assert Rsvp.objects.get(member=member).answer == "not_going"
    assert mail.outbox[-1].subject == "Noted: not going for Quay meet"


def test_reply_not_understood_gets_help_and_changes_nothing(
    member, django_capture_on_commit_callbacks
):
    event = make_event("Quay meet")
    with django_capture_on_commit_callbacks(execute=True):
        record = handle_inbound(reply(event, member, "What time does the coffee van arrive?"))
    assert record.outcome == "not_understood" and not Rsvp.objects.exists()
    assert mail.outbox[-1].subject == "We couldn't read your answer for Quay meet"


def test_reply_out_of_office_changes_nothing_and_gets_no_answer(
    member, django_capture_on_commit_callbacks
):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        record = handle_inbound(reply(event, member, "Yes", Auto_Submitted="auto-replied"))
    assert record.outcome == "auto_reply" and not Rsvp.objects.exists() and mail.outbox == []


def test_reply_from_another_address_changes_nothing_and_gets_no_answer(
    member, django_capture_on_commit_callbacks
):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        record = handle_inbound(reply(event, member, "Yes", sender="impostor@example.com"))
    assert record.outcome == "wrong_sender" and not Rsvp.objects.exists() and mail.outbox == []


def test_reply_with_repeated_message_id_changes_nothing(member):
    event = make_event(guests_allowed=2)
    handle_inbound(reply(event, member, "yes"))
    assert handle_inbound(reply(event, member, "yes +2")) is None
    assert Rsvp.objects.get(member=member).guests == 0
    assert InboundMessage.objects.count() == 1


def test_reply_to_forged_address_changes_nothing(member):
    event = make_event()
    message = reply(event, member, "yes")
    message.replace_header(
        "To", reply_address(event_id=event.pk, member_id=member.pk).replace("rsvp+", "rsvp+z")
    )
    assert handle_inbound(message).outcome == "unknown_address"
    assert not Rsvp.objects.exists()


def test_reply_after_deadline_is_explained(member, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    event = make_event("Quay meet", rsvp_deadline=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        record = handle_inbound(reply(event, member, "yes"))
    assert record.outcome == "refused" and "deadline" in mail.outbox[-1].body


def test_calendar_accept_records_going(member):
    from events.ical import invite_ics

    event = make_event()
    rsvp = Rsvp(event=event, member=member, answer="maybe")
    invite = invite_ics(
        rsvp=rsvp, organizer_email=reply_address(event_id=event.pk, member_id=member.pk)
    )
    accepted = (
        invite.decode()
        .replace("METHOD:REQUEST", "METHOD:REPLY")
        .replace("PARTSTAT=TENTATIVE", "PARTSTAT=ACCEPTED")
    )
    message = reply(event, member, "Accepted")
    message.add_attachment(
        accepted.encode(), maintype="text", subtype="calendar", params={"method": "REPLY"}
    )
    handle_inbound(message)
    assert Rsvp.objects.get(member=member).answer == "going"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_invite_club_reply_yes_plus_one_over_smtp_confirms_with_ics_and_a_move_sends_higher_sequence(
    site_tree, smtp_server, settings
):
    from icalendar import Calendar

    from events.gateway import gateway_controller
    from events.invitations import audience_members, invitations_send
    from tests.factories import StaffFactory, make_club

    settings.PADDOCK_INBOUND_DOMAIN = "reply.paddock.test"
    member = MemberFactory(email="sam@example.com")
    club = make_club("Sunday Drivers", members=[member])
    event = make_event("Quay meet", guests_allowed=1, host_club=club)
    members, _ = audience_members(kind="club", club=club)  # staff invite the club
    invitations_send(event=event, by=StaffFactory(), member_ids=[m.pk for m in members])
    invitation = smtp_server.wait_for_message(lambda m: m.subject == "You're invited: Quay meet")
    answer = reply(event, member, "Yes +1")
    answer.replace_header("To", invitation.message["Reply-To"])
    port = free_port()
    controller = gateway_controller(host="127.0.0.1", port=port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.send_message(answer)
            with pytest.raises(smtplib.SMTPRecipientsRefused):  # never an open relay
                client.sendmail(
                    "a@example.com", ["someone@elsewhere.example"], b"Subject: x\r\n\r\nhi"
                )
    finally:
        controller.stop()
    rsvp = Rsvp.objects.get(member=member)
    assert (rsvp.state, rsvp.places) == ("confirmed", 2)
    received = smtp_server.wait_for_message(lambda m: m.subject == "You're going: Quay meet")
    calendar = next(p for p in received.message.walk() if p.get_content_type() == "text/calendar")
    vevent = Calendar.from_ical(calendar.get_content()).walk("VEVENT")[0]
    assert str(vevent["UID"]).startswith(f"event-{event.pk}-member-{member.pk}@")
    assert vevent.decoded("DTSTART") == event.start
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert int(vevent["SEQUENCE"]) == event.sequence
    first_sequence = int(vevent["SEQUENCE"])

    event.save_revision().publish()  # staff move the event an hour
    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    event.save_revision().publish()
    update = smtp_server.wait_for_message(lambda m: m.subject == "Changed: Quay meet")
    calendar = next(p for p in update.message.walk() if p.get_content_type() == "text/calendar")
    moved = Calendar.from_ical(calendar.get_content()).walk("VEVENT")[0]
    assert int(moved["SEQUENCE"]) > first_sequence
    assert moved.decoded("DTSTART") == event.start and str(moved["UID"]) == str(vevent["UID"])
