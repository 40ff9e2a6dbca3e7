"""Staff and an owner by text: the conversation on the owner card, texting from it, the
dashboard's unread count, and the lounge's "Text when the car is ready"."""

from datetime import time

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import (
    Appointment,
    Channel,
    ConversationMessage,
    LoungeImport,
    MemberMobile,
    OutboundText,
)
from community.texts.conversations import BODY_MAX, conversation_message_receive
from staff.dashboard import OwnerTextsPanel
from tests.factories import CarFactory, MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisor(db):
    return StaffFactory(display_name="Tom Okafor", email="tom@dealer.example")


def textable(member, advisor):
    MemberMobile.objects.create(
        member=member,
        number="+447911123456",
        verified_at=timezone.now(),
        consent_at=timezone.now(),
        consent_wording="Yes, text me.",
        advisor=Channel.TEXT,
    )
    member.advisor = advisor
    member.save(update_fields=["advisor"])
    return member


@pytest.fixture
def owner(cooper_s, advisor):
    sam = MemberFactory(display_name="Sam Porter")
    CarFactory(owner=sam, car_model=cooper_s, registration="KB21 XYZ", year=2018)
    return textable(sam, advisor)


def card(client, member) -> str:
    return client.get(reverse("staff:owner_card", args=[member.pk])).content.decode()


def in_lounge(member, car=None):
    batch = LoungeImport.objects.create(day=timezone.localdate(), filename="x.csv", source="")
    return Appointment.objects.create(
        day=timezone.localdate(),
        time=time(9, 30),
        customer_name=member.display_name,
        member=member,
        car=car,
        fingerprint=f"fp{member.pk}",
        batch=batch,
        line=2,
    )


def test_owner_card_shows_the_conversation_both_ways(client, advisor, owner):
    conversation_message_receive(member=owner, body="Is my car ready?", message_sid="SM1")
    client.force_login(advisor)
    client.post(reverse("staff:owner_text", args=[owner.pk]), {"body": "Yes, from 4pm."})
    html = card(client, owner)
    assert html.index("Is my car ready?") < html.index("Yes, from 4pm.")
    assert 'data-direction="in"' in html and 'data-direction="out"' in html


def test_opening_the_owner_card_marks_the_owners_texts_read(client, advisor, owner):
    conversation_message_receive(member=owner, body="Is my car ready?", message_sid="SM1")
    client.force_login(advisor)
    assert "crm-badge--new" in card(client, owner)  # shown as new this once
    assert ConversationMessage.objects.get().read_at is not None
    assert "crm-badge--new" not in card(client, owner)


def test_owner_card_text_form_queues_the_text(client, advisor, owner):
    client.force_login(advisor)
    response = client.post(
        reverse("staff:owner_text", args=[owner.pk]), {"body": "Your car is ready."}
    )
    assert response.status_code == 302 and response["Location"].endswith("#conversation")
    text = OutboundText.objects.get()
    assert (text.kind, text.to, text.body) == ("advisor", "+447911123456", "Your car is ready.")
    assert ConversationMessage.objects.get().author == advisor


def test_owner_card_text_too_long_is_refused_keeping_what_was_typed(client, advisor, owner):
    client.force_login(advisor)
    typed = "Long news. " * 50
    response = client.post(reverse("staff:owner_text", args=[owner.pk]), {"body": typed})
    html = response.content.decode()
    assert response.status_code == 400 and f"at most {BODY_MAX} characters" in html
    assert typed.strip() in html and not OutboundText.objects.exists()


def test_owner_card_empty_text_is_refused(client, advisor, owner):
    client.force_login(advisor)
    response = client.post(reverse("staff:owner_text", args=[owner.pk]), {"body": " "})
    assert response.status_code == 400 and "Type the text to send." in response.content.decode()


def test_owner_card_text_form_is_disabled_with_the_reason(client, advisor, member):
    client.force_login(advisor)
    html = card(client, member)
    assert "has no mobile number for texts." in html
    assert "disabled" in html.split('id="id_body"', 1)[1].split(">", 1)[0]


def test_owner_card_text_is_for_staff_only(client, owner, member):
    client.force_login(member)
    response = client.post(reverse("staff:owner_text", args=[owner.pk]), {"body": "Hi"})
    assert response.status_code in (302, 403) and not OutboundText.objects.exists()


def render_texts_panel(user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    return OwnerTextsPanel().render_html({"request": request})


def test_dashboard_counts_unread_texts_from_the_advisors_owners(advisor, owner):
    conversation_message_receive(member=owner, body="One", message_sid="SM1")
    conversation_message_receive(member=owner, body="Two", message_sid="SM2")
    html = render_texts_panel(advisor)
    assert "Texts from your owners: <strong data-count>2</strong> unread" in html
    assert reverse("staff:owner_card", args=[owner.pk]) in html


def test_dashboard_text_count_runs_a_fixed_number_of_queries(advisor, cooper_s):
    def world(n):
        for i in range(n):
            member = textable(MemberFactory(), advisor) if i == 0 else MemberFactory()
            conversation_message_receive(member=member, body="Hi", message_sid=f"S{n}-{i}")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            render_texts_panel(advisor)
        return len(captured)

    world(2)
    few = queries()
    world(12)
    assert queries() == few


def test_lounge_ready_text_names_the_car_and_shows_when_it_went(client, advisor, owner):
    in_lounge(owner, car=owner.cars.get())
    client.force_login(advisor)
    response = client.post(reverse("staff:lounge_ready_text", args=[owner.pk]), follow=True)
    text = OutboundText.objects.get()
    assert text.body == "Paddock Motors: your MINI Cooper S (KB21 XYZ) is ready for collection."
    assert f"Texted at {timezone.localtime(text.created_at):%H:%M}" in response.content.decode()


def test_lounge_ready_text_goes_once_a_day(client, advisor, owner):
    in_lounge(owner)
    client.force_login(advisor)
    client.post(reverse("staff:lounge_ready_text", args=[owner.pk]))
    response = client.post(reverse("staff:lounge_ready_text", args=[owner.pk]), follow=True)
    assert OutboundText.objects.count() == 1
    assert "was sent this text already" in response.content.decode()


def test_lounge_shows_why_an_owner_cannot_be_texted(client, advisor, member):
    in_lounge(member)
    client.force_login(advisor)
    html = client.get(reverse("staff:lounge")).content.decode()
    assert "No “ready” text:" in html and "has no mobile number for texts." in html
    assert "Text when the car is ready" not in html


def test_lounge_ready_text_for_someone_not_in_the_lounge_is_refused(client, advisor, owner):
    client.force_login(advisor)
    response = client.post(reverse("staff:lounge_ready_text", args=[owner.pk]), follow=True)
    assert "has no appointment today" in response.content.decode()
    assert not OutboundText.objects.exists()
