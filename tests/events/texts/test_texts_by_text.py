"""Members' path by text: invitations texted with a short link, replies by text answered like
emailed ones (places, waitlist), STOP/START/HELP, "Which one?" with several invitations, and a
webhook that believes only Twilio's signature."""

import pytest
from django.core import mail
from django.urls import reverse

from community.models import Channel, MemberMobile
from community.texts.segments import text_segments
from community.texts.services import text_queue
from events import services
from events.invitations import audience_members, invitation_progress, invitations_send
from events.models import InboundText, Invitation, Rsvp
from events.texts import invitation_text_body, short_link_url
from events.views_links import rsvp_link_url
from tests.events.texts.conftest import MOBILE, signed_post
from tests.factories import MemberFactory, make_club, make_event

pytestmark = pytest.mark.django_db


def invited(event, member):
    Invitation.objects.create(event=event, member=member)
    return event


def bodies(twilio_api) -> list[str]:
    return [message["Body"] for message in twilio_api.messages]


def test_staff_invite_a_club_by_text_sends_the_short_link(
    client, staff, texting_member, twilio_api, django_capture_on_commit_callbacks
):
    club = make_club("Sunday Drivers", members=[texting_member])
    event = make_event("Cars & Coffee", host_club=club)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("event_rsvps:invite", args=[event.pk]),
            {"kind": "club", "club": club.pk, "action": "send"},
        )
    link = short_link_url(event=event, member=texting_member)
    [text] = twilio_api.messages
    assert text["To"] == MOBILE and link in text["Body"] and "Reply Y, Y+1 or N" in text["Body"]
    assert mail.outbox == []  # text only: no email
    short = client.get(link.split("127.0.0.1:8000", 1)[-1])
    assert short.status_code == 302 and short["Location"] == rsvp_link_url(
        event=event, member=texting_member
    )


def test_invite_screen_counts_texts_segments_and_members_without_number(
    client, staff, texting_member
):
    club = make_club("Sunday Drivers", members=[texting_member, MemberFactory()])
    event = make_event("Cars & Coffee", host_club=club)
    client.force_login(staff)
    response = client.post(
        reverse("event_rsvps:invite", args=[event.pk]),
        {"kind": "club", "club": club.pk, "action": "count"},
    )
    assert "<strong>1</strong> gets a text (1 segment); 1 has no verified number." in (
        response.content.decode()
    )


def test_reply_yes_plus_one_holds_two_places_and_is_confirmed(texting_member, text_in, twilio_api):
    event = invited(make_event("Cars & Coffee", guests_allowed=2), texting_member)
    text_in("Yes +1")
    rsvp = Rsvp.objects.get(event=event, member=texting_member)
    assert (rsvp.state, rsvp.guests, rsvp.source) == (Rsvp.State.CONFIRMED, 1, Rsvp.Source.TEXT)
    assert "2 places held" in bodies(twilio_api)[-1]


def test_reply_n_frees_the_places_and_the_waitlist_moves(texting_member, text_in):
    event = invited(make_event("Cars & Coffee", capacity=2, guests_allowed=2), texting_member)
    text_in("Y+1")
    waiting = MemberFactory()
    assert services.rsvp_respond(event=event, member=waiting, answer="going").state == (
        Rsvp.State.WAITLISTED
    )
    text_in("N")
    assert Rsvp.objects.get(event=event, member=texting_member).state == Rsvp.State.OUT
    assert Rsvp.objects.get(event=event, member=waiting).state == Rsvp.State.CONFIRMED


def test_stop_silences_every_later_text(texting_member, text_in, twilio_api):
    event = invited(make_event("Cars & Coffee"), texting_member)
    text_in("stop")
    assert MemberMobile.objects.get(member=texting_member).stopped_at is not None
    assert bodies(twilio_api) == [
        "You won't get texts from Paddock Motors any more. Reply START to resume."
    ]
    text_in("Y")
    text_in("help me")
    later = text_queue(member=texting_member, kind="invitations", body="Come!", dedupe_key="e:2")
    assert later is None and len(twilio_api.messages) == 1
    assert not Rsvp.objects.filter(event=event).exists()


def test_start_after_stop_resumes_with_one_confirmation(texting_member, text_in, twilio_api):
    text_in("STOP")
    text_in("Start")
    assert MemberMobile.objects.get(member=texting_member).stopped_at is None
    assert bodies(twilio_api)[-1].startswith("Texts from Paddock Motors are back on.")


def test_forged_webhook_gets_403_and_changes_nothing(client, texting_member, twilio_api):
    event = invited(make_event("Cars & Coffee"), texting_member)
    response = signed_post(client, body="Y", sid="SM1", signature="Zm9yZ2VkIHNpZ25hdHVyZQ==")
    assert response.status_code == 403
    assert not InboundText.objects.exists() and not Rsvp.objects.filter(event=event).exists()


