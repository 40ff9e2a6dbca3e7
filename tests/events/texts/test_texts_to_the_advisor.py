"""A member's text that is not an RSVP reaches their advisor: it lands in the conversation on the
owner card, the advisor is emailed, and the member is thanked once in a while; what looks like a
failed answer to an invitation still gets the short help text."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.models import ConversationMessage
from community.texts.conversations import conversation_text_send
from events.models import InboundText, Invitation, Rsvp
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def bodies(twilio_api) -> list[str]:
    return [message["Body"] for message in twilio_api.messages]


def test_question_lands_in_the_conversation_and_the_member_is_thanked(owner, text_in, twilio_api):
    text_in("Is my car ready?")
    message = ConversationMessage.objects.get()
    assert (message.member, message.direction, message.body) == (owner, "in", "Is my car ready?")
    assert InboundText.objects.get().outcome == InboundText.Outcome.CONVERSATION
    assert bodies(twilio_api) == [
        "Thanks, Tom at Paddock Motors has your message and will reply soon."
    ]


def test_question_emails_the_advisor(owner, text_in):
    text_in("Is my car ready?")
    [email] = [m for m in mail.outbox if m.to == ["tom@dealer.example"]]
    assert "Is my car ready?" in email.body and f"/admin/members/{owner.pk}/card/" in email.body


def test_second_text_within_hours_is_not_thanked_again(owner, text_in, twilio_api):
    text_in("Is my car ready?")
    text_in("And could you check the wipers")
    assert ConversationMessage.objects.count() == 2 and len(twilio_api.messages) == 1


def test_question_with_an_open_invitation_goes_to_the_advisor_not_the_rsvp(
    owner, text_in, twilio_api
):
    event = make_event("Cars & Coffee")
    Invitation.objects.create(event=event, member=owner)
    text_in("what time is parking open?")
    assert ConversationMessage.objects.get().body == "what time is parking open?"
    assert not Rsvp.objects.filter(event=event).exists()


def test_short_reply_after_staff_texted_goes_to_the_conversation(owner, advisor, text_in):
    conversation_text_send(member=owner, body="Your car is ready.", by=advisor)
    text_in("ok")
    record = InboundText.objects.get()
    assert record.outcome == InboundText.Outcome.CONVERSATION
    assert ConversationMessage.objects.filter(direction="in", body="ok").exists()


def test_yes_with_no_invitation_is_still_told_there_is_none(owner, text_in, twilio_api):
    text_in("yes")
    assert InboundText.objects.get().outcome == InboundText.Outcome.NO_INVITATION
    assert not ConversationMessage.objects.exists()
    assert bodies(twilio_api)[-1].startswith("You have no invitation waiting")


def test_long_text_reading_as_yes_with_no_invitation_goes_to_the_advisor(owner, text_in):
    text_in("Yes please, can you book my car in for Tuesday?")
    assert InboundText.objects.get().outcome == InboundText.Outcome.CONVERSATION
    assert ConversationMessage.objects.get().body.startswith("Yes please")


def test_text_after_stop_does_not_reach_the_conversation(owner, text_in):
    text_in("STOP")
    text_in("Is my car ready?")
    assert InboundText.objects.order_by("received_at")[1].outcome == InboundText.Outcome.SILENT
    assert not ConversationMessage.objects.exists()


def test_text_from_member_without_advisor_thanks_for_the_team(texting_member, text_in, twilio_api):
    text_in("Can someone call me back")
    assert bodies(twilio_api) == [
        "Thanks, the team at Paddock Motors has your message and will reply soon."
    ]


def test_thanks_again_after_the_quiet_spell(owner, text_in, twilio_api, settings):
    text_in("Is my car ready?")
    ConversationMessage.objects.update(created_at=timezone.now() - timedelta(hours=13))
    text_in("Is it ready now?")
    assert len(twilio_api.messages) == 2


def test_ok_after_staff_texted_with_an_open_invitation_goes_to_the_advisor_not_the_rsvp(
    owner, advisor, text_in
):
    event = make_event("Cars & Coffee")
    Invitation.objects.create(event=event, member=owner)
    conversation_text_send(member=owner, body="Your car is ready.", by=advisor)
    text_in("ok")
    assert InboundText.objects.get().outcome == InboundText.Outcome.CONVERSATION
    assert not Rsvp.objects.filter(event=event).exists()


def test_y_after_staff_texted_still_answers_the_open_invitation(owner, advisor, text_in):
    event = make_event("Cars & Coffee")
    Invitation.objects.create(event=event, member=owner)
    conversation_text_send(member=owner, body="Your car is ready.", by=advisor)
    text_in("Y")
    assert Rsvp.objects.get(event=event, member=owner).answer == Rsvp.Answer.GOING
    assert not ConversationMessage.objects.filter(direction="in").exists()
