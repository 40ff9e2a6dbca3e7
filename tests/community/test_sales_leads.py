"""Sales leads: each kind's rules (community.leads.services), and each kind reaching the
showroom's CRM as one ADF/XML email (a single text/plain part that parses and validates) caught by
the SMTP listener, with the car, the member's contact, the showroom and Paddock."""

from email import policy
from email.parser import BytesParser

import hypothesis
import pytest
from django.core import mail
from django.utils import timezone
from lxml import etree
from wagtail.models import Page, Site

from community import crm
from community.adf import COMMENTS_LIMIT, adf_document, adf_text, adf_validate
from community.leads import services
from community.leads.selectors import sales_lead_adf
from community.leads.services import SalesLeadError
from community.models import DealershipSettings, OutboundEmail, SalesLead
from community.outbox import outbox_flush, outbox_send
from community.services import member_delete
from tests.community.test_adf import HOSTILE
from tests.factories import CarFactory, CarModelFactory, MemberFactory, StaffFactory, make_event
from tests.support.crm import CRM

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def cooper(db):
    return CarModelFactory(make="MINI", name="Cooper S")


@pytest.fixture
def countryman(db):
    return CarModelFactory(make="MINI", name="Countryman")


@pytest.fixture
def owner(cooper):
    member = MemberFactory(
        first_name="Sam", last_name="Porter", display_name="Sam P", phone="07700 900456"
    )
    CarFactory(owner=member, car_model=cooper, year=2019, trim="Sport", vin="WMWXR32080TP12345")
    return member


def trade_in(owner, site, **fields):
    values = {
        "kind": SalesLead.Kind.TRADE_IN,
        "member": owner,
        "site": site,
        "car": owner.cars.get(),
        "mileage": 31000,
        "condition": SalesLead.Condition.GOOD,
        "message": "Small scuff on the rear bumper.",
    }
    values.update(fields)
    return services.sales_lead_create(**values)


def next_car(owner, site, models, **fields):
    values = {
        "kind": SalesLead.Kind.NEXT_CAR,
        "member": owner,
        "site": site,
        "car_models": models,
        "timeframe": SalesLead.Timeframe.SOON,
    }
    values.update(fields)
    return services.sales_lead_create(**values)


def received_adf(smtp_server, lead) -> etree._Element:
    """The lead's CRM mail as the SMTP server got it: one text/plain part, valid ADF."""
    assert outbox_send(message_id=lead.crm_email_id) is True
    received = smtp_server.wait_for_message(lambda m: CRM in m.envelope_to)
    message = BytesParser(policy=policy.default).parsebytes(received.message.as_bytes())
    assert not message.is_multipart() and message.get_content_type() == "text/plain"
    document = message.get_content().encode("utf-8")
    adf_validate(document)
    return etree.fromstring(document)


def contact_of(root) -> dict:
    contact = root.find("prospect/customer/contact")
    names = {n.get("part"): n.text for n in contact.iterfind("name")}
    return {**names, "email": contact.findtext("email"), "phone": contact.findtext("phone")}


# --- Each kind reaches the CRM ----------------------------------------------------------------


def test_trade_in_lead_reaches_the_crm_with_the_car_mileage_and_condition(
    showroom, site, owner, smtp_server
):
    root = received_adf(smtp_server, trade_in(owner, site))
    vehicle = root.find("prospect/vehicle")
    assert (vehicle.get("interest"), vehicle.get("status")) == ("trade-in", "used")
    assert [vehicle.findtext(t) for t in ("year", "make", "model", "trim", "vin")] == [
        "2019",
        "MINI",
        "Cooper S",
        "Sport",
        "WMWXR32080TP12345",
    ]
    assert vehicle.findtext("odometer") == "31000" and vehicle.find("odometer").get("units") == "mi"
    assert vehicle.findtext("condition") == "good"
    assert contact_of(root) == {
        "first": "Sam",
        "last": "Porter",
        "email": owner.email,
        "phone": "07700 900456",
    }
    assert root.findtext("prospect/customer/comments").startswith("Small scuff")


