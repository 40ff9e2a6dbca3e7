"""Every change of an RSVP gets the member exactly one answer mail, with the calendar entry they
should now hold: an updated invite, a tentative one for the waitlist or a maybe, or a cancel.
Stale calendar replies change nothing. Mail is followed through the real outbox (sent after
commit) into ``mail.outbox``.
"""

from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from events import services
from events.inbound import handle_inbound
from events.models import InboundMessage, Rsvp
from events.tokens import reply_address, rsvp_link_token
from tests.factories import CarFactory, MemberFactory, make_event

pytestmark = pytest.mark.django_db

_ids = iter(range(1, 10_000))


def reply(event, member, text):
    """A member's written reply to their invitation, quoting it below."""
    message = EmailMessage()
    message["From"] = f"{member.display_name} <{member.email}>"
    message["To"] = reply_address(event_id=event.pk, member_id=member.pk)
    message["Subject"] = f"Re: You're going: {event.title}"
    message["Message-ID"] = f"<answer-{next(_ids)}@mail.example.com>"
    message.set_content(text + "\n\nOn Tue, 1 Dec 2026, Harbourside MINI wrote:\n> Hello\n")
    return message


def calendar_reply(event, member, *, partstat: str, sequence: int):
    """What a calendar app sends when the member presses Accept / Maybe / Decline."""
    from events.ical import invitation_uid

    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar//EN\r\n"
        "METHOD:REPLY\r\nBEGIN:VEVENT\r\n"
        f"UID:{invitation_uid(event=event, member=member)}\r\n"
        f"SEQUENCE:{sequence}\r\nDTSTAMP:20261201T100000Z\r\n"
        f"ATTENDEE;PARTSTAT={partstat}:mailto:{member.email}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    message = reply(event, member, "Accepted" if partstat == "ACCEPTED" else "Declined")
    message.add_attachment(
        ics.encode(), maintype="text", subtype="calendar", params={"method": "REPLY"}
    )
    return message


def calendar_of(message):
    """(METHOD, the VEVENT) of the calendar part a mail carries, or None without one."""
    parts = [c for c, mimetype in message.alternatives if mimetype.startswith("text/calendar")]
    if not parts:
        return None
    [data] = parts
    calendar = Calendar.from_ical(data)
    return str(calendar["METHOD"]), calendar.walk("VEVENT")[0]


def partstat(vevent) -> str:
    return vevent.attendees[0].params["PARTSTAT"]


@pytest.fixture
def answered(django_capture_on_commit_callbacks):
    """Run ``action`` and return the mails it sent (after commit, through the outbox)."""

    def run(action):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return mail.outbox[before:]

    return run


def going(event, member, guests=0, **kwargs):
    return services.rsvp_respond(
        event=event, member=member, answer="going", guests=guests, **kwargs
    )


# --- Replies by email that change a "going" -------------------------------------------------


def test_going_member_replying_plus_one_gets_one_confirmation_for_two(member, answered):
    event = make_event("Quay meet", guests_allowed=2)
    going(event, member)
    [message] = answered(lambda: handle_inbound(reply(event, member, "+1")))
    assert message.subject == "You're going: Quay meet" and "with 1 guest" in message.body
    assert Rsvp.objects.get(member=member).places == 2


def test_going_member_replying_yes_plus_two_gets_an_updated_invite(member, answered):
    event = make_event("Quay meet", guests_allowed=2)
    [first] = answered(lambda: going(event, member))
    [update] = answered(lambda: handle_inbound(reply(event, member, "yes +2")))
    method, vevent = calendar_of(update)
    assert (method, partstat(vevent)) == ("REQUEST", "ACCEPTED")
    assert vevent["UID"] == calendar_of(first)[1]["UID"]
    assert int(vevent["SEQUENCE"]) > int(calendar_of(first)[1]["SEQUENCE"])


def test_going_member_replying_just_me_after_all_is_answered_for_one_place(member, answered):
    event = make_event("Quay meet", guests_allowed=2)
    going(event, member, guests=1)
    [message] = answered(lambda: handle_inbound(reply(event, member, "yes, just me after all")))
    assert message.subject == "You're going: Quay meet" and "guest" not in message.body
    assert Rsvp.objects.get(member=member).places == 1


def test_written_reply_that_changes_nothing_is_still_answered_once(member, answered):
    event = make_event("Quay meet")
    going(event, member)
    sent = answered(lambda: handle_inbound(reply(event, member, "Yes!")))
    assert [m.subject for m in sent] == ["You're going: Quay meet"]


