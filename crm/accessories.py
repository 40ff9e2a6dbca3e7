"""The one place the staff tools read accessories and leads (the accessories app).

Everything here degrades to "nothing" while the accessories app has no models, so the dashboard,
reports, owner card and lounge work either way.
"""

from django.apps import apps


def available() -> bool:
    """Whether the accessories app provides accessories and leads."""
    try:
        apps.get_model("accessories", "Lead")
        apps.get_model("accessories", "AccessoryPage")
    except LookupError:
        return False
    return True


def fitting_by_member(members, *, limit: int = 3) -> dict[int, list]:
    """For each member, up to ``limit`` live accessories that fit one of their cars.

    Expects the members' ``cars`` prefetched."""
    if not available() or not members:
        return {}
    from accessories.selectors import accessories_fitting

    result = {}
    for member in members:
        cars = list(member.cars.all())
        result[member.pk] = list(accessories_fitting(cars)[:limit]) if cars else []
    return result


def leads_of(member) -> list:
    if not available():
        return []
    Lead = apps.get_model("accessories", "Lead")
    return list(
        Lead.objects.filter(member=member).select_related("accessory").order_by("-created_at")
    )


def lead_summary(lead) -> str:
    kind = "Reserved" if lead.kind == "reserve" else "Asked about"
    return f"{kind} {lead.accessory.title} ({lead.get_status_display().lower()})"


def new_leads(*, limit: int = 5) -> tuple[int, list]:
    """How many leads nobody has handled yet, and the latest few."""
    if not available():
        return 0, []
    Lead = apps.get_model("accessories", "Lead")
    qs = Lead.objects.filter(status="new")
    latest = list(qs.select_related("accessory", "member").order_by("-created_at")[:limit])
    return qs.count(), latest


def leads_per_accessory() -> list[dict]:
    """One row per accessory with leads: how many, and how they ended."""
    if not available():
        return []
    from django.db.models import Count, Q

    AccessoryPage = apps.get_model("accessories", "AccessoryPage")
    rows = (
        AccessoryPage.objects.annotate(
            leads_total=Count("leads"),
            leads_new=Count("leads", filter=Q(leads__status="new")),
            leads_contacted=Count("leads", filter=Q(leads__status="contacted")),
            leads_won=Count("leads", filter=Q(leads__status="won")),
            leads_lost=Count("leads", filter=Q(leads__status="lost")),
        )
        .filter(leads_total__gt=0)
        .order_by("-leads_total", "title")
    )
    return [
        {
            "accessory": row.title,
            "part_number": getattr(row, "part_number", ""),
            "leads": row.leads_total,
            "new": row.leads_new,
            "contacted": row.leads_contacted,
            "won": row.leads_won,
            "lost": row.leads_lost,
            "conversion": _rate(row.leads_won, row.leads_won + row.leads_lost),
        }
        for row in rows
    ]


def _rate(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else ""
