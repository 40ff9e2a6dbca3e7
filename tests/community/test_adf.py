"""ADF/XML documents for a showroom's CRM: what they carry, that they validate, and that any text
a member types (markup, "]]>", control characters, right-to-left marks, 10,000 characters) still
gives a valid document that carries it back."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from community.adf import (
    COMMENTS_LIMIT,
    CONSENT_PREFIX,
    FIELD_LIMIT,
    AdfContact,
    AdfCustomer,
    AdfError,
    AdfLead,
    AdfProvider,
    AdfVehicle,
    AdfVendor,
    adf_document,
    adf_name_parts,
    adf_text,
    adf_validate,
)

LONDON_WINTER = timezone(timedelta(hours=0))
BERLIN = timezone(timedelta(hours=1))


def make_lead(**customer) -> AdfLead:
    contact = {
        "first_name": "Sam",
        "last_name": "Porter",
        "email": "sam@example.com",
        "phone": "07700 900123",
        **customer.pop("contact", {}),
    }
    return AdfLead(
        request_date=datetime(2026, 12, 5, 18, 30, tzinfo=BERLIN),
        lead_id="42",
        vehicles=[
            AdfVehicle(
                year=2021,
                make="MINI",
                model="Cooper S",
                trim="Sport",
                vin="WMWXR32080TP12345",
                odometer=12345,
                status="used",
                interest="buy",
                comments="Question: Roof spoiler",
            )
        ],
        customer=AdfCustomer(
            contact=AdfContact(**contact),
            comments=customer.get("comments", 'Does it fit <my> car & "mine"?'),
            consent=customer.get("consent", "yes, ticked at 2026-12-05T18:30:00+01:00"),
        ),
        vendor=AdfVendor(
            name="Paddock Motors Kingsbridge",
            url="https://kingsbridge.example",
            contact=AdfContact(
                full_name="Paddock Motors Kingsbridge",
                email="hello@dealer.example",
                phone="01548 000000",
                business=True,
            ),
        ),
        provider=AdfProvider(
            name="Paddock", service="Owner community", url="https://kingsbridge.example"
        ),
    )


def parsed(lead: AdfLead) -> etree._Element:
    document = adf_document(lead=lead)
    adf_validate(document)
    return etree.fromstring(document)


def text(root, path: str) -> str:
    return root.findtext(path) or ""


def test_adf_document_is_valid_adf_with_the_version_instruction():
    document = adf_document(lead=make_lead())
    adf_validate(document)  # raises when invalid
    assert b'<?adf version="1.0"?>' in document.split(b"<adf>")[0]


def test_adf_document_carries_the_request_date_with_its_offset():
    root = parsed(make_lead())
    assert text(root, "prospect/requestdate") == "2026-12-05T18:30:00+01:00"


def test_adf_document_carries_the_vehicle_interest_status_and_details():
    vehicle = parsed(make_lead()).find("prospect/vehicle")
    assert (vehicle.get("interest"), vehicle.get("status")) == ("buy", "used")
    assert [vehicle.findtext(tag) for tag in ("year", "make", "model", "trim", "vin")] == [
        "2021",
        "MINI",
        "Cooper S",
        "Sport",
        "WMWXR32080TP12345",
    ]
    assert vehicle.findtext("odometer") == "12345" and vehicle.find("odometer").get("units") == "mi"


def test_adf_document_carries_the_customer_name_parts_email_and_phone():
    contact = parsed(make_lead()).find("prospect/customer/contact")
    names = {name.get("part"): name.text for name in contact.findall("name")}
    assert names == {"first": "Sam", "last": "Porter"}
    assert contact.findtext("email") == "sam@example.com"
    assert contact.findtext("phone") == "07700 900123"


def test_adf_document_carries_the_showroom_as_vendor():
    vendor = parsed(make_lead()).find("prospect/vendor")
    assert vendor.findtext("vendorname") == "Paddock Motors Kingsbridge"
    assert vendor.findtext("contact/email") == "hello@dealer.example"
    assert vendor.findtext("contact/phone") == "01548 000000"


def test_adf_document_names_paddock_as_provider_with_the_site_address():
    provider = parsed(make_lead()).find("prospect/provider")
    assert provider.findtext("name") == "Paddock"
    assert provider.findtext("url") == "https://kingsbridge.example"


def test_adf_document_escapes_comments_and_ends_them_with_the_consent():
    document = adf_document(lead=make_lead(comments="<b>Fits?</b> ]]> & more"))
    assert b"<b>Fits?" not in document and b"&lt;b&gt;Fits?&lt;/b&gt; ]]&gt; &amp; more" in document
    root = etree.fromstring(document)
    assert text(root, "prospect/customer/comments") == (
        "<b>Fits?</b> ]]> & more\n\n" + CONSENT_PREFIX + "yes, ticked at 2026-12-05T18:30:00+01:00"
    )


def test_adf_document_limits_comments_to_2000_characters():
    root = parsed(make_lead(comments="x" * 5000, consent=""))
    assert text(root, "prospect/customer/comments") == "x" * COMMENTS_LIMIT


def test_adf_document_refuses_a_request_date_without_offset():
    lead = make_lead()
    naive = AdfLead(**{**lead.__dict__, "request_date": datetime(2026, 12, 5, 18, 30)})
    with pytest.raises(AdfError) as excinfo:
        adf_document(lead=naive)
    assert excinfo.value.code == "naive_date"


def test_adf_validate_refuses_a_document_without_a_vehicle():
    lead = make_lead()
    document = adf_document(lead=AdfLead(**{**lead.__dict__, "vehicles": []}))
    with pytest.raises(AdfError) as excinfo:
        adf_validate(document)
    assert excinfo.value.code == "invalid" and "vehicle" in str(excinfo.value)


def test_adf_validate_refuses_a_contact_without_email_or_phone():
    document = adf_document(lead=make_lead(contact={"email": "", "phone": ""}))
    with pytest.raises(AdfError) as excinfo:
        adf_validate(document)
    assert excinfo.value.code == "invalid"


def test_adf_validate_refuses_a_document_without_the_version_instruction():
    document = adf_document(lead=make_lead()).replace(b'<?adf version="1.0"?>', b"")
    with pytest.raises(AdfError) as excinfo:
        adf_validate(document)
    assert excinfo.value.code == "no_version"


def test_adf_validate_refuses_what_is_not_xml():
    with pytest.raises(AdfError) as excinfo:
        adf_validate(b"<adf><prospect>")
    assert excinfo.value.code == "not_xml"


def test_adf_text_removes_the_control_characters_xml_forbids_and_keeps_tab_and_line_breaks():
    assert adf_text("a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\uffff\t\n\r") == "abcdefg\t\n\r"


def test_adf_name_parts_split_on_the_last_word():
    assert adf_name_parts("  Mary Jane  Watson ") == ("Mary Jane", "Watson")
    assert adf_name_parts("Cher") == ("", "")


# Member-typed text: anything, with markup, CDATA ends, control characters, a lone surrogate,
# right-to-left marks and overrides mixed in, up to 10,000 characters.
PIECES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["<", "</b>", "&amp;", "&", "]]>", '"', "'", "\x00", "\x0b", "\x1f", "\r", "\r\n", "\ud800"]
        + ["\u200f", "\u202e", "\u061c", "\ufffe", "<![CDATA[", "<?xml?>", "&#0;"]
    ),
    st.integers(0, 10_000).map(lambda n: "\u05d0" * n),  # Hebrew, right to left
)
HOSTILE = st.lists(PIECES, max_size=12).map(lambda parts: "".join(parts)[:10_000])


@settings(max_examples=60, deadline=None)
@given(first=HOSTILE, last=HOSTILE, phone=HOSTILE, message=HOSTILE)
def test_adf_document_with_any_member_text_validates_and_round_trips(first, last, phone, message):
    lead = make_lead(
        contact={"first_name": first, "last_name": last, "phone": phone or "0"},
        comments=message,
        consent="yes",
    )
    root = parsed(lead)
    names = {name.get("part"): name.text or "" for name in root.iterfind(".//customer//name")}
    if first or last:
        assert names["first"] == adf_text(first, limit=FIELD_LIMIT)
        assert names["last"] == adf_text(last, limit=FIELD_LIMIT)
    assert text(root, "prospect/customer/contact/phone") == adf_text(phone or "0")
    expected = (adf_text(message, limit=COMMENTS_LIMIT) + "\n\n" if message else "") + (
        CONSENT_PREFIX + "yes"
    )
    assert text(root, "prospect/customer/comments") == expected
