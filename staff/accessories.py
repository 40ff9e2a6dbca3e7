"""The one place the staff tools read accessories and leads (the accessories app)."""

from django.db.models import Count, Q
from django.utils import timezone

from accessories.models import AccessoryFitment, AccessoryPage, Lead


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


def leads_of(member) -> list[Lead]:
    return list(
        Lead.objects.filter(member=member)
        .select_related("accessory", "assigned_to")
        .order_by("-created_at")
    )


def lead_summary(lead: Lead) -> str:
    kind = "Reserved" if lead.kind == Lead.Kind.RESERVE else "Asked about"
    return f"{kind} {lead.accessory.title} ({lead.get_status_display().lower()})"


def new_leads(*, limit: int = 5) -> tuple[int, list[Lead]]:
    """How many leads nobody has handled yet, and the latest few."""
    qs = Lead.objects.filter(status=Lead.Status.NEW)
    latest = list(qs.select_related("accessory", "member").order_by("-created_at")[:limit])
    return qs.count(), latest


# How the dashboard counts each kind of lead: (one, several).
LEAD_KIND_WORDS = {
    Lead.Kind.ASK: ("question", "questions"),
    Lead.Kind.RESERVE: ("reservation", "reservations"),
}


def leads_today_by_kind() -> list[tuple[int, str]]:
    """Leads that came in today (dealership time) per kind, every kind listed: [(n, "questions")]."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    counts = dict(
        Lead.objects.filter(created_at__gte=midnight)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    today = []
    for kind in Lead.Kind.values:
        one, several = LEAD_KIND_WORDS.get(kind, (Lead.Kind(kind).label.lower(),) * 2)
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
