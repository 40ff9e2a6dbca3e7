"""The service lounge import: read every variant of a workshop export, match members by email,
phone or plate, report malformed and unknown rows, and import all at once or nothing."""

from datetime import date, time
from io import BytesIO
from unittest import mock

import pytest

from community.models import Appointment, LoungeImport
from staff import lounge

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 24)


def upload(text: str, *, encoding: str = "utf-8", name: str = "today.csv") -> BytesIO:
    f = BytesIO(text.encode(encoding))
    f.name = name
    return f


def parse(text: str):
    return lounge.parse_appointments(text=text, day=DAY)


@pytest.fixture
def owner(cooper_s):
    from tests.factories import CarFactory, MemberFactory

    sam = MemberFactory(display_name="Sam Porter", email="sam@example.com", phone="07700 900123")
    CarFactory(owner=sam, car_model=cooper_s, registration="KB21 XYZ", year=2019)
    return sam


def test_parse_matches_by_email_then_phone_then_plate(owner):
    parsed = parse(
        "time,customer name,email or phone,plate,work\n"
        "09:00,Sam Porter,SAM@example.com,,Service\n"
        "10:00,Sam P,+44 7700 900123,,MOT\n"
        "11:00,S Porter,,kb21-xyz,Tyres\n"
    )
    assert [(r.member, r.matched_by) for r in parsed.rows] == [
        (owner, "email"),
        (owner, "phone"),
        (owner, "plate"),
    ]


def test_parse_plate_match_remembers_the_car(owner):
    parsed = parse("Time;Customer;Plate\n09:00;Sam;kb21xyz\n")
    assert parsed.rows[0].car == owner.cars.get()


def test_parse_reads_semicolons_bom_and_headers_in_any_case(owner):
    text = "\ufeffTIME;Customer Name;E-mail;Registration;Work Description\n08:30;Sam;sam@example.com;;Brakes\n"
    parsed = lounge.parse_appointments(text=lounge.decode_upload(text.encode("utf-8")), day=DAY)
    row = parsed.rows[0]
    assert (row.time, row.name, row.member, row.work) == (time(8, 30), "Sam", owner, "Brakes")


def test_decode_upload_reads_windows_1252_from_excel():
    text = lounge.decode_upload("time,customer,plate\n09:00,Zoë Brontë,AB12CDE\n".encode("cp1252"))
    assert "Zoë Brontë" in text


def test_parse_unknown_customer_is_valid_but_unmatched(owner):
    parsed = parse(
        "time,customer name,email or phone,plate\n09:00,Jo Bloggs,jo@example.org,ZZ99 ZZZ\n"
    )
    assert parsed.unknown == parsed.rows and parsed.rows[0].member is None


def test_parse_reports_malformed_rows_with_line_and_reason(owner):
    parsed = parse(
        "time,customer name,email or phone,plate,work\n"
        "9 o'clock,Sam,sam@example.com,,x\n"
        "09:00,,sam@example.com,,x\n"
        "09:00,Sam,,,x\n"
        "09:00,Sam,not-an-email@,,x\n"
        "\n"
        "09:00,Sam,,KB21 XYZ!!,x\n"
        f"09:00,Sam,{'0' * 31},,x\n"
    )
    reasons = {r.line: " ".join(r.errors) for r in parsed.malformed}
    assert list(reasons) == [2, 3, 4, 5, 7, 8]
    assert "is not a time" in reasons[2]
    assert "customer name is missing" in reasons[3]
    assert "no email, phone or plate" in reasons[4]
    assert "is not an email address" in reasons[5]
    assert "is not a registration plate" in reasons[7]
    assert "is not a phone number" in reasons[8]  # longer than any phone number


def test_parse_phone_shared_by_two_members_matches_nobody(owner):
    from tests.factories import MemberFactory

    MemberFactory(phone="07700900123")
    parsed = parse("time,customer,phone\n09:00,Sam,07700 900123\n")
    assert parsed.rows[0].member is None
    assert "belongs to 2 members" in parsed.rows[0].note