def test_unsigned_webhook_gets_403(client, texting_member, twilio_api):
    assert signed_post(client, body="STOP", sid="SM1", signature="").status_code == 403
    assert MemberMobile.objects.get(member=texting_member).stopped_at is None


def test_same_message_sid_twice_is_applied_once(texting_member, text_in, twilio_api):
    invited(make_event("Cars & Coffee", guests_allowed=2), texting_member)
    first = text_in("Y", sid="SMsame")
    text_in("Y", sid="SMsame")
    assert InboundText.objects.count() == 1 and len(twilio_api.messages) == 1
    assert first["Content-Type"].startswith("text/xml") and b"<Response/>" in first.content


def test_two_open_invitations_ask_which_one_and_2_yes_answers(texting_member, text_in, twilio_api):
    coffee = invited(make_event("Cars & Coffee", days_ahead=3), texting_member)
    track = invited(make_event("Track day", days_ahead=6), texting_member)
    text_in("yes")
    assert bodies(twilio_api)[-1].startswith("Which one? 1 Cars & Coffee")
    assert " 2 Track day " in bodies(twilio_api)[-1]
    assert not Rsvp.objects.exists()
    text_in("2 yes")
    assert Rsvp.objects.get(member=texting_member).event_id == track.pk
    assert not Rsvp.objects.filter(event=coffee).exists()


def test_help_answers_with_the_showrooms_name(texting_member, text_in, twilio_api):
    text_in("HELP")
    assert bodies(twilio_api)[-1].startswith("Paddock Motors: questions?")


def test_text_not_understood_gets_one_short_help_text(texting_member, text_in, twilio_api):
    invited(make_event("Cars & Coffee"), texting_member)
    text_in("yse pls")
    assert bodies(twilio_api) == [
        "Sorry, we didn't get that. Reply Y, Y+1, N or MAYBE to your invitation, or HELP."
    ]


def test_text_from_unknown_number_changes_nothing_and_gets_no_answer(text_in, twilio_api):
    text_in("Y", number="+447700900123")
    assert InboundText.objects.get().outcome == InboundText.Outcome.UNKNOWN_NUMBER
    assert twilio_api.messages == []


def test_which_one_answered_with_a_bare_number_keeps_the_answer_given(
    texting_member, text_in, twilio_api
):
    coffee = invited(make_event("Cars & Coffee", days_ahead=3, guests_allowed=2), texting_member)
    invited(make_event("Track day", days_ahead=6), texting_member)
    text_in("Y+1")
    text_in("1")
    rsvp = Rsvp.objects.get(member=texting_member)
    assert (rsvp.event_id, rsvp.guests) == (coffee.pk, 1)
    assert "2 places held" in bodies(twilio_api)[-1]


def test_member_who_chose_both_gets_the_invitation_by_email_and_text(
    texting_member, twilio_api, django_capture_on_commit_callbacks
):
    MemberMobile.objects.filter(member=texting_member).update(invitations=Channel.BOTH)
    event = make_event("Cars & Coffee")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(event=event, by=None, member_ids=[texting_member.pk])
    assert [m.to for m in mail.outbox] == [[texting_member.email]]
    assert len(twilio_api.messages) == 1


def test_invitation_text_fits_one_gsm7_segment_even_with_a_long_title(texting_member):
    event = make_event("The Saltmouth Quay Classic and Modern Mini Owners Summer Gathering " * 2)
    body = invitation_text_body(event=event, member=texting_member)
    assert text_segments(body) == 1 and "..." in body and "/t/" in body


def test_member_who_turned_invitation_mail_off_but_chose_texts_gets_the_text_only(
    texting_member, twilio_api, django_capture_on_commit_callbacks
):
    texting_member.email_invitations = False
    texting_member.save(update_fields=["email_invitations"])
    club = make_club("Sunday Drivers", members=[texting_member])
    members, _unknown = audience_members(kind="club", club=club)
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(
            event=make_event("Cars & Coffee"), by=None, member_ids=[m.pk for m in members]
        )
    assert list(members) == [texting_member] and mail.outbox == []
    assert len(twilio_api.messages) == 1


def test_invite_progress_counts_a_text_only_invitation_as_sent_once_texted(
    texting_member, twilio_api, django_capture_on_commit_callbacks
):
    event = make_event("Cars & Coffee")
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(event=event, by=None, member_ids=[texting_member.pk])
    progress = invitation_progress(event=event)
    assert (progress["queued"], progress["sent"], progress["total"]) == (0, 1, 1)


def test_deleting_the_account_deletes_what_the_member_texted(texting_member, text_in):
    text_in("HELP")
    texting_member.delete()
    assert not InboundText.objects.exists()
