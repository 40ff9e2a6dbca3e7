"""Leads: the "Ask about this" / "Reserve" form, the emails it sends, and hostile input."""

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import Site

from accessories import services
from accessories.models import Lead
from community.models import DealershipSettings, OutboundEmail
from tests.factories import MemberFactory, make_accessory, make_event

pytestmark = pytest.mark.django_db

VISITOR = {
    "kind": "ask",
    "name": "Alex Visitor",
    "email": "alex@example.com",
    "message": "Does it come in black?",
    "consent": "on",
    "website": "",
}


@pytest.fixture
def accessory(db):
    return make_accessory("Roof spoiler", part_number="51 62 2 465 951")


@pytest.fixture
def parts_email(db):
    settings = DealershipSettings.for_site(Site.objects.get(is_default_site=True))
    settings.email = "hello@dealer.example"
    settings.parts_email = "parts@dealer.example"
    settings.save()
    return "parts@dealer.example"


def post(client, accessory, **data):
    return client.post(accessory.url, {**VISITOR, **data})


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


# --- Creating a lead ---------------------------------------------------------------------------


def test_visitor_question_creates_a_lead_and_redirects_with_thanks(
    client, accessory, parts_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, accessory)
    assert response.status_code == 302 and response["Location"].endswith("#ask")
    lead = Lead.objects.get()
    assert (lead.accessory, lead.name, lead.email, lead.kind, lead.status) == (
        accessory,
        "Alex Visitor",
        "alex@example.com",
        "ask",
        "new",
    )
    assert lead.member is None and lead.consent_at is not None


def test_lead_emails_the_parts_staff_and_confirms_to_the_asker(
    client, accessory, parts_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, accessory)
    [staff_mail] = sent_to(parts_email)
    [confirmation] = sent_to("alex@example.com")
    assert staff_mail.subject.startswith("Question about Roof spoiler")
    assert "Does it come in black?" in staff_mail.body and "51 62 2 465 951" in staff_mail.body
    assert "Roof spoiler" in confirmation.subject
    assert "Does it come in black?" not in confirmation.body  # never echoes a visitor's text


def test_parts_mail_falls_back_to_the_dealership_email(
    client, accessory, django_capture_on_commit_callbacks
):
    settings = DealershipSettings.for_site(Site.objects.get(is_default_site=True))
    settings.email, settings.parts_email = "hello@dealer.example", ""
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, accessory)
    assert len(sent_to("hello@dealer.example")) == 1


def test_member_form_is_prefilled_and_needs_no_consent(member, accessory):
    client = Client()
    client.force_login(member)
    html = client.get(accessory.url).content.decode()
    assert f'value="{member.email}"' in html and 'value="Sam Porter"' in html
    assert 'name="consent"' not in html
    response = client.post(
        accessory.url,
        {"kind": "ask", "name": "Sam Porter", "email": member.email, "message": "Fits 2021?"},
    )
    assert response.status_code == 302
    assert Lead.objects.get().member == member


def test_visitor_without_consent_gets_an_error_and_keeps_what_they_typed(client, accessory):
    response = post(client, accessory, consent="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Tick the box so the parts team may answer you." in html
    assert "Does it come in black?" in html  # nothing typed is lost
    assert not Lead.objects.exists()


def test_question_needs_a_message(client, accessory):
    response = post(client, accessory, message="")
    assert response.status_code == 400
    assert "Write your question" in response.content.decode()
    assert not Lead.objects.exists()


def test_reservation_is_tied_to_the_chosen_event(
    client, accessory, django_capture_on_commit_callbacks
):
    event = make_event("Cars & Coffee")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, accessory, kind="reserve", event=event.pk, message="")
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.kind, lead.event) == ("reserve", event)
    [staff_mail] = [m for m in mail.outbox if m.subject.startswith("Reservation")]
    assert "Cars & Coffee" in staff_mail.body


def test_reservation_without_an_event_is_refused(client, accessory):
    make_event("Cars & Coffee")
    response = post(client, accessory, kind="reserve", event="")
    assert response.status_code == 400
    assert "Choose the event" in response.content.decode()
    assert not Lead.objects.exists()


def test_reservation_of_an_out_of_stock_item_is_refused(client):
    accessory = make_accessory("Umbrella", stock_status="out")
    event = make_event()
    response = post(client, accessory, kind="reserve", event=event.pk)
    assert response.status_code == 400
    assert "out of stock" in response.content.decode()
    assert not Lead.objects.exists()


