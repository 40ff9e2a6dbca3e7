"""What members text the showroom: in their data download, forgotten with their number; texts
from strangers forgotten after 30 days; staff read them under Events → Texts received; HELP
answers for the showroom whose number was texted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from twilio.request_validator import RequestValidator

from community import selectors
from community.texts.services import mobile_forget
from events.models import InboundText
from events.text_replies import inbound_texts_of_strangers_forget
from tests.events.texts.conftest import MOBILE, TOKEN
from tests.sites.conftest import build_showroom

pytestmark = pytest.mark.django_db


def test_data_download_lists_what_the_member_texted(texting_member, text_in):
    text_in("HELP")
    exported = selectors.member_export(member=texting_member)["texts_received_from_you"]
    assert [(t["body"], t["from"]) for t in exported] == [("HELP", MOBILE)]


def test_removing_the_number_forgets_what_the_member_texted(texting_member, text_in):
    text_in("HELP")
    mobile_forget(member=texting_member)
    assert not InboundText.objects.exists()


def test_text_from_a_stranger_is_forgotten_after_30_days(text_in):
    with freeze_time(timezone.now() - timedelta(days=31)):
        text_in("Who is this?", number="+447700900123")
    text_in("Hello?", number="+447700900124")
    assert inbound_texts_of_strangers_forget() == 1
    assert list(InboundText.objects.values_list("body", flat=True)) == ["Hello?"]


def test_old_text_from_a_member_is_kept(texting_member, text_in):
    with freeze_time(timezone.now() - timedelta(days=31)):
        text_in("HELP")
    assert inbound_texts_of_strangers_forget() == 0


def test_texts_received_screen_lists_texts_for_staff(client, staff, texting_member, text_in):
    text_in("Is my car ready?")
    client.force_login(staff)
    response = client.get(reverse("texts_received:index"))
    assert response.status_code == 200 and "Is my car ready?" in response.content.decode()


def test_texts_received_screen_is_for_staff_only(client, texting_member):
    client.force_login(texting_member)
    response = client.get(reverse("texts_received:index"))
    assert response.status_code in (302, 403)


def test_damaged_short_link_shows_the_not_found_page(client):
    response = client.get(reverse("events:text_short_link", args=["12.34.damaged"]))
    assert response.status_code == 404
    assert "<html" in response.content.decode().lower()


def test_help_names_the_showroom_whose_number_was_texted(
    client, texting_member, twilio_api, django_capture_on_commit_callbacks
):
    build_showroom(
        host="north.test", name="Northgate MINI", colour="#0b4f6c", sender="e@north.test", place="N"
    )
    path = reverse("events:text_inbound")
    form = {"From": MOBILE, "To": "+447700900999", "Body": "HELP", "MessageSid": "SM" + "9" * 32}
    signature = RequestValidator(TOKEN).compute_signature(f"http://north.test{path}", form)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            path, form, HTTP_HOST="north.test", HTTP_X_TWILIO_SIGNATURE=signature
        )
    assert response.status_code == 200
    assert twilio_api.messages[-1]["Body"].startswith("Northgate MINI: questions?")
    assert "hello@north.test" in twilio_api.messages[-1]["Body"]
