"""ADF/XML (Auto-lead Data Format 1.0): the document a showroom's CRM reads a lead from.

Any layer describes its lead with the plain dataclasses here (``AdfLead`` and its parts), so
community never imports the app a lead comes from; ``adf_document`` builds the document with lxml
and ``adf_validate`` checks it against the schema kept in the repository,
``community/schemas/adf-1.0.xsd``. Sending it is ``community.crm.crm_lead_enqueue``.

Arbitrary text always gives a valid document. Everything a member typed (names, email, phone,
comments) is set as element text, so lxml escapes markup, ``&`` and ``]]>``. Before that,
``adf_text`` removes what XML 1.0 cannot carry at all: the control characters U+0000 to U+0008,
U+000B, U+000C and U+000E to U+001F, lone surrogates (U+D800 to U+DFFF) and the non-characters
U+FFFE and U+FFFF (tab, line feed and carriage return stay; a carriage return is written as
``&#13;`` so it survives parsing). Then it cuts the text to its limit: ``COMMENTS_LIMIT``
(2,000 characters) for comments, ``FIELD_LIMIT`` (200) for names, email and phone.

Consent: ADF 1.0 has no element for it. The customer's consent is the last line of
``customer/comments``: "Consent to be contacted: <what the customer agreed to, and when>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

import xmlschema
from lxml import etree

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "adf-1.0.xsd"
COMMENTS_LIMIT = 2000
FIELD_LIMIT = 200
CONSENT_PREFIX = "Consent to be contacted: "
# The characters XML 1.0 forbids (its Char production), tab, LF and CR excepted.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class AdfError(Exception):
    """An ADF document could not be built or is not valid; ``code`` is machine-readable
    (``naive_date``, ``not_xml``, ``no_version``, ``invalid``), the message says what is wrong."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class AdfVehicle:
    """``interest``: buy, lease, sell, trade-in or test-drive; ``status``: new or used."""

    year: int
    make: str
    model: str
    interest: str = "buy"
    status: str = "new"
    trim: str = ""
    vin: str = ""
    odometer: int | None = None
    odometer_units: str = "mi"
    condition: str = ""
    comments: str = ""


@dataclass(frozen=True)
class AdfContact:
    """A person or business: the name in parts (``first_name``/``last_name``) when known, else
    ``full_name``; an email or a phone (ADF needs one of them). ``phone_type``: voice, fax,
    cellphone or pager."""

    first_name: str = ""
    last_name: str = ""
    full_name: str = ""
    email: str = ""
    phone: str = ""
    phone_type: str = "voice"
    business: bool = False


@dataclass(frozen=True)
class AdfTimeframe:
    """When the customer means to buy: a description, and the window as dates where known."""

    description: str
    earliest: date | None = None
    latest: date | None = None


@dataclass(frozen=True)
class AdfCustomer:
    """``comments``: what the customer wrote; ``consent``: what they agreed to and when (Paddock's
    words, written as the comments' last line); ``timeframe``: when they mean to buy."""

    contact: AdfContact
    comments: str = ""
    consent: str = ""
    timeframe: AdfTimeframe | None = None


@dataclass(frozen=True)
class AdfVendor:
    """The showroom the lead is for."""

    name: str
    contact: AdfContact
    url: str = ""


@dataclass(frozen=True)
class AdfProvider:
    """Who produced the lead: Paddock, at the showroom's site address."""

    name: str = "Paddock"
    service: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class AdfLead:
    """One prospect. ``lead_id`` and ``source`` identify it in the CRM (``<id source=...>``)."""

    request_date: datetime
    customer: AdfCustomer
    vendor: AdfVendor
    provider: AdfProvider
    vehicles: list[AdfVehicle] = field(default_factory=list)
    lead_id: str = ""
    source: str = "Paddock"


def adf_text(text: str, *, limit: int = FIELD_LIMIT) -> str:
    """``text`` as the document carries it: XML 1.0's forbidden characters removed, then cut to
    ``limit`` characters."""
    return _FORBIDDEN.sub("", str(text or ""))[:limit]