def test_reply_yes_me_and_my_wife_confirms_with_one_guest(member, answered):
    event = make_event("Quay meet", guests_allowed=2)
    [message] = answered(lambda: handle_inbound(reply(event, member, "yes, me and my wife")))
    assert Rsvp.objects.get(member=member).guests == 1 and "with 1 guest" in message.body


def test_reply_give_me_and_my_mates_a_shout_is_not_read_as_an_answer(member, answered):
    event = make_event("Quay meet")
    [message] = answered(
        lambda: handle_inbound(reply(event, member, "Give me and my mates a shout next time"))
    )
    assert not Rsvp.objects.exists()
    assert message.subject == "We couldn't read your answer for Quay meet"


def test_reply_maybe_plus_one_keeps_its_guest(member, answered):
    event = make_event("Quay meet", guests_allowed=2)
    [message] = answered(lambda: handle_inbound(reply(event, member, "Maybe +1")))
    rsvp = Rsvp.objects.get(member=member)
    assert (rsvp.answer, rsvp.guests) == ("maybe", 1)
    assert message.subject == "Noted: maybe for Quay meet"


def test_reply_yes_after_maybe_plus_one_goes_with_the_guest(member):
    event = make_event("Quay meet", guests_allowed=2)
    handle_inbound(reply(event, member, "Maybe +1"))
    handle_inbound(reply(event, member, "yes"))
    rsvp = Rsvp.objects.get(member=member)
    assert (rsvp.state, rsvp.places) == ("confirmed", 2)


def test_maybe_answer_carries_a_tentative_invite(member, answered):
    event = make_event("Quay meet")
    [message] = answered(lambda: services.rsvp_respond(event=event, member=member, answer="maybe"))
    method, vevent = calendar_of(message)
    assert (method, partstat(vevent)) == ("REQUEST", "TENTATIVE")


# --- Going to "not going" --------------------------------------------------------------------


def test_web_change_from_going_to_not_going_sends_one_cancel(client, member, answered):
    event = make_event("Quay meet")
    [confirmation] = answered(lambda: going(event, member))
    client.force_login(member)
    [message] = answered(
        lambda: client.post(reverse("events:rsvp", args=[event.pk]), {"answer": "not_going"})
    )
    method, vevent = calendar_of(message)
    assert method == "CANCEL" and str(vevent["STATUS"]) == "CANCELLED"
    accepted = calendar_of(confirmation)[1]
    assert vevent["UID"] == accepted["UID"]
    assert int(vevent["SEQUENCE"]) > int(accepted["SEQUENCE"])


def test_decline_clears_the_guests_and_car(member):
    event = make_event(guests_allowed=2)
    going(event, member, guests=2, car=CarFactory(owner=member))
    services.rsvp_respond(event=event, member=member, answer="not_going")
    rsvp = Rsvp.objects.get(member=member)
    assert (rsvp.guests, rsvp.car_id) == (0, None)


def test_first_answer_not_going_is_noted_without_a_calendar(member, answered):
    event = make_event("Quay meet")
    [message] = answered(
        lambda: services.rsvp_respond(event=event, member=member, answer="not_going")
    )
    assert message.subject == "Noted: not going for Quay meet" and calendar_of(message) is None


def test_going_again_after_a_cancel_is_invited_with_a_higher_sequence(member, answered):
    event = make_event("Quay meet")
    going(event, member)
    [cancel] = answered(
        lambda: services.rsvp_respond(event=event, member=member, answer="not_going")
    )
    [invite] = answered(lambda: going(event, member))
    method, vevent = calendar_of(invite)
    assert (method, partstat(vevent)) == ("REQUEST", "ACCEPTED")
    assert int(vevent["SEQUENCE"]) > int(calendar_of(cancel)[1]["SEQUENCE"])


def test_unchanged_web_answer_sends_no_second_mail(client, member, answered):
    event = make_event("Quay meet")
    client.force_login(member)
    url = reverse("events:rsvp", args=[event.pk])
    answered(lambda: client.post(url, {"answer": "going"}))
    assert answered(lambda: client.post(url, {"answer": "going"})) == []


def test_one_click_link_change_is_answered_once(client, member, answered):
    event = make_event("Quay meet")
    going(event, member)
    url = reverse(
        "events:rsvp_link", args=[rsvp_link_token(event_id=event.pk, member_id=member.pk)]
    )
    [message] = answered(lambda: client.post(f"{url}?answer=maybe", {"answer": "maybe"}))
    assert message.subject == "Noted: maybe for Quay meet"
    assert partstat(calendar_of(message)[1]) == "TENTATIVE"


