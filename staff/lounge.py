"""The service lounge: the day's service appointments, uploaded as CSV and matched to members.

Staff upload the workshop system's export (``lounge_import_prepare``): the whole file is parsed
and every row matched to a member by email, phone or plate before anything is imported, and the
upload is kept as a draft with its report: rows matched, rows of customers who are not members
yet, and malformed rows with their line number and what is wrong. Confirming
(``lounge_import_confirm``) imports the matched and unknown rows in one transaction, or nothing;
malformed rows are never imported (staff fix them and upload again). An appointment already
imported for the day (same time, name and contact details) is not added twice, so uploading the
same file again, or a later export of the same day, adds only what is new.

Each advisor gets one digest a day listing their owners in the lounge (``lounge_digests_send``).
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as Time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from community.mail import absolute_url, queue_mail
from community.models import Appointment, Car, LoungeImport, Member, OutboundEmail
from community.models.garage import normalise_plate, plate_key
from community.models.members import phone_key
from community.texts.conversations import conversation_text_send
from community.texts.services import TextError
from staff.selectors import lounge_by_advisor, owners_queryset, ready_text_body, ready_text_key

MAX_UPLOAD_BYTES = 1024 * 1024

# Header names as the workshop systems spell them, reduced to lower-case letters and digits.
COLUMNS = {
    "time": {"time", "appointmenttime", "appointment", "start", "starttime", "slot", "bookedtime"},
    "name": {"customername", "customer", "name", "client", "clientname", "fullname", "owner"},
    "contact": {"emailorphone", "contact", "contactdetails", "emailphone"},
    "email": {"email", "emailaddress", "customeremail", "mail"},
    "phone": {"phone", "telephone", "tel", "mobile", "phonenumber", "mobilenumber"},
    "plate": {"plate", "registration", "reg", "regno", "registrationplate", "numberplate", "vrm"},
    "work": {"work", "job", "jobs", "service", "description", "workdescription", "notes"},
}
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S", "%I:%M%p", "%I:%M %p", "%I%p", "%H%M"]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"]
PLATE_PATTERN = re.compile(r"^[A-Z0-9 ]{2,10}$")


class LoungeError(Exception):
    """The file cannot be imported at all; ``code`` is machine-readable, the message for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@dataclass
class Row:
    line: int
    time: Time | None = None
    name: str = ""
    email: str = ""
    phone: str = ""
    plate: str = ""
    work: str = ""
    errors: list[str] = field(default_factory=list)
    member: Member | None = None
    car: Car | None = None
    matched_by: str = ""
    note: str = ""  # why a valid row matched nobody, when there is more to say

    @property
    def malformed(self) -> bool:
        return bool(self.errors)

    @property
    def fingerprint(self) -> str:
        key = "|".join(
            [
                self.time.strftime("%H:%M") if self.time else "",
                " ".join(self.name.casefold().split()),
                self.email.lower(),
                phone_key(self.phone),
                plate_key(self.plate),
            ]
        )
        return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class Parsed:
    rows: list[Row]

    @property
    def matched(self) -> list[Row]:
        return [r for r in self.rows if not r.malformed and r.member is not None]

    @property
    def unknown(self) -> list[Row]:
        return [r for r in self.rows if not r.malformed and r.member is None]

    @property
    def malformed(self) -> list[Row]:
        return [r for r in self.rows if r.malformed]

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if not r.malformed]


# --- reading the file ---------------------------------------------------------------------------