def adf_name_parts(name: str) -> tuple[str, str]:
    """("Sam", "Porter") from "Sam Porter" (the last word is the last name); ("", "") when the
    name is one word, which then goes in whole as the full name."""
    parts = (name or "").strip().rsplit(None, 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", "")


def _sub(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def _contact(parent, contact: AdfContact, *, primary: bool = False) -> None:
    element = _sub(parent, "contact", primarycontact="1" if primary else "")
    kind = "business" if contact.business else ""
    if contact.first_name or contact.last_name:
        _sub(element, "name", adf_text(contact.first_name), part="first", type=kind)
        _sub(element, "name", adf_text(contact.last_name), part="last", type=kind)
    if contact.full_name or not (contact.first_name or contact.last_name):
        _sub(element, "name", adf_text(contact.full_name), part="full", type=kind)
    if contact.email:
        _sub(element, "email", adf_text(contact.email))
    if contact.phone:
        _sub(element, "phone", adf_text(contact.phone), type=contact.phone_type)


def _vehicle(parent, vehicle: AdfVehicle) -> None:
    element = _sub(parent, "vehicle", interest=vehicle.interest, status=vehicle.status)
    _sub(element, "year", f"{vehicle.year:04d}")
    _sub(element, "make", adf_text(vehicle.make))
    _sub(element, "model", adf_text(vehicle.model))
    if vehicle.vin:
        _sub(element, "vin", adf_text(vehicle.vin))
    if vehicle.trim:
        _sub(element, "trim", adf_text(vehicle.trim))
    if vehicle.odometer is not None:
        _sub(element, "odometer", str(vehicle.odometer), units=vehicle.odometer_units)
    if vehicle.condition:
        _sub(element, "condition", vehicle.condition)
    if vehicle.comments:
        _sub(element, "comments", adf_text(vehicle.comments, limit=COMMENTS_LIMIT))


def _customer_comments(customer: AdfCustomer) -> str:
    lines = [adf_text(customer.comments, limit=COMMENTS_LIMIT)] if customer.comments else []
    if customer.consent:
        lines.append(CONSENT_PREFIX + adf_text(customer.consent))
    return "\n\n".join(lines)


def adf_document(*, lead: AdfLead) -> bytes:
    """The lead as an ADF 1.0 document (UTF-8, with ``<?adf version="1.0"?>``). Not validated
    here: call ``adf_validate`` before sending it."""
    if lead.request_date.utcoffset() is None:
        raise AdfError("The request date needs a time zone.", code="naive_date")
    root = etree.Element("adf")
    prospect = _sub(root, "prospect", status="new")
    if lead.lead_id:
        _sub(prospect, "id", adf_text(lead.lead_id), sequence="1", source=adf_text(lead.source))
    _sub(prospect, "requestdate", lead.request_date.isoformat(timespec="seconds"))
    for vehicle in lead.vehicles:
        _vehicle(prospect, vehicle)
    customer = _sub(prospect, "customer")
    _contact(customer, lead.customer.contact, primary=True)
    timeframe = lead.customer.timeframe
    if timeframe is not None:
        element = _sub(customer, "timeframe")
        _sub(element, "description", adf_text(timeframe.description))
        for tag, day in (("earliestdate", timeframe.earliest), ("latestdate", timeframe.latest)):
            if day is not None:
                _sub(element, tag, day.isoformat())
    comments = _customer_comments(lead.customer)
    if comments:
        _sub(customer, "comments", comments)
    vendor = _sub(prospect, "vendor")
    _sub(vendor, "vendorname", adf_text(lead.vendor.name))
    if lead.vendor.url:
        _sub(vendor, "url", adf_text(lead.vendor.url))
    _contact(vendor, lead.vendor.contact)
    provider = _sub(prospect, "provider")
    _sub(provider, "name", adf_text(lead.provider.name), part="full")
    for tag in ("service", "url", "email", "phone"):
        value = getattr(lead.provider, tag)
        if value:
            _sub(provider, tag, adf_text(value))
    root.addprevious(etree.ProcessingInstruction("adf", 'version="1.0"'))
    return etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


@cache
def adf_schema() -> xmlschema.XMLSchema:
    """The ADF 1.0 schema (community/schemas/adf-1.0.xsd), loaded once."""
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def adf_parse(document: bytes) -> etree._ElementTree:
    """Parse a document (no entities resolved, no network); AdfError ``not_xml`` otherwise."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(document, parser).getroottree()
    except etree.XMLSyntaxError as error:
        raise AdfError(f"Not XML: {error}", code="not_xml") from error


def adf_validate(document: bytes) -> None:
    """Raise AdfError unless ``document`` is an ADF 1.0 document: the ``<?adf version="1.0"?>``
    instruction before the root (``no_version``) and valid against the schema (``invalid``,
    with xmlschema's reason)."""
    tree = adf_parse(document)
    before = tree.getroot().getprevious()
    versions = []
    while before is not None:
        if isinstance(before, etree._ProcessingInstruction) and before.target == "adf":
            versions.append(before.text)
        before = before.getprevious()
    if versions != ['version="1.0"']:
        raise AdfError('The document lacks <?adf version="1.0"?>.', code="no_version")
    errors = list(adf_schema().iter_errors(tree))
    if errors:
        first = errors[0]
        path = f" at {first.path}" if first.path else ""
        raise AdfError(f"Not valid ADF 1.0{path}: {first.reason}", code="invalid")