def test_leaving_the_waitlist_sends_a_cancel(member, answered):
    event = make_event("Quay meet", capacity=0)
    going(event, member)
    [message] = answered(lambda: services.waitlist_leave(event=event, member=member))
    assert calendar_of(message)[0] == "CANCEL"


def test_staff_removing_an_rsvp_sends_the_member_a_cancel(admin_client, member, answered):
    event = make_event("Quay meet")
    rsvp = going(event, member)
    [message] = answered(lambda: admin_client.post(reverse("event_rsvps:delete", args=[rsvp.pk])))
    assert message.to == [member.email] and message.subject == "Your RSVP was removed: Quay meet"
    assert calendar_of(message)[0] == "CANCEL"


# --- Calendar replies -----------------------------------------------------------------------


def test_calendar_reply_to_an_older_invite_changes_nothing(member, answered):
    event = make_event("Quay meet", guests_allowed=1)
    going(event, member)  # invite SEQUENCE 0
    handle_inbound(reply(event, member, "+1"))  # updated invite, SEQUENCE 1
    sent = answered(
        lambda: handle_inbound(calendar_reply(event, member, partstat="DECLINED", sequence=0))
    )
    assert sent == [] and Rsvp.objects.get(member=member).state == "confirmed"
    assert InboundMessage.objects.latest("received_at").outcome == "stale"


def test_calendar_reply_to_the_current_invite_is_applied_and_answered_once(member, answered):
    event = make_event("Quay meet")
    going(event, member)
    current = Rsvp.objects.get(member=member).invite_sequence
    [message] = answered(
        lambda: handle_inbound(calendar_reply(event, member, partstat="DECLINED", sequence=current))
    )
    assert Rsvp.objects.get(member=member).answer == "not_going"
    assert calendar_of(message)[0] == "CANCEL"


def test_calendar_reply_older_than_a_moved_event_changes_nothing(member):
    event = make_event("Quay meet")
    event.save_revision().publish()
    going(event, member)
    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    event.save_revision().publish()  # the update carries SEQUENCE 1
    handle_inbound(calendar_reply(event, member, partstat="DECLINED", sequence=0))
    assert Rsvp.objects.get(member=member).state == "confirmed"


# --- The waitlist never holds an accepted invite ---------------------------------------------


def test_waitlisted_answer_carries_a_tentative_invite(member, answered):
    event = make_event("Quay meet", capacity=0)
    [message] = answered(lambda: going(event, member))
    assert message.subject == "You're on the waitlist: Quay meet"
    assert partstat(calendar_of(message)[1]) == "TENTATIVE"


def test_event_move_sends_the_waitlist_no_accepted_invite(member, answered):
    event = make_event("Quay meet", capacity=0)
    event.save_revision().publish()
    going(event, member)
    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    [update] = answered(lambda: event.save_revision().publish())
    assert update.subject == "Changed: Quay meet"
    method, vevent = calendar_of(update)
    assert (method, partstat(vevent)) == ("REQUEST", "TENTATIVE")


def test_promotion_carries_an_accepted_invite(member, answered):
    event = make_event("Quay meet", capacity=1)
    first = MemberFactory()
    going(event, first)
    going(event, member)
    sent = answered(lambda: services.rsvp_respond(event=event, member=first, answer="not_going"))
    [promoted] = [m for m in sent if m.to == [member.email]]
    assert promoted.subject == "A place is yours: Quay meet"
    assert partstat(calendar_of(promoted)[1]) == "ACCEPTED"


# --- Through a real SMTP server ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_going_member_replying_plus_one_receives_one_updated_invite_over_smtp(
    site_tree, smtp_server
):
    member = MemberFactory(email="sam@example.com")
    event = make_event("Quay meet", guests_allowed=1)
    going(event, member)
    first = smtp_server.wait_for_message(lambda m: m.subject == "You're going: Quay meet")
    handle_inbound(reply(event, member, "+1"))
    smtp_server.wait_for_message(lambda m: len(smtp_server.messages) >= 2)
    answers = [m for m in smtp_server.messages if m is not first]
    assert [m.subject for m in answers] == ["You're going: Quay meet"]

    def sequence(received):
        part = next(p for p in received.message.walk() if p.get_content_type() == "text/calendar")
        return int(Calendar.from_ical(part.get_content()).walk("VEVENT")[0]["SEQUENCE"])

    assert sequence(answers[0]) > sequence(first)