def test_next_car_lead_reaches_the_crm_with_each_model_and_the_timeframe(
    showroom, site, owner, cooper, countryman, smtp_server
):
    root = received_adf(smtp_server, next_car(owner, site, [countryman, cooper]))
    vehicles = root.findall("prospect/vehicle")
    assert sorted(v.findtext("model") for v in vehicles) == ["Cooper S", "Countryman"]
    assert {(v.get("interest"), v.get("status")) for v in vehicles} == {("buy", "new")}
    assert {v.findtext("year") for v in vehicles} == {str(timezone.localdate().year)}
    timeframe = root.find("prospect/customer/timeframe")
    today = timezone.localdate()
    assert timeframe.findtext("description") == "In 3 to 6 months"
    assert timeframe.findtext("earliestdate") == (today + timezone.timedelta(days=90)).isoformat()
    assert timeframe.findtext("latestdate") == (today + timezone.timedelta(days=180)).isoformat()
    assert contact_of(root)["email"] == owner.email


def test_test_drive_lead_reaches_the_crm_with_the_model_and_the_event(
    showroom, site, owner, countryman, smtp_server
):
    event = make_event(title="Cars & Coffee")
    lead = services.sales_lead_create(
        kind=SalesLead.Kind.TEST_DRIVE,
        member=owner,
        site=site,
        page=event,
        car_models=[countryman],
    )
    root = received_adf(smtp_server, lead)
    [vehicle] = root.findall("prospect/vehicle")
    assert (vehicle.get("interest"), vehicle.get("status")) == ("test-drive", "new")
    assert (vehicle.findtext("make"), vehicle.findtext("model")) == ("MINI", "Countryman")
    assert "From: Cars & Coffee" in vehicle.findtext("comments")
    assert lead.crm_email.subject == "Lead: Test drive, Test drive: MINI Countryman"


def test_staff_lead_reaches_the_crm_with_what_was_said_and_who_wrote_it(
    showroom, site, owner, countryman, smtp_server
):
    advisor = StaffFactory(first_name="Priya", last_name="Shah", display_name="Priya")
    lead = services.sales_lead_create(
        kind=SalesLead.Kind.STAFF,
        member=owner,
        site=site,
        written_by=advisor,
        interest=SalesLead.Interest.BUY,
        car_models=[countryman],
        message="Talked in the lounge: interested in a Countryman for the family.",
        consent=True,
    )
    root = received_adf(smtp_server, lead)
    assert root.findtext("prospect/vehicle/model") == "Countryman"
    comments = root.findtext("prospect/customer/comments")
    assert comments.startswith("Talked in the lounge")
    assert "Consent to be contacted: yes, told Priya Shah in person" in comments
    assert lead.assigned_to == advisor and lead.consent_at is not None


def test_each_lead_names_the_showroom_as_vendor_and_paddock_as_provider(
    showroom, site, owner, smtp_server
):
    root = received_adf(smtp_server, trade_in(owner, site))
    assert root.findtext("prospect/vendor/vendorname") == "Paddock Motors Kingsbridge"
    assert root.findtext("prospect/provider/name") == "Paddock"
    assert root.findtext("prospect/id") == f"sales-{SalesLead.objects.get().pk}"


# --- Once, and what the lead says -------------------------------------------------------------


def test_sales_lead_is_queued_for_the_crm_once_in_its_transaction(showroom, site, owner):
    lead = trade_in(owner, site)
    queued = OutboundEmail.objects.get(kind=crm.CRM_MAIL_KIND)
    assert (queued.to, queued.dedupe_key) == (CRM, f"crm-lead:sales:{lead.pk}")
    assert services.sales_lead_crm_send(lead=lead).crm_email == queued
    assert OutboundEmail.objects.filter(kind=crm.CRM_MAIL_KIND).count() == 1
    assert lead.crm_label == "Waiting to be sent"


def test_same_request_twice_in_a_row_makes_one_lead(showroom, site, owner):
    first = trade_in(owner, site)
    second = trade_in(owner, site)
    assert second == first and SalesLead.objects.count() == 1


