"""The one place the staff tools read accessories and leads: accessory questions and
reservations (the accessories app) and sales leads (community), read together as ``LeadRow``s
for the "All leads" listing, the owner card and the dashboard."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Count, Q, Value
from django.urls import reverse
from django.utils import timezone

from accessories.models import AccessoryFitment, AccessoryPage, Lead
from community.models import LeadBase, SalesLead

# Every kind of lead, in the order staff read them: {kind: label}. The two models' kinds differ.
LEAD_KINDS = {**dict(Lead.Kind.choices), **dict(SalesLead.Kind.choices)}
ACCESSORY, SALES = "accessory", "sales"
NOBODY = "null"  # ``assigned_to``: leads nobody has yet (the filter's "Nobody yet")


@dataclass
class LeadRow:
    """One lead of either model, as the staff listings show it."""

    lead: LeadBase
    source: str  # ACCESSORY or SALES

    @property
    def pk(self) -> int:
        return self.lead.pk

    @property
    def name(self) -> str:
        return self.lead.name

    @property
    def kind(self) -> str:
        return self.lead.kind

    @property
    def kind_label(self) -> str:
        return self.lead.get_kind_display()

    @property
    def about(self) -> str:
        """The accessory's title, or what the sales lead is about."""
        if self.source == ACCESSORY:
            return self.lead.accessory.title
        return self.lead.subject

    @property
    def status(self) -> str:
        return self.lead.status

    @property
    def status_label(self) -> str:
        return self.lead.get_status_display()

    @property
    def assigned_to(self) -> str:
        person = self.lead.assigned_to
        return (person.display_name or person.email) if person else ""

    @property
    def created_at(self) -> datetime:
        return self.lead.created_at

    @property
    def crm_label(self) -> str:
        return self.lead.crm_label

    @property
    def crm_failed(self) -> bool:
        return self.lead.crm_failed

    @property
    def member(self):
        return self.lead.member

    @property
    def member_id(self) -> int | None:
        return self.lead.member_id

    @property
    def url(self) -> str:
        """The lead's edit screen, in its own viewset."""
        name = "accessory_leads:edit" if self.source == ACCESSORY else "sales_leads:edit"
        return reverse(name, args=[self.lead.pk])


def _lead_querysets(*, kind: str = "", status: str = "", assigned_to=None, member=None):
    """The accessory and sales lead querysets narrowed alike; a kind of the other model leaves
    a queryset empty."""
    accessory, sales = Lead.objects.all(), SalesLead.objects.all()
    if kind:
        accessory = accessory.filter(kind=kind) if kind in Lead.Kind.values else accessory.none()
        sales = sales.filter(kind=kind) if kind in SalesLead.Kind.values else sales.none()
    if assigned_to == NOBODY:
        accessory, sales = accessory.filter(assigned_to=None), sales.filter(assigned_to=None)
        assigned_to = None
    for field, value in (("status", status), ("assigned_to", assigned_to), ("member", member)):
        if value:
            accessory, sales = accessory.filter(**{field: value}), sales.filter(**{field: value})
    return accessory, sales


def _rows(keys: list[dict]) -> list[LeadRow]:
    """The leads named by ``keys`` ({"pk", "source"}, in order), read in two queries (and one
    for the sales leads' models of interest)."""
    wanted = {ACCESSORY: [], SALES: []}
    for key in keys:
        wanted[key["source"]].append(key["pk"])
    found = {}
    if wanted[ACCESSORY]:
        for lead in Lead.objects.filter(pk__in=wanted[ACCESSORY]).select_related(
            "accessory", "assigned_to", "member", "crm_email"
        ):
            found[ACCESSORY, lead.pk] = lead
    if wanted[SALES]:
        for lead in (
            SalesLead.objects.filter(pk__in=wanted[SALES])
            .select_related("assigned_to", "member", "crm_email")
            .prefetch_related("car_models")
        ):
            found[SALES, lead.pk] = lead
    return [
        LeadRow(found[key["source"], key["pk"]], key["source"])
        for key in keys
        if (key["source"], key["pk"]) in found
    ]


class AllLeads:
    """Every lead of both models, newest first, as a lazy sequence a paginator slices: counting
    is one query, a page of rows three or four, however many leads there are."""

    def __init__(self, *, kind: str = "", status: str = "", assigned_to=None, member=None):
        accessory, sales = _lead_querysets(
            kind=kind, status=status, assigned_to=assigned_to, member=member
        )
        source = CharField()
        self._keys = (
            accessory.order_by()
            .annotate(source=Value(ACCESSORY, output_field=source))
            .values("pk", "created_at", "source")
            .union(
                sales.order_by()
                .annotate(source=Value(SALES, output_field=source))
                .values("pk", "created_at", "source"),
                all=True,
            )
            .order_by("-created_at", "-pk")
        )

    def count(self) -> int:
        return self._keys.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _rows(list(self._keys[index]))
        return _rows([self._keys[index]])[0]


