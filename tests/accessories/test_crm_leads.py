"""Accessory leads to the showroom's CRM: one ADF/XML email per lead (text/plain, nothing but the
document) to Settings -> Dealership -> CRM lead address, through the outbox, and what the lead
says about it in the admin."""

from email import policy
from email.parser import BytesParser

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from wagtail.models import Site

from accessories import services
from accessories.models import Lead
from community import crm
from community.adf import adf_validate
from community.models import OutboundEmail
from community.outbox import outbox_flush, outbox_send
from tests.factories import CarFactory, CarModelFactory, MemberFactory, make_accessory, make_event
from tests.support.crm import CRM

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooper(db):
    return CarModelFactory(make="MINI", name="Cooper S")


@pytest.fixture
def accessory(cooper):
    return make_accessory(
        "Roof spoiler", part_number="51 62 2 465 951", fits=[(cooper, 2014, None)]
    )


def ask(accessory, **fields):
    values = {
        "accessory": accessory,
        "name": "Alex Visitor",
        "email": "alex@example.com",
        "phone": "07700 900123",
        "message": "Does it come in <black>?",
        "consent": True,
    }
    values.update(fields)
    return services.lead_create(**values)


def crm_mail():
    return [m for m in mail.outbox if CRM in m.to]


def test_lead_with_a_crm_address_queues_one_plain_adf_mail_to_it(
    showroom, accessory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead = ask(accessory)
    [message] = crm_mail()
    assert message.subject == "Lead: Question, Roof spoiler"
    assert message.content_subtype == "plain"
    assert message.alternatives == [] and message.attachments == []
    assert message.body.startswith("<?xml") and message.body.rstrip().endswith("</adf>")
    adf_validate(message.body.encode("utf-8"))
    lead.refresh_from_db()
    assert lead.crm_email.status == OutboundEmail.Status.SENT and lead.crm_error == ""


def test_lead_crm_mail_is_queued_in_the_leads_transaction(showroom, accessory):
    lead = ask(accessory)
    queued = OutboundEmail.objects.get(kind=crm.CRM_MAIL_KIND)
    assert (queued.to, queued.dedupe_key, queued.html) == (CRM, f"crm-lead:accessory:{lead.pk}", "")
    assert Lead.objects.get().crm_email == queued
    assert Lead.objects.get().crm_label == "Waiting to be sent"


def test_lead_crm_mail_reaches_the_smtp_server_as_a_single_plain_adf_part(
    showroom, accessory, smtp_server
):
    lead = ask(accessory)
    assert outbox_send(message_id=lead.crm_email.pk) is True
    received = smtp_server.wait_for_message(lambda m: CRM in m.envelope_to)
    raw = received.message.as_bytes()
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert not message.is_multipart() and message.get_content_type() == "text/plain"
    document = message.get_content().encode("utf-8")
    adf_validate(document)
    root = etree.fromstring(document)
    assert root.findtext("prospect/customer/contact/email") == "alex@example.com"
    assert root.findtext("prospect/customer/comments").startswith("Does it come in <black>?")


def test_lead_adf_names_the_asker_the_accessory_and_the_showroom(showroom, accessory):
    lead = ask(accessory, name="Alex  van Visitor")
    root = etree.fromstring(lead.crm_email.body.encode("utf-8"))
    names = {n.get("part"): n.text for n in root.iterfind("prospect/customer/contact/name")}
    assert names == {"first": "Alex  van", "last": "Visitor"}
    assert root.findtext("prospect/customer/contact/phone") == "07700 900123"
    comments = root.findtext("prospect/vehicle/comments")
    assert "Roof spoiler" in comments and "51 62 2 465 951" in comments
    assert root.findtext("prospect/vendor/vendorname") == "Paddock Motors Kingsbridge"
    assert root.findtext("prospect/provider/name") == "Paddock"
    assert root.findtext("prospect/provider/url") == settings.SITE_URL
    assert "Consent to be contacted: yes, ticked" in root.findtext("prospect/customer/comments")


def test_lead_adf_request_date_has_an_offset(showroom, accessory):
    lead = ask(accessory)
    root = etree.fromstring(lead.crm_email.body.encode("utf-8"))
    when = root.findtext("prospect/requestdate")
    assert when[-6] in "+-" and when[-3] == ":"


def test_member_lead_adf_vehicle_is_the_members_car_the_accessory_fits(showroom, accessory, cooper):
    member = MemberFactory(display_name="Sam Porter")
    CarFactory(owner=member, car_model=cooper, year=2019, trim="Sport", vin="WMWXR32080TP12345")
    lead = ask(accessory, member=member, name="Sam Porter", email=member.email, consent=False)
    vehicle = etree.fromstring(lead.crm_email.body.encode("utf-8")).find("prospect/vehicle")
    assert (vehicle.get("interest"), vehicle.get("status")) == ("buy", "used")
    assert [vehicle.findtext(t) for t in ("year", "make", "model", "trim", "vin")] == [
        "2019",
        "MINI",
        "Cooper S",
        "Sport",
        "WMWXR32080TP12345",
    ]


def test_visitor_lead_adf_vehicle_is_a_model_the_accessory_fits(showroom, accessory):
    lead = ask(accessory)
    vehicle = etree.fromstring(lead.crm_email.body.encode("utf-8")).find("prospect/vehicle")
    assert (vehicle.findtext("make"), vehicle.findtext("model")) == ("MINI", "Cooper S")
    assert vehicle.get("status") == "new"
    assert vehicle.findtext("year") == str(timezone.localdate().year)


def test_reservation_adf_names_the_pick_up_event(showroom, accessory):
    event = make_event(title="Cars & Coffee")
    lead = ask(accessory, kind=Lead.Kind.RESERVE, event=event)
    root = etree.fromstring(lead.crm_email.body.encode("utf-8"))
    assert "Pick-up at: Cars & Coffee" in root.findtext("prospect/vehicle/comments")
    assert lead.crm_email.subject == "Lead: Reservation for pick-up, Roof spoiler"


def test_lead_without_a_crm_address_sends_nothing_and_says_so(
    accessory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead = ask(accessory)
    assert crm_mail() == [] and not OutboundEmail.objects.filter(kind=crm.CRM_MAIL_KIND).exists()
    assert lead.crm_label == "Not sent: no CRM address"


def test_lead_sent_to_the_crm_twice_queues_one_mail(
    showroom, accessory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead = ask(accessory)
        again = services.lead_crm_send(lead=lead)
    assert OutboundEmail.objects.filter(kind=crm.CRM_MAIL_KIND).count() == 1
    assert len(crm_mail()) == 1 and again.crm_email == lead.crm_email


def test_lead_with_an_invalid_adf_document_is_not_sent_and_shows_the_error(
    showroom, accessory, monkeypatch, django_capture_on_commit_callbacks
):
    real = crm.adf_document
    monkeypatch.setattr(
        crm, "adf_document", lambda *, lead: real(lead=lead).replace(b"<year>", b"<year>MMXX")
    )
    with django_capture_on_commit_callbacks(execute=True):
        lead = ask(accessory)
    lead.refresh_from_db()
    assert crm_mail() == [] and lead.crm_email is None
    assert lead.crm_label.startswith("Failed: Not valid ADF 1.0 at /adf/prospect/vehicle/year")
    assert Lead.objects.count() == 1  # the lead itself is kept, and the parts team still hear


def test_lead_without_any_car_to_name_is_not_sent_and_says_why(showroom):
    lead = ask(make_accessory("Key ring"))
    assert lead.crm_email is None
    assert lead.crm_label.startswith("Failed: ADF needs a car")


def test_crm_refusing_mail_shows_on_the_lead_and_the_retry_sends_it_once(
    showroom, accessory, smtp_server
):
    lead = ask(accessory)
    smtp_server.refuse("451 4.3.0 Mailbox busy, try again later")
    assert outbox_send(message_id=lead.crm_email.pk) is False
    lead = Lead.objects.select_related("crm_email").get(pk=lead.pk)
    assert lead.crm_email.status == OutboundEmail.Status.QUEUED
    assert lead.crm_label.startswith("Failed: SMTPDataError") and "try again" in lead.crm_label
    smtp_server.accept()
    OutboundEmail.objects.filter(pk=lead.crm_email.pk).update(lease_until=timezone.now())
    outbox_flush()  # the CRM's mail, and the parts team's and the asker's that waited with it
    assert outbox_flush() == 0
    assert len([m for m in smtp_server.messages if CRM in m.envelope_to]) == 1
    lead = Lead.objects.select_related("crm_email").get(pk=lead.pk)
    assert lead.crm_label.startswith("Sent to the CRM at ")


def test_leads_list_and_inspect_screen_show_where_the_lead_stands_with_the_crm(
    client, staff, showroom, accessory
):
    lead = ask(accessory)
    OutboundEmail.objects.filter(pk=lead.crm_email.pk).update(
        status=OutboundEmail.Status.FAILED, last_error="SMTPRecipientsRefused: 550 no such user"
    )
    client.force_login(staff)
    listing = client.get(reverse("accessory_leads:index")).content.decode()
    inspect = client.get(reverse("accessory_leads:inspect", args=[lead.pk])).content.decode()
    for html in (listing, inspect):
        assert "Failed: SMTPRecipientsRefused: 550 no such user" in html


def test_leads_export_has_the_crm_column(client, staff, showroom, accessory):
    ask(accessory)
    client.force_login(staff)
    response = client.get(reverse("accessory_leads:index"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = content.splitlines()[:2]
    assert "CRM" in header.split(",") and "Waiting to be sent" in row


def test_dealership_settings_offer_the_crm_lead_address(client, staff):
    site = Site.objects.get(is_default_site=True)
    client.force_login(staff)
    url = reverse("wagtailsettings:edit", args=["community", "dealershipsettings", site.pk])
    html = client.get(url).content.decode()
    assert 'name="crm_lead_email"' in html and "Blank means leads stay in Paddock only" in html


def test_lead_without_a_crm_address_is_not_checked_for_a_car(db):
    lead = ask(make_accessory("Key ring"))
    assert lead.crm_error == "" and lead.crm_label == "Not sent: no CRM address"


def test_lead_already_queued_for_the_crm_is_not_rebuilt(showroom, accessory, monkeypatch):
    lead = ask(accessory)
    monkeypatch.setattr(crm, "adf_document", lambda *, lead: b"not even xml")
    again = services.lead_crm_send(lead=Lead.objects.get(pk=lead.pk))
    assert again.crm_email == lead.crm_email and again.crm_error == ""