def test_reservation_for_a_past_event_is_refused(client, accessory):
    past = make_event("Last month", days_ahead=-30)
    response = post(client, accessory, kind="reserve", event=past.pk)
    assert response.status_code == 400
    assert not Lead.objects.exists()


def test_service_refuses_a_visitor_lead_without_consent(accessory):
    with pytest.raises(services.LeadError) as excinfo:
        services.lead_create(
            accessory=accessory, name="A", email="a@example.com", message="Hi", consent=False
        )
    assert excinfo.value.code == "consent"


# --- Spam resistance -------------------------------------------------------------------------


def test_honeypot_filled_is_thanked_but_nothing_is_recorded_or_sent(
    client, accessory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, accessory, website="http://spam.example")
    assert response.status_code == 302
    assert not Lead.objects.exists()
    assert mail.outbox == [] and not OutboundEmail.objects.exists()


def test_rate_limit_refuses_the_sixth_lead_in_an_hour_from_one_address(client, accessory, settings):
    settings.ACCESSORY_LEADS_PER_HOUR = 5
    for n in range(5):
        assert post(client, accessory, email=f"alex{n}@example.com").status_code == 302
    response = post(client, accessory, email="alex9@example.com")
    assert response.status_code == 429
    assert "several messages in the last hour" in response.content.decode()
    assert Lead.objects.count() == 5


def test_rate_limit_counts_one_email_from_different_addresses(accessory, settings):
    settings.ACCESSORY_LEADS_PER_HOUR = 2
    for n in range(2):
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post(accessory.url, VISITOR)
    response = Client(REMOTE_ADDR="10.0.0.9").post(accessory.url, VISITOR)
    assert response.status_code == 429
    assert Lead.objects.count() == 2


# --- Hostile input ---------------------------------------------------------------------------


def test_header_injection_in_the_name_gets_a_clear_error_and_no_mail(
    client, accessory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, accessory, name="Alex\r\nBcc: victim@example.com")
    assert response.status_code == 400
    assert "without line breaks" in response.content.decode()
    assert not Lead.objects.exists() and mail.outbox == []


def test_header_injection_in_the_email_is_refused(client, accessory):
    response = post(client, accessory, email="alex@example.com\nBcc: victim@example.com")
    assert response.status_code == 400
    assert not Lead.objects.exists()


def test_ten_thousand_character_message_gets_a_clear_error(client, accessory):
    response = post(client, accessory, message="x" * 10_000)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Keep your message to 2000 characters or fewer (it has 10000)" in html
    assert not Lead.objects.exists()


def test_ten_thousand_character_name_gets_a_clear_error(client, accessory):
    response = post(client, accessory, name="A" * 10_000)
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
    assert not Lead.objects.exists()


def test_html_in_lead_fields_is_escaped_in_the_staff_email(
    client, accessory, parts_email, django_capture_on_commit_callbacks
):
    script = "<script>alert(1)</script>"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            accessory,
            name=f"Alex {script}",
            message=f'<img src=x onerror="alert(2)"> {script}',
        )
    assert response.status_code == 302
    [staff_mail] = sent_to(parts_email)
    [(html, mimetype)] = staff_mail.alternatives
    assert mimetype == "text/html"
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html


def test_staff_email_headers_carry_no_lead_input(
    client, accessory, parts_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, accessory, name="Zed Zebedee", message="Quokka quest", phone="07700 900123")
    [staff_mail] = sent_to(parts_email)
    message = staff_mail.message()
    headers = "\n".join(f"{key}: {value}" for key, value in message.items())
    for typed in ("Zed", "Zebedee", "Quokka", "alex@example.com", "07700"):
        assert typed not in headers
    assert staff_mail.reply_to == []


def test_html_in_the_message_is_escaped_on_the_error_page(client, accessory):
    response = post(client, accessory, message="<b>bold</b>", consent="")
    html = response.content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html


def test_members_see_their_earlier_question_on_the_page(member, accessory):
    Lead.objects.create(
        accessory=accessory, member=member, name="Sam", email=member.email, message="Hi"
    )
    Lead.objects.create(
        accessory=accessory, member=MemberFactory(), name="Other", email="o@example.com"
    )
    client = Client()
    client.force_login(member)
    html = client.get(accessory.url).content.decode()
    assert html.count("You asked about this") == 1


def test_without_an_upcoming_event_the_form_only_asks(client, accessory):
    html = client.get(accessory.url).content.decode()
    assert 'type="hidden" name="kind" value="ask"' in html
    assert 'name="event"' not in html
    response = post(client, accessory, kind="reserve")
    assert response.status_code == 400
    assert "No event is coming up" in response.content.decode()
    assert not Lead.objects.exists()
