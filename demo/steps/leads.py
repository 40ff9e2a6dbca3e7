"""The demo's sales leads (demo/data/sales_leads.toml) for the sales team to follow up, made
directly like the demo's accessory leads: seeding sends no email, to members or to a CRM. The
kinds' rules are still checked (``SalesLead.full_clean``) and the car is copied in as the service
copies it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from community.models import CarModel, SalesLead
from demo.data import read
from demo.seed import DemoContext
from events.models import EventPage


@dataclass(frozen=True)
class DemoSalesLead:
    kind: str = field(metadata={"choices": SalesLead.Kind.values})
    member: str  # a demo member's email
    car: str = ""  # the model of the member's car to value (trade-in)
    mileage: int | None = None
    condition: str = ""
    models: tuple[str, ...] = ()  # car model names
    timeframe: str = ""
    event: str = ""  # the event's slug (test drive)
    interest: str = "buy"
    written_by: str = ""  # a demo staff member's email (staff leads)
    message: str = ""
    status: str = field(default=SalesLead.Status.NEW, metadata={"choices": SalesLead.Status.values})
    assigned_to: str = ""
    notes: str = ""


LEADS = read("sales_leads.toml").entries(DemoSalesLead, "leads", name="member")
INTEREST = {
    SalesLead.Kind.TRADE_IN: SalesLead.Interest.TRADE_IN,
    SalesLead.Kind.TEST_DRIVE: SalesLead.Interest.TEST_DRIVE,
}


def seed_sales_leads(context: DemoContext) -> None:
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:  # the sales team follow leads up too
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="community",
                codename__in=["change_saleslead", "view_saleslead"],
            )
        )
    for spec in LEADS:
        member = context.members.get(spec.member)
        if member is None:
            continue
        if SalesLead.objects.filter(member=member, kind=spec.kind).exists():
            context.report.kept("sales leads")
            continue
        event = EventPage.objects.filter(slug=spec.event).first() if spec.event else None
        if spec.event and event is None:
            continue
        car = member.cars.select_related("car_model").filter(car_model__name=spec.car).first()
        written_by = context.members.get(spec.written_by)
        lead = SalesLead(
            kind=spec.kind,
            interest=INTEREST.get(spec.kind, spec.interest),
            member=member,
            site=context.site,
            name=f"{member.first_name} {member.last_name}".strip() or member.display_name,
            email=member.email,
            phone=member.phone,
            message=spec.message,
            mileage=spec.mileage,
            condition=spec.condition,
            timeframe=spec.timeframe,
            page=event,
            written_by=written_by,
            consent_at=timezone.now() if written_by else None,
            status=spec.status,
            assigned_to=context.members.get(spec.assigned_to) or written_by,
            notes=spec.notes,
        )
        if spec.car and car is not None:
            lead.car = car
            lead.year, lead.make, lead.model = car.year, car.car_model.make, car.car_model.name
            lead.trim, lead.vin = car.trim, car.vin
        lead.full_clean()
        lead.save()
        lead.car_models.set(CarModel.objects.filter(name__in=spec.models))
        context.report.created("sales leads")
