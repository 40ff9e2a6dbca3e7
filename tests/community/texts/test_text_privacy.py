"""What Paddock holds about a member's texts is theirs: in their data download, shown to staff on
the owner card with the consent's wording, and gone when they delete their account."""

import json

import pytest

from community import services
from community.models import ConversationMessage, MemberMobile, MobileVerification, OutboundText
from community.texts.conversations import conversation_message_receive
from community.texts.outbox import text_enqueue
from community.texts.services import mobile_code_send

pytestmark = pytest.mark.django_db


def test_my_data_download_includes_number_and_consent(client, texting_member):
    client.force_login(texting_member)
    data = json.loads(client.get("/account/my-data/").content)
    assert data["texts"]["number"] == "+447911123456"
    assert data["texts"]["consent_wording"] == "Yes, text me."
    assert data["texts"]["consent_at"] and data["texts"]["verified_at"]
    assert data["texts"]["channels"]["invitations"] == "text"


def test_my_data_download_without_a_mobile_says_none(client, member):
    client.force_login(member)
    assert json.loads(client.get("/account/my-data/").content)["texts"] is None


def test_account_deletion_removes_number_codes_and_unsent_texts(texting_member, site_tree):
    mobile_code_send(member=texting_member, raw_number="07911 123456", site=site_tree)
    text_enqueue(kind="invitations", to="+447911123456", body="x", member=texting_member)
    services.member_delete(member=texting_member, contributions="anonymise")
    assert not MemberMobile.objects.exists()
    assert not MobileVerification.objects.exists()
    assert not OutboundText.objects.filter(to="+447911123456").exists()


def test_account_deletion_keeps_sent_texts_without_the_number(texting_member):
    text = text_enqueue(
        kind="invitations", to="+447911123456", body="Hi Sam", member=texting_member
    )
    OutboundText.objects.filter(pk=text.pk).update(status=OutboundText.Status.SENT)
    services.member_delete(member=texting_member, contributions="anonymise")
    text.refresh_from_db()
    assert (text.to, text.body, text.member_id) == ("", "", None)


def test_owner_card_shows_text_consent_with_its_wording(client, staff, texting_member):
    client.force_login(staff)
    html = client.get(f"/admin/members/{texting_member.pk}/card/").content.decode()
    assert "+447911123456" in html
    assert "Yes, text me." in html
    assert "event invitations, changes and cancellations" in html


def test_owner_card_without_a_mobile_says_so(client, staff, member):
    client.force_login(staff)
    html = client.get(f"/admin/members/{member.pk}/card/").content.decode()
    assert "No mobile number for texts." in html


def test_my_data_download_includes_the_conversation_with_the_showroom(client, texting_member):
    conversation_message_receive(member=texting_member, body="Is my car ready?", message_sid="S1")
    client.force_login(texting_member)
    data = json.loads(client.get("/account/my-data/").content)
    [message] = data["texts_with_the_showroom"]
    assert (message["from"], message["body"]) == ("you", "Is my car ready?")


def test_account_deletion_deletes_the_conversation(texting_member):
    conversation_message_receive(member=texting_member, body="Is my car ready?", message_sid="S1")
    services.member_delete(member=texting_member, contributions="anonymise")
    assert not ConversationMessage.objects.exists()
