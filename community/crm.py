"""Leads to a showroom's CRM: one ADF/XML email per lead, to Settings -> Dealership -> CRM lead
address, through the outbox (queued in the lead's transaction, retried, sent once).

Any layer with a lead calls ``crm_lead_enqueue`` with an ``AdfLead`` (community/adf.py); the
showroom's part of the document (vendor, provider) comes from here, the one home of that rule.
The message has a single text/plain part whose body is only the ADF document: no HTML part, no
attachment, nothing a member typed in a header.
"""

from __future__ import annotations

from wagtail.models import Site

from community.adf import (
    AdfContact,
    AdfLead,
    AdfProvider,
    AdfVendor,
    adf_document,
    adf_validate,
)
from community.models import OutboundEmail
from community.outbox import outbox_enqueue
from community.showrooms import contact_email, dealership, sender_address, site_url

CRM_MAIL_KIND = "crm_lead"


def crm_lead_address(site: Site | None) -> str:
    """The showroom's CRM lead address; blank: its leads stay in Paddock."""
    settings_ = dealership(site)
    return settings_.crm_lead_email if settings_ else ""


def crm_vendor(site: Site | None) -> AdfVendor:
    """The showroom as ADF's vendor: its name, site address and contact."""
    settings_ = dealership(site)
    name = settings_.name if settings_ else "Paddock"
    phone = settings_.phone if settings_ else ""
    return AdfVendor(
        name=name,
        url=site_url(site),
        contact=AdfContact(full_name=name, email=contact_email(site), phone=phone, business=True),
    )


def crm_provider(site: Site | None) -> AdfProvider:
    """Paddock as ADF's provider, at the showroom's site address."""
    return AdfProvider(name="Paddock", service="Owner community", url=site_url(site))


def crm_lead_enqueue(
    *, lead: AdfLead, site: Site | None, subject: str, dedupe_key: str
) -> OutboundEmail | None:
    """Build, validate and queue ``lead`` for the showroom's CRM, in the caller's transaction.

    Returns the queued message; None when the showroom has no CRM address. The same
    ``dedupe_key`` again returns the message queued the first time (never a second one). Raises
    AdfError (nothing queued) when the document is not valid ADF 1.0."""
    address = crm_lead_address(site)
    if not address:
        return None
    document = adf_document(lead=lead)
    adf_validate(document)
    message = outbox_enqueue(
        kind=CRM_MAIL_KIND,
        to=address,
        subject=subject,
        body=document.decode("utf-8"),
        from_email=sender_address(site),
        dedupe_key=dedupe_key,
    )
    return message or OutboundEmail.objects.get(dedupe_key=dedupe_key)