def test_sales_lead_is_confirmed_to_the_member(
    site, owner, cooper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        trade_in(owner, site)
    [confirmation] = [m for m in mail.outbox if owner.email in m.to]
    assert confirmation.subject == "What your 2019 MINI Cooper S Sport is worth: we'll be in touch"
    assert "31000 miles" in confirmation.body


def test_showroom_without_a_crm_address_hears_of_the_lead_by_mail(
    site, owner, django_capture_on_commit_callbacks
):
    dealership = DealershipSettings.for_site(site)
    dealership.email = "sales@dealer.example"
    dealership.save()
    with django_capture_on_commit_callbacks(execute=True):
        lead = trade_in(owner, site)
    [notice] = [m for m in mail.outbox if "sales@dealer.example" in m.to]
    assert (
        notice.subject == "New lead: Trade-in appraisal, What is my 2019 MINI Cooper S Sport worth?"
    )
    assert f"/admin/leads/sales/edit/{lead.pk}/" in notice.body
    assert lead.crm_label == "Not sent: no CRM address"


def test_showroom_with_a_crm_address_is_not_mailed_the_lead_as_well(
    showroom, site, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        trade_in(owner, site)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([CRM, owner.email])


def test_lead_that_names_no_car_is_kept_and_shows_why_it_was_not_sent(showroom, site, owner):
    lead = next_car(owner, site, [], message="Something electric, not sure which.")
    assert lead.crm_email is None and SalesLead.objects.count() == 1
    assert lead.crm_label.startswith("Failed: ADF needs a car")
    assert lead.crm_failed


def test_failed_lead_is_sent_again_once_staff_ask(showroom, site, owner, countryman):
    lead = next_car(owner, site, [], message="Something electric.")
    lead.car_models.set([countryman])  # staff found out which
    again = services.sales_lead_crm_resend(lead=lead)
    assert again.crm_error == "" and again.crm_email.to == CRM
    assert OutboundEmail.objects.filter(kind=crm.CRM_MAIL_KIND).count() == 1


def test_lead_waiting_for_the_crm_is_not_sent_again(showroom, site, owner):
    lead = trade_in(owner, site)
    with pytest.raises(crm.CrmError) as error:
        services.sales_lead_crm_resend(lead=lead)
    assert error.value.code == "not_failed"


# --- Each kind's rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"mileage": None}, "mileage"),
        ({"mileage": -1}, "mileage"),
        ({"mileage": 1_000_001}, "mileage"),
        ({"condition": ""}, "condition"),
        ({"condition": "mint"}, "condition"),
    ],
)
def test_trade_in_needs_a_mileage_and_a_condition(site, owner, fields, code):
    with pytest.raises(SalesLeadError) as error:
        trade_in(owner, site, **fields)
    assert error.value.code == code and error.value.field == code
    assert not SalesLead.objects.exists()


def test_trade_in_is_only_for_the_members_own_car(site, owner, cooper):
    other = CarFactory(owner=MemberFactory(), car_model=cooper, year=2020)
    with pytest.raises(SalesLeadError) as error:
        trade_in(owner, site, car=other)
    assert error.value.code == "car"


def test_next_car_needs_a_model_or_a_note(site, owner):
    with pytest.raises(SalesLeadError) as error:
        next_car(owner, site, [])
    assert error.value.code == "models"


def test_next_car_needs_a_timeframe(site, owner, countryman):
    with pytest.raises(SalesLeadError) as error:
        next_car(owner, site, [countryman], timeframe="")
    assert error.value.code == "timeframe"


def test_next_car_offers_only_models_on_sale(site, owner):
    old = CarModelFactory(make="MINI", name="Paceman", first_year=2013, last_year=2016)
    with pytest.raises(SalesLeadError) as error:
        next_car(owner, site, [old])
    assert error.value.code == "models"