def all_leads(*, kind: str = "", status: str = "", assigned_to=None) -> AllLeads:
    """Every lead (accessory questions and reservations, sales leads), newest first, narrowed
    by kind (any of ``LEAD_KINDS``), status and who has it."""
    return AllLeads(kind=kind, status=status, assigned_to=assigned_to)


def available() -> bool:
    """Whether leads can be shown (kept as one switch for the templates' wording)."""
    return True


def fitting_by_member(members, *, limit: int = 3) -> dict[int, list[AccessoryPage]]:
    """For each member, up to ``limit`` live accessories that fit one of their cars (the rule of
    ``AccessoryFitment.fits``), in one query for all members.

    Expects the members' ``cars`` prefetched."""
    cars = [car for member in members for car in member.cars.all()]
    if not cars:
        return {}
    fitments = list(
        AccessoryFitment.objects.filter(
            car_model_id__in={car.car_model_id for car in cars}, page__live=True
        )
        .select_related("page")
        .order_by("page__title", "pk")
    )
    result = {}
    for member in members:
        pages: dict[int, AccessoryPage] = {}
        for fitment in fitments:
            if fitment.page_id not in pages and any(fitment.fits(c) for c in member.cars.all()):
                pages[fitment.page_id] = fitment.page
        result[member.pk] = list(pages.values())[:limit]
    return result


def leads_of(member) -> list[LeadRow]:
    """The member's leads of every kind, accessory and sales, newest first."""
    return AllLeads(member=member)[:]


def lead_summary(row: LeadRow) -> str:
    """The timeline's line: "Trade-in appraisal: What is my 2019 MINI Cooper S worth? (new,
    Sam Ortiz; CRM: Waiting to be sent)"; a failed CRM mail in short (the lead says why)."""
    follow_up = ", ".join(
        part for part in (row.status_label.lower(), row.assigned_to or "nobody yet") if part
    )
    crm = "failed, to send again" if row.crm_failed else row.crm_label
    return f"{row.kind_label}: {row.about} ({follow_up}; CRM: {crm})"


def new_leads(*, limit: int = 5) -> tuple[int, list[LeadRow]]:
    """How many leads (accessory and sales) nobody has handled yet, and the latest few."""
    new = AllLeads(status=LeadBase.Status.NEW)
    return new.count(), new[:limit]


# How the dashboard counts each kind of lead: (one, several).
LEAD_KIND_WORDS = {
    Lead.Kind.ASK: ("question", "questions"),
    Lead.Kind.RESERVE: ("reservation", "reservations"),
    SalesLead.Kind.TRADE_IN: ("trade-in appraisal", "trade-in appraisals"),
    SalesLead.Kind.NEXT_CAR: ("next-car enquiry", "next-car enquiries"),
    SalesLead.Kind.TEST_DRIVE: ("test drive", "test drives"),
    SalesLead.Kind.STAFF: ("lead written by staff", "leads written by staff"),
}


def leads_today_by_kind() -> list[tuple[int, str]]:
    """Leads of both models that came in today (dealership time) per kind, every kind listed,
    in one query: [(n, "questions")]."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    counts = dict(
        Lead.objects.filter(created_at__gte=midnight)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
        .union(
            SalesLead.objects.filter(created_at__gte=midnight)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by(),
            all=True,
        )
    )
    today = []
    for kind in LEAD_KINDS:
        one, several = LEAD_KIND_WORDS.get(kind, (LEAD_KINDS[kind].lower(),) * 2)
        n = counts.get(kind, 0)
        today.append((n, one if n == 1 else several))
    return today


def _rate(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else ""


def leads_per_accessory() -> list[dict]:
    """One row per accessory with leads, most first: how many, and how they ended."""
    status = Lead.Status
    rows = (
        AccessoryPage.objects.annotate(
            leads_total=Count("leads"),
            leads_asked=Count("leads", filter=Q(leads__kind=Lead.Kind.ASK)),
            leads_reserved=Count("leads", filter=Q(leads__kind=Lead.Kind.RESERVE)),
            leads_new=Count("leads", filter=Q(leads__status=status.NEW)),
            leads_contacted=Count("leads", filter=Q(leads__status=status.CONTACTED)),
            leads_won=Count("leads", filter=Q(leads__status=status.WON)),
            leads_lost=Count("leads", filter=Q(leads__status=status.LOST)),
        )
        .filter(leads_total__gt=0)
        .order_by("-leads_total", "title")
    )
    return [
        {
            "accessory": row.title,
            "part_number": row.part_number,
            "leads": row.leads_total,
            "asked": row.leads_asked,
            "reserved": row.leads_reserved,
            "new": row.leads_new,
            "contacted": row.leads_contacted,
            "won": row.leads_won,
            "lost": row.leads_lost,
            "conversion": _rate(row.leads_won, row.leads_won + row.leads_lost),
        }
        for row in rows
    ]
