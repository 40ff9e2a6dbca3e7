"""A member's conversation with the showroom by text: staff text them as their advisor, what they
text back reaches the advisor by email, and unread texts are counted for the dashboard."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.models import Channel, ConversationMessage, MemberMobile, OutboundText
from community.texts import selectors
from community.texts.conversations import (
    BODY_MAX,
    conversation_message_receive,
    conversation_read_mark,
    conversation_text_send,
)
from community.texts.services import TextError
from tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_conversation_text_send_queues_an_advisor_text_and_records_it(owner, advisor):
    message = conversation_text_send(member=owner, body=" Your car is ready. ", by=advisor)
    text = OutboundText.objects.get()
    assert (text.kind, text.to, text.body) == ("advisor", "+447911123456", "Your car is ready.")
    assert (message.direction, message.author, message.outbound_text) == ("out", advisor, text)


def test_conversation_text_send_twice_sends_two_texts(owner, advisor):
    conversation_text_send(member=owner, body="Hello", by=advisor)
    conversation_text_send(member=owner, body="Hello", by=advisor)
    assert OutboundText.objects.count() == 2 and ConversationMessage.objects.count() == 2


def test_conversation_text_send_with_a_used_key_is_refused_as_already_sent(owner, advisor):
    conversation_text_send(member=owner, body="Ready", by=advisor, key="ready:today")
    with pytest.raises(TextError) as excinfo:
        conversation_text_send(member=owner, body="Ready", by=advisor, key="ready:today")
    assert excinfo.value.code == "already_sent"
    assert ConversationMessage.objects.count() == 1


def test_conversation_text_send_to_member_who_chose_email_is_refused_with_the_reason(
    owner, advisor
):
    MemberMobile.objects.filter(member=owner).update(advisor=Channel.EMAIL)
    with pytest.raises(TextError) as excinfo:
        conversation_text_send(member=owner, body="Hello", by=advisor)
    assert excinfo.value.code == "cannot_text"
    assert "chose email for messages from their advisor" in str(excinfo.value)
    assert not OutboundText.objects.exists() and not ConversationMessage.objects.exists()


def test_conversation_text_send_after_stop_is_refused(owner, advisor):
    MemberMobile.objects.filter(member=owner).update(stopped_at=timezone.now())
    with pytest.raises(TextError) as excinfo:
        conversation_text_send(member=owner, body="Hello", by=advisor)
    assert excinfo.value.code == "cannot_text" and "replied STOP" in str(excinfo.value)


def test_conversation_text_send_without_a_number_is_refused(member, advisor):
    with pytest.raises(TextError) as excinfo:
        conversation_text_send(member=member, body="Hello", by=advisor)
    assert "has no mobile number for texts" in str(excinfo.value)


def test_conversation_text_send_of_an_empty_text_is_refused(owner, advisor):
    with pytest.raises(TextError) as excinfo:
        conversation_text_send(member=owner, body="   ", by=advisor)
    assert excinfo.value.code == "empty" and not OutboundText.objects.exists()


def test_conversation_text_send_of_a_too_long_text_is_refused(owner, advisor):
    with pytest.raises(TextError) as excinfo:
        conversation_text_send(member=owner, body="x" * (BODY_MAX + 1), by=advisor)
    assert excinfo.value.code == "too_long" and str(BODY_MAX + 1) in str(excinfo.value)


def test_conversation_text_send_by_a_member_who_is_not_staff_is_refused(owner):
    with pytest.raises(TextError) as excinfo:
        conversation_text_send(member=owner, body="Hello", by=MemberFactory())
    assert excinfo.value.code == "not_staff" and not OutboundText.objects.exists()


def test_conversation_message_receive_emails_the_advisor_with_the_owner_card_link(
    owner, advisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = conversation_message_receive(
            member=owner, body="Is my car ready?", message_sid="SM1"
        )
    [email] = mail.outbox
    assert email.to == ["tom@dealer.example"] and email.subject == "A text from Sam Porter"
    assert "Is my car ready?" in email.body
    assert f"/admin/members/{owner.pk}/card/" in email.body
    assert (message.direction, message.read_at) == ("in", None)


def test_conversation_message_receive_while_unread_sends_no_second_email(
    owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation_message_receive(member=owner, body="Is my car ready?", message_sid="SM1")
        conversation_message_receive(member=owner, body="Also, wipers?", message_sid="SM2")
    assert len(mail.outbox) == 1 and ConversationMessage.objects.count() == 2


def test_conversation_message_receive_after_reading_emails_again(
    owner, advisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation_message_receive(member=owner, body="Is my car ready?", message_sid="SM1")
        conversation_read_mark(member=owner, by=advisor)
        conversation_message_receive(member=owner, body="Thanks!", message_sid="SM2")
    assert len(mail.outbox) == 2


def test_conversation_message_receive_without_an_advisor_emails_the_showroom(
    texting_member, settings, django_capture_on_commit_callbacks
):
    settings.SERVER_EMAIL = "showroom@dealer.example"
    with django_capture_on_commit_callbacks(execute=True):
        conversation_message_receive(member=texting_member, body="Hello?", message_sid="SM1")
    [email] = mail.outbox
    assert email.to == ["showroom@dealer.example"] and "they have no advisor yet" in email.body


def test_conversation_read_mark_marks_what_the_member_texted_read(owner, advisor):
    conversation_message_receive(member=owner, body="Is my car ready?", message_sid="SM1")
    assert conversation_read_mark(member=owner, by=advisor) == 1
    assert ConversationMessage.objects.get().read_at is not None
    assert selectors.conversation_unread_count(member=owner) == 0


def test_conversations_unread_counts_the_advisors_owners_only(owner, advisor):
    conversation_message_receive(member=owner, body="One", message_sid="SM1")
    conversation_message_receive(member=owner, body="Two", message_sid="SM2")
    someone_else = MemberFactory(advisor=StaffFactory())
    conversation_message_receive(member=someone_else, body="Hi", message_sid="SM3")
    count, owners = selectors.conversations_unread(advisor=advisor)
    assert count == 2 and [(o, o.unread) for o in owners] == [(owner, 2)]


def test_conversations_unread_of_nobody_lists_owners_without_an_advisor(owner, texting_member):
    lone = MemberFactory()
    conversation_message_receive(member=lone, body="Hi", message_sid="SM1")
    conversation_message_receive(member=owner, body="Hi", message_sid="SM2")
    count, owners = selectors.conversations_unread(advisor=None)
    assert count == 1 and owners == [lone]


def test_member_conversation_is_oldest_first(owner, advisor):
    first = conversation_message_receive(member=owner, body="Is my car ready?", message_sid="S1")
    ConversationMessage.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    conversation_text_send(member=owner, body="Yes, at 4.", by=advisor)
    assert [m.body for m in selectors.member_conversation(member=owner)] == [
        "Is my car ready?",
        "Yes, at 4.",
    ]