def test_test_drive_needs_the_event_and_one_model(site, owner, countryman, cooper):
    with pytest.raises(SalesLeadError) as no_event:
        services.sales_lead_create(
            kind=SalesLead.Kind.TEST_DRIVE, member=owner, site=site, car_models=[countryman]
        )
    with pytest.raises(SalesLeadError) as two:
        services.sales_lead_create(
            kind=SalesLead.Kind.TEST_DRIVE,
            member=owner,
            site=site,
            page=Page.objects.get(depth=2),
            car_models=[countryman, cooper],
        )
    assert (no_event.value.code, two.value.code) == ("page", "models")


def test_staff_lead_needs_the_owners_agreement(site, owner, countryman):
    with pytest.raises(SalesLeadError) as error:
        services.sales_lead_create(
            kind=SalesLead.Kind.STAFF,
            member=owner,
            site=site,
            written_by=StaffFactory(),
            interest="buy",
            car_models=[countryman],
            message="Interested in a Countryman.",
        )
    assert error.value.code == "consent"


def test_only_staff_write_leads_down(site, owner, countryman):
    with pytest.raises(SalesLeadError) as error:
        services.sales_lead_create(
            kind=SalesLead.Kind.STAFF,
            member=owner,
            site=site,
            written_by=MemberFactory(),
            interest="buy",
            car_models=[countryman],
            message="Interested in a Countryman.",
            consent=True,
        )
    assert error.value.code == "staff"


def test_deleted_account_leaves_its_leads_without_who_asked(site, owner):
    lead = trade_in(owner, site)
    member_delete(member=owner, contributions="anonymise")
    lead.refresh_from_db()
    assert (lead.name, lead.email, lead.phone, lead.message, lead.vin) == (
        "Former member",
        "",
        "",
        "",
        "",
    )


# --- Whatever members type ----------------------------------------------------------------------


@hypothesis.settings(max_examples=50, deadline=None)
@hypothesis.given(first=HOSTILE, last=HOSTILE, phone=HOSTILE, message=HOSTILE, trim=HOSTILE)
def test_sales_lead_adf_with_any_member_text_validates_and_round_trips(
    first, last, phone, message, trim
):
    """Names, phone and the car's trim come from the member's profile and garage, the message
    from the lead's form: the document validates and carries each as typed (XML's forbidden
    characters removed, cut to its limit)."""
    lead = SalesLead(
        kind=SalesLead.Kind.TRADE_IN,
        name=f"{first} {last}",
        email="sam@example.com",
        phone=phone,
        message=message,
        year=2019,
        make="MINI",
        model="Cooper S",
        trim=trim,
        mileage=31000,
        condition="good",
        created_at=timezone.now(),
    )
    document = adf_document(lead=sales_lead_adf(lead=lead, site=None))
    adf_validate(document)
    root = etree.fromstring(document)
    assert (root.findtext("prospect/vehicle/trim") or "") == adf_text(trim)
    assert (root.findtext("prospect/customer/contact/phone") or "") == adf_text(phone)
    comments = root.findtext("prospect/customer/comments")
    assert comments.startswith(adf_text(message.strip(), limit=COMMENTS_LIMIT)) or not message


def test_crm_refusing_a_sales_lead_shows_on_it_and_the_retry_sends_it_once(
    showroom, site, owner, smtp_server
):
    lead = trade_in(owner, site)
    smtp_server.refuse("451 4.3.0 Mailbox busy, try again later")
    assert outbox_send(message_id=lead.crm_email_id) is False
    lead = SalesLead.objects.select_related("crm_email").get(pk=lead.pk)
    assert lead.crm_label.startswith("Failed: SMTPDataError") and "trying again" in lead.crm_label
    smtp_server.accept()
    OutboundEmail.objects.filter(pk=lead.crm_email_id).update(lease_until=timezone.now())
    outbox_flush()
    assert outbox_flush() == 0
    assert len([m for m in smtp_server.messages if CRM in m.envelope_to]) == 1
    lead = SalesLead.objects.select_related("crm_email").get(pk=lead.pk)
    assert lead.crm_label.startswith("Sent to the CRM at ")