def decode_upload(data: bytes) -> str:
    """The file's text: UTF-8 (with or without Excel's BOM), else Windows-1252 as Excel saves it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise LoungeError(
            f"The file is {len(data) // 1024} KB; a day's appointments fit in "
            f"{MAX_UPLOAD_BYTES // 1024} KB. Is this the right file?",
            code="too_large",
        )
    if b"\x00" in data[:4096]:
        raise LoungeError(
            "This is not a CSV file (it looks like a spreadsheet or another binary file). "
            "Save it as CSV and upload that.",
            code="not_csv",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.casefold())


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        key = _header_key(name)
        for column, aliases in COLUMNS.items():
            if key in aliases and column not in found:
                found[column] = position
    missing = [c for c in ("time", "name") if c not in found]
    if not ({"contact", "email", "phone", "plate"} & found.keys()):
        missing.append("email or phone, or plate")
    if missing:
        raise LoungeError(
            "The first line must name the columns; missing: "
            + ", ".join(missing)
            + f". Found: {', '.join(h for h in header if h.strip()) or 'nothing'}. "
            "Expected e.g.: time, customer name, email or phone, plate, work.",
            code="columns",
        )
    return found


def _parse_time(value: str, day: date) -> tuple[Time | None, str]:
    value = value.strip()
    if not value:
        return None, "the time is missing"
    compact = value.upper().replace(".", ":") if value.count(".") == 1 else value.upper()
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(compact, fmt).time(), ""
        except ValueError:
            continue
    for fmt in DATETIME_FORMATS:
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if moment.date() != day:
            return (
                None,
                f"the date {moment:%d/%m/%Y} is not the day being imported ({day:%d/%m/%Y})",
            )
        return moment.time(), ""
    return None, f"“{value[:40]}” is not a time (use e.g. 09:30)"


def _split_contact(value: str) -> tuple[str, str]:
    """A combined "email or phone" cell: an address, a number, or both."""
    email = phone = ""
    for part in re.split(r"[,;/|]|\s{2,}", value):
        part = part.strip()
        if "@" in part:
            email = email or part
        elif part:
            phone = phone or part
    return email, phone


def _read_row(cells: list[str], columns: dict[str, int], line: int, day: date) -> Row:
    def cell(column: str) -> str:
        position = columns.get(column)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    row = Row(line=line, name=" ".join(cell("name").split())[:120], work=cell("work")[:2000])
    row.time, problem = _parse_time(cell("time"), day)
    if problem:
        row.errors.append(problem)
    if not row.name:
        row.errors.append("the customer name is missing")
    email, phone = _split_contact(cell("contact"))
    row.email = (cell("email") or email).lower()
    row.phone = " ".join((cell("phone") or phone).split())
    row.plate = normalise_plate(re.sub(r"[-.]", " ", cell("plate")))
    if row.email:
        try:
            validate_email(row.email)
            if len(row.email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            row.errors.append(f"“{row.email[:60]}” is not an email address")
    if row.phone and not (7 <= len(re.sub(r"\D", "", row.phone)) and len(row.phone) <= 30):
        row.errors.append(f"“{row.phone[:30]}” is not a phone number")
    if row.plate and not PLATE_PATTERN.match(row.plate):
        row.errors.append(f"“{row.plate[:20]}” is not a registration plate")
    if not (row.email or row.phone or row.plate):
        row.errors.append("no email, phone or plate to recognise the customer by")
    return row


def parse_appointments(*, text: str, day: date) -> Parsed:
    """Every row of the file, matched to members; raises LoungeError if the file is unusable.

    Accepts comma, semicolon or tab separated files and any order of columns, named in the
    first line in any case ("Time", "Customer name", "Email or phone", "Plate", "Work"...).
    """
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise LoungeError("The file is empty.", code="empty")
    first = next(line for line in lines if line.strip())
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[Row] = []
    columns: dict[str, int] = {}
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = cells
                columns = _columns(header)
                continue
            if len(rows) >= settings.PADDOCK_LOUNGE_MAX_ROWS:
                raise LoungeError(
                    f"The file has more than {settings.PADDOCK_LOUNGE_MAX_ROWS} appointments; "
                    "upload one day at a time.",
                    code="too_many_rows",
                )
            row = _read_row(cells, columns, reader.line_num, day)
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                row.errors.append(
                    f"{len(cells)} columns where the header has {len(header)} "
                    f"(a “{delimiter}” inside a value needs quotes)"
                )
            rows.append(row)
    except csv.Error as error:
        raise LoungeError(
            f"Line {reader.line_num} cannot be read as CSV ({error}).", code="csv"
        ) from None
    if not rows:
        raise LoungeError("The file has a header line but no appointments.", code="no_rows")
    match_rows(rows)
    return Parsed(rows=rows)


# --- matching -----------------------------------------------------------------------------------


def match_rows(rows: list[Row]) -> None:
    """Match valid rows to members by email, then phone, then plate, in three queries."""
    valid = [r for r in rows if not r.malformed]
    emails = {r.email for r in valid if r.email}
    phones = {phone_key(r.phone) for r in valid if r.phone}
    plates = {plate_key(r.plate) for r in valid if r.plate}
    members = Member.objects.filter(is_active=True)
    by_email = {m.email: m for m in members.filter(email__in=emails)} if emails else {}
    by_phone: dict[str, list[Member]] = {}
    for m in members.filter(phone_key__in=phones) if phones else []:
        by_phone.setdefault(m.phone_key, []).append(m)
    cars = (
        Car.objects.filter(registration_key__in=plates, owner__is_active=True)
        .select_related("owner", "car_model")
        .order_by("pk")
        if plates
        else []
    )
    by_plate: dict[str, list[Car]] = {}
    for car in cars:
        by_plate.setdefault(car.registration_key, []).append(car)
    for row in valid:
        row_plate_cars = by_plate.get(plate_key(row.plate), []) if row.plate else []
        phone_members = by_phone.get(phone_key(row.phone), []) if row.phone else []
        if row.email and row.email in by_email:
            row.member, row.matched_by = by_email[row.email], Appointment.MatchedBy.EMAIL
        elif len(phone_members) == 1:
            row.member, row.matched_by = phone_members[0], Appointment.MatchedBy.PHONE
        elif len({car.owner_id for car in row_plate_cars}) == 1:
            row.member, row.matched_by = row_plate_cars[0].owner, Appointment.MatchedBy.PLATE
        elif len(phone_members) > 1:
            row.note = f"the phone number belongs to {len(phone_members)} members"
        elif row_plate_cars:
            row.note = "the plate is in more than one member's garage"
        if row.member is not None:
            own = [car for car in row_plate_cars if car.owner_id == row.member.pk]
            row.car = own[0] if own else None


# --- importing ----------------------------------------------------------------------------------


def lounge_import_prepare(*, upload, day: date, by: Member) -> tuple[LoungeImport, Parsed]:
    """Read and match an uploaded file and keep it as a draft with its report (nothing imported).

    Raises LoungeError when the file cannot be used at all (not CSV, no header, no rows...).
    """
    text = decode_upload(upload.read(MAX_UPLOAD_BYTES + 1))
    parsed = parse_appointments(text=text, day=day)
    batch = LoungeImport.objects.create(
        day=day,
        filename=(getattr(upload, "name", "") or "appointments.csv")[:255],
        source=text,
        uploaded_by=by,
        rows_total=len(parsed.rows),
        rows_matched=len(parsed.matched),
        rows_unknown=len(parsed.unknown),
        rows_malformed=len(parsed.malformed),
    )
    return batch, parsed


def lounge_import_parse(*, batch: LoungeImport) -> Parsed:
    """The draft's report again (members are matched afresh)."""
    return parse_appointments(text=batch.source, day=batch.day)


