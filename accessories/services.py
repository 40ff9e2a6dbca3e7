"""Writes for accessories: leads (questions and reservations) and handing reserved items over.

A lead is written and both emails (to the parts staff, and the confirmation to the asker) are
queued in the outbox in one transaction. Nothing a visitor typed ever goes into a mail header: the
subjects carry only the accessory's title (staff content), the recipients are the parts team's
address and the asker's validated email, and there is no Reply-To. In the bodies, the plain-text
part is plain text, and the HTML part escapes every field.

When the showroom has a CRM lead address, the lead also goes there once as an ADF/XML document
(``lead_crm_send``), queued in the same transaction; a document that is not valid ADF is not sent
and the lead keeps the reason (``crm_error``) for staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from accessories.models import AccessoryPage, Lead
from accessories.selectors import lead_adf
from community import showrooms
from community.crm import crm_lead_resend, crm_lead_send
from community.mail import absolute_url, mail_site, queue_mail


class LeadError(Exception):
    """A lead rule said no; ``code`` is machine-readable, the message is for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def parts_recipients(*, site: Site | None) -> list[str]:
    """Where questions about a showroom's accessories go: its parts email, else its email, else
    the server's address."""
    dealership = showrooms.dealership(site)
    address = (dealership.parts_email or dealership.email) if dealership else ""
    return [address or settings.SERVER_EMAIL]


@transaction.atomic
def lead_create(
    *,
    accessory: AccessoryPage,
    name: str,
    email: str,
    kind: str = Lead.Kind.ASK,
    message: str = "",
    phone: str = "",
    member=None,
    event=None,
    consent: bool = False,
) -> Lead:
    """Record a question or reservation and queue the staff email and the confirmation.

    Visitors (no ``member``) must give ``consent`` to be contacted. A reservation needs an
    ``event`` to pick the item up at, and an accessory that is not out of stock.
    """
    if member is None and not consent:
        raise LeadError("Tick the box to let the parts team contact you.", code="consent")
    if kind not in Lead.Kind.values:
        raise LeadError("Ask a question or reserve the accessory.", code="kind")
    if kind == Lead.Kind.RESERVE:
        if event is None:
            raise LeadError("Choose the event where you will pick it up.", code="event")
        if not accessory.can_reserve:
            raise LeadError("This accessory is out of stock: ask us about it.", code="out")
    else:
        event = None
    lead = Lead(
        accessory=accessory,
        member=member,
        name=name,
        email=email,
        phone=phone,
        message=message,
        kind=kind,
        event=event,
        consent_at=timezone.now() if member is None else None,
    )
    lead.full_clean()
    lead.save()
    _queue_lead_mail(lead)
    lead_crm_send(lead=lead)
    return lead


def _crm_args(lead: Lead) -> dict:
    site = mail_site(lead.accessory)
    return {
        "site": site,
        "subject": f"Lead: {lead.get_kind_display()}, {lead.accessory.title}",
        "dedupe_key": f"crm-lead:accessory:{lead.pk}",
        "build": lambda: lead_adf(lead=lead, site=site),
    }


@transaction.atomic
def lead_crm_send(*, lead: Lead) -> Lead:
    """Queue the lead's ADF/XML email to its showroom's CRM lead address, once (the rule is
    ``community.crm.crm_lead_send``)."""
    return crm_lead_send(lead=lead, **_crm_args(lead))


def lead_crm_resend(*, lead: Lead) -> Lead:
    """Staff send a lead whose CRM mail failed again (``community.crm.crm_lead_resend``)."""
    return crm_lead_resend(lead=lead, **_crm_args(lead))


def _queue_lead_mail(lead: Lead) -> None:
    accessory = lead.accessory
    site = mail_site(accessory)  # both mails speak for the showroom that shows the accessory
    context = {
        "lead": lead,
        "accessory_title": accessory.title,
        "part_number": accessory.part_number,
        "price": accessory.price,
        "stock": accessory.get_stock_status_display(),
        "accessory_url": showrooms.site_page_url(accessory, site),
        "admin_url": absolute_url(reverse("accessory_leads:edit", args=[lead.pk]), site=site),
        "event_title": lead.event.title if lead.event else "",
        "event_start": timezone.localtime(lead.event.start) if lead.event else None,
        "is_member": lead.member_id is not None,
    }
    queue_mail(
        template="accessory_lead_staff",
        to=parts_recipients(site=site),
        context=context,
        dedupe_key=f"accessory-lead-staff:{lead.pk}",
        html=True,
        site=site,
    )
    queue_mail(
        template="accessory_lead_confirmation",
        to=[lead.email],
        context=context,
        dedupe_key=f"accessory-lead-confirmation:{lead.pk}",
        site=site,
    )


@transaction.atomic
def lead_hand_over(*, lead: Lead, by) -> Lead:
    """Staff hand a reserved item over (at the event's check-in): the lead is won."""
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    if locked.kind != Lead.Kind.RESERVE:
        raise LeadError("Only reservations are handed over.", code="not_reserved")
    if locked.handed_over_at is not None:
        raise LeadError(
            f"{locked.name} already has it (handed over "
            f"{timezone.localtime(locked.handed_over_at):%H:%M}).",
            code="already_handed_over",
        )
    locked.handed_over_at = timezone.now()
    locked.status = Lead.Status.WON
    if locked.assigned_to_id is None:
        locked.assigned_to = by
    locked.save(update_fields=["handed_over_at", "status", "assigned_to", "updated_at"])
    return locked
