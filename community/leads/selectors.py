"""Reads for sales leads: the ADF document a lead becomes, and what members may pick."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from community.adf import (
    AdfCustomer,
    AdfError,
    AdfLead,
    AdfTimeframe,
    AdfVehicle,
)
from community.crm import crm_customer_contact, crm_provider, crm_vendor
from community.models import CarModel, SalesLead

# A timeframe as ADF's window, in days from the lead's date: (earliest, latest).
TIMEFRAME_DAYS = {
    SalesLead.Timeframe.NOW: (0, 90),
    SalesLead.Timeframe.SOON: (90, 180),
    SalesLead.Timeframe.YEAR: (180, 365),
    SalesLead.Timeframe.LATER: (365, None),
}


def models_on_sale() -> QuerySet[CarModel]:
    """The car models a member can say they are interested in: those still on sale (no last
    year, or one not yet past)."""
    year = timezone.localdate().year
    return CarModel.objects.filter(Q(last_year__isnull=True) | Q(last_year__gte=year))


def new_model_year(car_model: CarModel) -> int:
    """The model year a new car of ``car_model`` is sold as today."""
    year = timezone.localdate().year
    return min(year, car_model.last_year) if car_model.last_year else year


def sales_lead_vehicles(*, lead: SalesLead) -> list[AdfVehicle]:
    """The cars the lead is about: the member's own car (used: trade-in, or what staff noted)
    with its mileage and condition, then each model of interest (new, this model year)."""
    vehicles = []
    comments = sales_lead_vehicle_comments(lead=lead)
    if lead.year and lead.make and lead.model:
        vehicles.append(
            AdfVehicle(
                year=lead.year,
                make=lead.make,
                model=lead.model,
                trim=lead.trim,
                vin=lead.vin,
                odometer=lead.mileage,
                condition=lead.condition,
                interest=SalesLead.Interest.TRADE_IN
                if lead.kind == SalesLead.Kind.TRADE_IN
                else lead.interest,
                status="used",
                comments=comments,
            )
        )
    interest = SalesLead.Interest.BUY if lead.kind == SalesLead.Kind.TRADE_IN else lead.interest
    for car_model in lead.car_models.all() if lead.pk else ():
        vehicles.append(
            AdfVehicle(
                year=new_model_year(car_model),
                make=car_model.make,
                model=car_model.name,
                interest=interest,
                status="new",
                comments=comments,
            )
        )
    if not vehicles:
        raise AdfError(
            "ADF needs a car (year, make and model): the lead names no car and no model.",
            code="no_vehicle",
        )
    return vehicles


def sales_lead_vehicle_comments(*, lead: SalesLead) -> str:
    """What the lead is about, in Paddock's words: its kind, and the event it came from."""
    lines = [f"{lead.get_kind_display()}: {lead.subject}"]
    page = lead.page.specific if lead.page_id else None
    if page is not None:
        start = getattr(page, "start", None)
        when = f", {timezone.localtime(start):%d %b %Y %H:%M}" if start else ""
        lines.append(f"From: {page.title}{when}")
    return "\n".join(lines)


def sales_lead_timeframe(*, lead: SalesLead) -> AdfTimeframe | None:
    if not lead.timeframe:
        return None
    day = timezone.localdate(lead.created_at)
    earliest, latest = TIMEFRAME_DAYS.get(lead.timeframe, (None, None))
    return AdfTimeframe(
        description=lead.get_timeframe_display(),
        earliest=day + timedelta(days=earliest) if earliest is not None else None,
        latest=day + timedelta(days=latest) if latest is not None else None,
    )


def sales_lead_consent(*, lead: SalesLead) -> str:
    """What the customer agreed to, for ADF's comments."""
    if lead.kind == SalesLead.Kind.STAFF:
        writer = lead.written_by
        who = (
            (f"{writer.first_name} {writer.last_name}".strip() or str(writer))
            if writer
            else "staff"
        )
        return (
            f"yes, told {who} in person; written down at "
            f"{timezone.localtime(lead.consent_at or lead.created_at).isoformat(timespec='seconds')}"
        )
    return "yes, asked while signed in as a member"


def sales_lead_adf(*, lead: SalesLead, site) -> AdfLead:
    """The lead as ADF for the showroom ``site``'s CRM: the car(s), the member's contact, what
    they wrote (and staff's note for a lead staff wrote), when they mean to buy, consent."""
    return AdfLead(
        request_date=timezone.localtime(lead.created_at),
        lead_id=f"sales-{lead.pk}",
        source="Paddock sales lead",
        vehicles=sales_lead_vehicles(lead=lead),
        customer=AdfCustomer(
            contact=crm_customer_contact(lead=lead),
            comments=lead.message,
            consent=sales_lead_consent(lead=lead),
            timeframe=sales_lead_timeframe(lead=lead),
        ),
        vendor=crm_vendor(site),
        provider=crm_provider(site),
    )
