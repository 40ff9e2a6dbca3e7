"""Leads to a showroom's CRM: one ADF/XML email per lead, to Settings -> Dealership -> CRM lead
address, through the outbox (queued in the lead's transaction, retried, sent once).

Any layer with a lead calls ``crm_lead_enqueue`` with an ``AdfLead`` (community/adf.py); the
showroom's part of the document (vendor, provider) comes from here, the one home of that rule.
The message has a single text/plain part whose body is only the ADF document: no HTML part, no
attachment, nothing a member typed in a header.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from community.adf import (
    AdfContact,
    AdfError,
    AdfLead,
    AdfProvider,
    AdfVendor,
    adf_document,
    adf_name_parts,
    adf_validate,
)
from community.models import LeadBase, OutboundEmail
from community.outbox import outbox_enqueue
from community.showrooms import contact_email, dealership, sender_address, site_url

CRM_MAIL_KIND = "crm_lead"

logger = logging.getLogger("paddock.crm")


class CrmError(Exception):
    """A CRM rule said no; ``code`` is machine-readable, the message is for staff."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


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


def crm_customer_contact(*, lead: LeadBase) -> AdfContact:
    """Any lead's asker as ADF's customer contact: the name in parts when it has two, else whole,
    with their email and phone."""
    first, last = adf_name_parts(lead.name)
    return AdfContact(
        first_name=first,
        last_name=last,
        full_name="" if first else lead.name,
        email=lead.email,
        phone=lead.phone,
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


def crm_lead_send(
    *,
    lead: LeadBase,
    site: Site | None,
    subject: str,
    dedupe_key: str,
    build: Callable[[], AdfLead],
) -> LeadBase:
    """Queue ``lead`` (any kind) for its showroom's CRM once, in the caller's transaction, and
    record on it where it stands: ``crm_email`` (the queued message) or ``crm_error`` (why the
    ADF document could not be built or is not valid; nothing is sent then). Asking again for a
    lead already queued changes nothing; without a CRM address nothing is built or sent.

    ``build`` makes the lead's ADF (it may raise AdfError, e.g. when there is no car to name)."""
    if lead.crm_email_id is not None:  # queued before: the outbox sends it (once)
        return lead
    if not crm_lead_address(site):  # nothing to build: the lead stays in Paddock
        return lead
    try:
        message = crm_lead_enqueue(lead=build(), site=site, subject=subject, dedupe_key=dedupe_key)
    except AdfError as error:
        logger.warning("%s %s not sent to the CRM: %s", type(lead).__name__, lead.pk, error)
        lead.crm_email, lead.crm_error = None, str(error)[:2000]
    else:
        lead.crm_email, lead.crm_error = message, ""
    lead.save(update_fields=["crm_email", "crm_error", "updated_at"])
    return lead


@transaction.atomic
def crm_lead_resend(
    *,
    lead: LeadBase,
    site: Site | None,
    subject: str,
    dedupe_key: str,
    build: Callable[[], AdfLead],
) -> LeadBase:
    """Staff send a lead whose CRM mail failed (not valid ADF, or the outbox gave up) again:
    a fresh document, built from the lead as it is now, queued under a new dedupe key.
    CrmError ``not_failed`` when the lead was sent or is waiting (sending it again would give
    the CRM a duplicate), ``no_address`` when the showroom has no CRM lead address."""
    locked = type(lead).objects.select_for_update().get(pk=lead.pk)
    if not locked.crm_failed:
        raise CrmError(
            "This lead is not failed: it was sent to the CRM or is waiting to be sent.",
            code="not_failed",
        )
    if not crm_lead_address(site):
        raise CrmError(
            "The showroom has no CRM lead address: set it in Settings > Dealership.",
            code="no_address",
        )
    locked.crm_email, locked.crm_error = None, ""
    return crm_lead_send(
        lead=locked,
        site=site,
        subject=subject,
        dedupe_key=f"{dedupe_key}:again:{timezone.now():%Y%m%d%H%M%S%f}",
        build=build,
    )