def test_parse_without_required_columns_refuses_the_file():
    with pytest.raises(lounge.LoungeError) as excinfo:
        parse("when,who\n09:00,Sam\n")
    assert excinfo.value.code == "columns"
    assert "missing: time, name, email or phone, or plate" in str(excinfo.value)


@pytest.mark.parametrize(
    "data,code",
    [(b"", "empty"), (b"time,customer,plate\n", "no_rows"), (b"PK\x03\x04\x00\x00", "not_csv")],
)
def test_prepare_unusable_file_is_refused_and_nothing_is_kept(staff, data, code):
    f = BytesIO(data)
    f.name = "x.csv"
    with pytest.raises(lounge.LoungeError) as excinfo:
        lounge.lounge_import_prepare(upload=f, day=DAY, by=staff)
    assert excinfo.value.code == code
    assert not LoungeImport.objects.exists()


def test_prepare_keeps_a_draft_and_imports_nothing(owner, staff):
    batch, parsed = lounge.lounge_import_prepare(
        upload=upload("time,customer,email\n09:00,Sam,sam@example.com\n10:00,Jo,jo@example.org\n"),
        day=DAY,
        by=staff,
    )
    assert (batch.status, batch.rows_matched, batch.rows_unknown) == ("draft", 1, 1)
    assert not Appointment.objects.exists()


def test_confirm_imports_matched_and_unknown_rows_but_not_malformed(owner, staff):
    batch, _ = lounge.lounge_import_prepare(
        upload=upload(
            "time,customer,email or phone,plate,work\n"
            "09:00,Sam,sam@example.com,,Service\n"
            "10:00,Jo,jo@example.org,,MOT\n"
            "noon,Al,al@example.org,,Tyres\n"
        ),
        day=DAY,
        by=staff,
    )
    batch = lounge.lounge_import_confirm(batch=batch, by=staff)
    assert list(Appointment.objects.values_list("customer_name", "member", "day")) == [
        ("Sam", owner.pk, DAY),
        ("Jo", None, DAY),
    ]
    assert (batch.status, batch.rows_added, batch.rows_malformed) == ("imported", 2, 1)


def test_confirm_same_file_twice_adds_nothing_new(owner, staff):
    text = "time,customer,email\n09:00,Sam,sam@example.com\n10:00,Jo,jo@example.org\n"
    first, _ = lounge.lounge_import_prepare(upload=upload(text), day=DAY, by=staff)
    lounge.lounge_import_confirm(batch=first, by=staff)
    second, _ = lounge.lounge_import_prepare(
        upload=upload(text + "11:00,Al,al@example.org\n"), day=DAY, by=staff
    )
    second = lounge.lounge_import_confirm(batch=second, by=staff)
    assert Appointment.objects.count() == 3
    assert (second.rows_added, second.rows_already) == (1, 2)


def test_confirm_a_draft_twice_is_refused(owner, staff):
    batch, _ = lounge.lounge_import_prepare(
        upload=upload("time,customer,email\n09:00,Sam,sam@example.com\n"), day=DAY, by=staff
    )
    lounge.lounge_import_confirm(batch=batch, by=staff)
    with pytest.raises(lounge.LoungeError) as excinfo:
        lounge.lounge_import_confirm(batch=batch, by=staff)
    assert excinfo.value.code == "already_imported"
    assert Appointment.objects.count() == 1


def test_confirm_failing_midway_imports_nothing(owner, staff):
    batch, _ = lounge.lounge_import_prepare(
        upload=upload("time,customer,email\n09:00,Sam,sam@example.com\n10:00,Jo,jo@example.org\n"),
        day=DAY,
        by=staff,
    )
    with (
        mock.patch.object(LoungeImport, "save", side_effect=RuntimeError("database went away")),
        pytest.raises(RuntimeError),
    ):
        lounge.lounge_import_confirm(batch=batch, by=staff)
    batch.refresh_from_db()
    assert batch.status == "draft" and not Appointment.objects.exists()


def test_member_phone_is_normalised_for_matching():
    from tests.factories import MemberFactory

    member = MemberFactory(phone=" +44 (0)7700-900 555 ")
    assert member.phone_key == "07700900555"