@transaction.atomic
def lounge_import_confirm(*, batch: LoungeImport, by: Member) -> LoungeImport:
    """Import the draft's matched and unknown rows, all in one transaction; malformed rows are left
    out. Rows already imported for the day are not added again (their member is refreshed)."""
    batch = LoungeImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status == LoungeImport.Status.IMPORTED:
        raise LoungeError("This file was imported already.", code="already_imported")
    parsed = lounge_import_parse(batch=batch)
    existing = {
        a.fingerprint: a
        for a in Appointment.objects.select_for_update().filter(
            day=batch.day, fingerprint__in=[r.fingerprint for r in parsed.valid]
        )
    }
    new: list[Appointment] = []
    seen: set[str] = set()
    for row in parsed.valid:
        if row.fingerprint in seen:  # the same appointment twice in one file
            continue
        seen.add(row.fingerprint)
        appointment = existing.get(row.fingerprint)
        if appointment is not None:
            if (appointment.member_id, appointment.work) != (
                row.member and row.member.pk,
                row.work,
            ):
                appointment.member, appointment.car = row.member, row.car
                appointment.matched_by, appointment.work = row.matched_by, row.work
                appointment.save(update_fields=["member", "car", "matched_by", "work"])
            continue
        new.append(
            Appointment(
                day=batch.day,
                time=row.time,
                customer_name=row.name,
                email=row.email,
                phone=row.phone,
                plate=row.plate,
                work=row.work,
                member=row.member,
                car=row.car,
                matched_by=row.matched_by,
                fingerprint=row.fingerprint,
                batch=batch,
                line=row.line,
            )
        )
    # Another upload of the same day confirmed at the same moment may have added some of these:
    # they are skipped, not an error.
    Appointment.objects.bulk_create(new, ignore_conflicts=True)
    added = Appointment.objects.filter(batch=batch).count()
    already = len(parsed.valid) - added
    batch.status = LoungeImport.Status.IMPORTED
    batch.imported_at = timezone.now()
    batch.rows_total = len(parsed.rows)
    batch.rows_matched = len(parsed.matched)
    batch.rows_unknown = len(parsed.unknown)
    batch.rows_malformed = len(parsed.malformed)
    batch.rows_added, batch.rows_already = added, already
    batch.save()
    return batch


