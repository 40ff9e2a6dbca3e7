"""Writes for sales leads: ``sales_lead_create`` for every kind (each kind's rules live here),
and sending a lead to the showroom's CRM (once; again only after it failed).

A lead, its CRM mail, the member's confirmation and (for a showroom without a CRM address) the
notice to the showroom are written in one transaction through the outbox, so a lead is never
half-made and no mail is lost or sent twice. A second identical request within
``REPEAT_WINDOW`` (a double click, a reload) returns the first lead instead of making another.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from community.crm import crm_lead_address, crm_lead_resend, crm_lead_send
from community.leads.selectors import models_on_sale, sales_lead_adf
from community.mail import absolute_url, queue_mail
from community.models import Car, CarModel, Member, SalesLead
from community.showrooms import contact_email

REPEAT_WINDOW = timedelta(minutes=10)
MAX_MILEAGE = 1_000_000


class SalesLeadError(Exception):
    """A sales lead rule said no; ``code`` is machine-readable, ``field`` the form field it is
    about (empty: the whole form), the message is for people."""

    def __init__(self, message: str, *, code: str, field: str = ""):
        super().__init__(message)
        self.code = code
        self.field = field


def _member_phone(member: Member) -> str:
    mobile = getattr(member, "mobile", None)
    if mobile is not None and mobile.verified_at and not mobile.stopped_at:
        return mobile.number
    return member.phone


def _check(
    kind: str,
    *,
    member,
    car,
    mileage,
    condition,
    car_models,
    timeframe,
    page,
    message,
    written_by,
    consent,
    interest,
) -> None:
    if member is None or not member.is_active:
        raise SalesLeadError("Sign in to tell us about it.", code="member")
    if kind == SalesLead.Kind.TRADE_IN:
        if car is None or car.owner_id != member.pk:
            raise SalesLeadError("Choose a car from your garage.", code="car", field="car")
        if mileage is None or not 0 <= mileage <= MAX_MILEAGE:
            raise SalesLeadError(
                f"Give the mileage, from 0 to {MAX_MILEAGE:,} miles.",
                code="mileage",
                field="mileage",
            )
        if condition not in SalesLead.Condition.values:
            raise SalesLeadError("Choose the car's condition.", code="condition", field="condition")
    elif kind == SalesLead.Kind.NEXT_CAR:
        if not car_models and not message.strip():
            raise SalesLeadError(
                "Choose a model you are interested in, or tell us what you are looking for.",
                code="models",
                field="car_models",
            )
        if timeframe not in SalesLead.Timeframe.values:
            raise SalesLeadError(
                "Choose when you might change.", code="timeframe", field="timeframe"
            )
    elif kind == SalesLead.Kind.TEST_DRIVE:
        if page is None:
            raise SalesLeadError("A test drive is booked from an event.", code="page")
        if len(car_models) != 1:
            raise SalesLeadError("Choose the car to drive.", code="models", field="car_models")
    elif kind == SalesLead.Kind.STAFF:
        if written_by is None or not written_by.is_staff:
            raise SalesLeadError("Only staff write leads down.", code="staff")
        if interest not in SalesLead.Interest.values:
            raise SalesLeadError(
                "Choose what they are interested in.", code="interest", field="interest"
            )
        if car is not None and car.owner_id != member.pk:
            raise SalesLeadError("Choose one of the owner's cars.", code="car", field="car")
        if car is None and not car_models:
            raise SalesLeadError(
                "Name the car: one of the owner's cars or a model they are interested in.",
                code="models",
                field="car_models",
            )
        if not message.strip():
            raise SalesLeadError("Write down what was said.", code="message", field="message")
        if not consent:
            raise SalesLeadError(
                "Tick the box once the owner has agreed to be contacted about it.",
                code="consent",
                field="consent",
            )
    else:
        raise SalesLeadError("Unknown kind of lead.", code="kind")


def _repeat_of(kind: str, *, member, car, page, car_models) -> SalesLead | None:
    """The same request made moments ago (a double click, a reload), if any."""
    recent = SalesLead.objects.filter(
        kind=kind, member=member, car=car, page=page, created_at__gte=timezone.now() - REPEAT_WINDOW
    ).order_by("-created_at")
    wanted = sorted(m.pk for m in car_models)
    for lead in recent.prefetch_related("car_models"):
        if sorted(m.pk for m in lead.car_models.all()) == wanted:
            return lead
    return None


@transaction.atomic
def sales_lead_create(
    *,
    kind: str,
    member: Member,
    site: Site | None,
    message: str = "",
    car: Car | None = None,
    mileage: int | None = None,
    condition: str = "",
    car_models: Iterable[CarModel] = (),
    timeframe: str = "",
    page: Page | None = None,
    interest: str = "",
    written_by: Member | None = None,
    consent: bool = False,
) -> SalesLead:
    """Record a member's interest of ``kind`` (``SalesLead.Kind``), send it to the showroom's CRM
    and confirm it to the member. SalesLeadError (nothing written) when a rule says no:

    - trade-in: a car of the member's, its mileage and condition;
    - next car: a model of interest or a note, and a timeframe;
    - test drive: the event (``page``) and one model to drive (which models an event offers is
      the events app's rule, checked before this);
    - written by staff: the staff member, the interest, the owner's car or a model, what was
      said, and the owner's agreement to be contacted.
    """
    car_models = list(car_models)
    message = (message or "").strip()
    interest = interest or {
        SalesLead.Kind.TRADE_IN: SalesLead.Interest.TRADE_IN,
        SalesLead.Kind.TEST_DRIVE: SalesLead.Interest.TEST_DRIVE,
    }.get(kind, SalesLead.Interest.BUY)
    _check(
        kind,
        member=member,
        car=car,
        mileage=mileage,
        condition=condition,
        car_models=car_models,
        timeframe=timeframe,
        page=page,
        message=message,
        written_by=written_by,
        consent=consent,
        interest=interest,
    )
    on_sale = set(models_on_sale().values_list("pk", flat=True))
    if kind != SalesLead.Kind.STAFF and any(m.pk not in on_sale for m in car_models):
        raise SalesLeadError("Choose models we sell today.", code="models", field="car_models")
    repeat = _repeat_of(kind, member=member, car=car, page=page, car_models=car_models)
    if repeat is not None:
        return repeat
    lead = SalesLead(
        kind=kind,
        interest=interest,
        member=member,
        site=site,
        name=f"{member.first_name} {member.last_name}".strip() or member.display_name,
        email=member.email,
        phone=_member_phone(member),
        message=message,
        mileage=mileage,
        condition=condition,
        timeframe=timeframe,
        page=page,
        written_by=written_by,
        consent_at=timezone.now() if kind == SalesLead.Kind.STAFF else None,
    )
    if kind == SalesLead.Kind.STAFF:
        lead.assigned_to = written_by
    if car is not None:
        lead.car = car
        lead.year, lead.make, lead.model = car.year, car.car_model.make, car.car_model.name
        lead.trim, lead.vin = car.trim, car.vin
    try:
        lead.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise SalesLeadError(messages[0], code="invalid", field=field) from error
    lead.save()
    lead.car_models.set(car_models)
    sales_lead_crm_send(lead=lead)
    _queue_mail(lead)
    return lead


def _crm_args(lead: SalesLead) -> dict:
    return {
        "site": lead.site,
        "subject": f"Lead: {lead.get_kind_display()}, {lead.subject}",
        "dedupe_key": f"crm-lead:sales:{lead.pk}",
        "build": lambda: sales_lead_adf(lead=lead, site=lead.site),
    }


def sales_lead_crm_send(*, lead: SalesLead) -> SalesLead:
    """Queue the lead's ADF/XML email to its showroom's CRM, once (``crm.crm_lead_send``)."""
    return crm_lead_send(lead=lead, **_crm_args(lead))


def sales_lead_crm_resend(*, lead: SalesLead) -> SalesLead:
    """Staff send a lead whose CRM mail failed again (``crm.crm_lead_resend``)."""
    return crm_lead_resend(lead=lead, **_crm_args(lead))


def _queue_mail(lead: SalesLead) -> None:
    site = lead.site
    context = {
        "lead": lead,
        "subject": lead.subject,
        "admin_url": absolute_url(reverse("sales_leads:edit", args=[lead.pk]), site=site),
    }
    if lead.kind != SalesLead.Kind.STAFF:
        queue_mail(
            template="sales_lead_confirmation",
            to=[lead.email],
            context=context,
            dedupe_key=f"sales-lead-confirmation:{lead.pk}",
            site=site,
        )
    if not crm_lead_address(site):  # the sales team reads it in its mail instead of its CRM
        queue_mail(
            template="sales_lead_staff",
            to=[contact_email(site)],
            context=context,
            dedupe_key=f"sales-lead-staff:{lead.pk}",
            site=site,
        )