# --- "your car is ready" ------------------------------------------------------------------------


@transaction.atomic
def lounge_ready_text_send(*, member: Member, day: date, by: Member):
    """Text ``member``, in the lounge today, that their car is ready for collection: once a day,
    as a message from their advisor (their choice, consent and STOP hold), recorded in their
    conversation on the owner card. LoungeError: ``not_today``, ``not_in_lounge``, and the text
    rules' codes (``cannot_text``, ``already_sent``...)."""
    if day != timezone.localdate():
        raise LoungeError(
            "Cars are ready today: text owners in the lounge today.", code="not_today"
        )
    appointments = list(
        Appointment.objects.filter(day=day, member=member)
        .select_related("car__car_model")
        .order_by("time", "pk")
    )
    if not appointments:
        raise LoungeError(f"{member.display_name} has no appointment today.", code="not_in_lounge")
    owner = owners_queryset().get(pk=member.pk)  # the cars, newest first
    body = ready_text_body(appointments=appointments, member=owner)
    try:
        return conversation_text_send(member=member, body=body, by=by, key=ready_text_key(day))
    except TextError as error:
        raise LoungeError(str(error), code=error.code) from error


# --- the advisors' digest -----------------------------------------------------------------------


def lounge_digests_send(*, day: date) -> int:
    """Queue one email per advisor listing their owners in the lounge on ``day``; returns how many
    advisors got one. Safe to call again: each advisor's digest for a day is queued once."""
    prefix = f"lounge-digest:{day.isoformat()}:"
    done = {
        key.removeprefix(prefix).split(":", 1)[0]
        for key in OutboundEmail.objects.filter(dedupe_key__startswith=prefix).values_list(
            "dedupe_key", flat=True
        )
    }
    sent = 0
    for advisor, visits in lounge_by_advisor(day=day):
        if str(advisor.pk) in done:
            continue
        queue_mail(
            template="lounge_digest",
            to=[advisor.email],
            context={
                "advisor": advisor,
                "day": day,
                "visits": visits,
                "lounge_url": absolute_url(f"/admin/lounge/?day={day.isoformat()}"),
            },
            dedupe_key=f"{prefix}{advisor.pk}",
        )
        sent += 1
    return sent


def lounge_digests_due(*, now: datetime | None = None) -> int:
    """Send today's digests once the morning hour (PADDOCK_LOUNGE_DIGEST_HOUR) has come."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.PADDOCK_LOUNGE_DIGEST_HOUR:
        return 0
    return lounge_digests_send(day=local.date())
