"""Reads for accessory pages: what fits a member's cars, the listing, an accessory's page,
showcases, the home page, events and check-in.

Listings load each accessory's fitments (with their car models) and gallery (with the image and its
card-size rendition) in a fixed number of queries, however many accessories, models or photos.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from accessories import models  # the module, not its names: the page models import selectors
from community.adf import (
    AdfCustomer,
    AdfError,
    AdfLead,
    AdfVehicle,
)
from community.crm import crm_customer_contact, crm_provider, crm_vendor
from community.lazy import Lazy
from community.models import CarModel
from community.selectors import member_cars_of_request, member_garage
from events.models import EventPage
from events.selectors import events_visible_to
from paddock.page_cache import shared
from paddock.prepared import Prepared

CARD_RENDITION = "fill-600x450"
GALLERY_RENDITIONS = ("fill-960x720", "fill-160x120")
LISTING_PAGE_SIZE = 24


# --- Fits your car ----------------------------------------------------------------------------


def accessories_fitting(cars: Iterable) -> QuerySet[models.AccessoryPage]:
    """Live accessories that fit any of ``cars`` (Car objects): the same model, and the car's
    model year within the fitment's ``year_from``..``year_to`` (an empty end is open)."""
    condition = models.AccessoryFitment.fitting_q(cars)
    if condition is None:
        return models.AccessoryPage.objects.none()
    return models.AccessoryPage.objects.live().filter(
        pk__in=models.AccessoryFitment.objects.filter(condition).values("page_id")
    )


def fitments_of(pks: Iterable[int]) -> dict[int, tuple]:
    """Each of the accessories ``pks``'s fitments as ``AccessoryFitment`` rows holding what
    ``AccessoryFitment.fits`` reads (model and years), by accessory: read once per cache
    generation (fitments change when their accessory is published: a new one) and kept in each
    process, so the "Fits your ..." marks of a page read none."""
    pks = sorted(set(pks))
    key = hashlib.sha256(",".join(map(str, pks)).encode()).hexdigest()[:32]
    rows = shared(
        f"fitments-of:{key}",
        lambda: tuple(
            models.AccessoryFitment.objects.filter(page_id__in=pks)
            .order_by("page_id", "sort_order")
            .values_list("page_id", "car_model_id", "year_from", "year_to")
        ),
        memo=True,
    )
    found: dict[int, list] = {pk: [] for pk in pks}
    for page_id, car_model_id, year_from, year_to in rows:
        found[page_id].append(
            models.AccessoryFitment(
                page_id=page_id, car_model_id=car_model_id, year_from=year_from, year_to=year_to
            )
        )
    return {pk: tuple(fitments) for pk, fitments in found.items()}


def cars_fitting(fitments: Iterable, cars: Iterable) -> list:
    """Which of ``cars`` any of ``fitments`` fits (``AccessoryFitment.fits``)."""
    fitments = list(fitments)
    return [car for car in cars if any(fitment.fits(car) for fitment in fitments)]


def cars_fitted(accessory: models.AccessoryPage, cars: Iterable) -> list:
    """Which of ``cars`` the accessory fits (uses its prefetched fitments)."""
    return cars_fitting(accessory.fitments.all(), cars)


# --- Prefetching for cards and pages --------------------------------------------------------


def _image_prefetch(*specs: str):
    from wagtail.images import get_image_model

    return Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(*specs))


def with_fitments(qs: QuerySet[models.AccessoryPage]) -> QuerySet[models.AccessoryPage]:
    """Fitments (with their models) prefetched, in their order: what ``cars_fitted`` reads."""
    return qs.prefetch_related(
        Prefetch(
            "fitments",
            queryset=models.AccessoryFitment.objects.select_related("car_model").order_by(
                "sort_order"
            ),
        )
    )


def with_card_relations(
    qs: QuerySet[models.AccessoryPage], *specs: str
) -> QuerySet[models.AccessoryPage]:
    """Fitments (with models) and the gallery (with images and ``specs`` renditions) prefetched."""
    specs = specs or (CARD_RENDITION,)
    return with_fitments(qs).prefetch_related(
        Prefetch(
            "gallery_images",
            queryset=models.AccessoryGalleryImage.objects.prefetch_related(
                _image_prefetch(*specs)
            ).order_by("sort_order"),
        ),
    )


# --- The listing ------------------------------------------------------------------------------


def fitted_models() -> list:
    """Car models that at least one live accessory fits, for the model filter."""
    return list(
        CarModel.objects.filter(
            accessory_fitments__page__in=models.AccessoryPage.objects.live().values("pk")
        )
        .distinct()
        .order_by("make", "name")
    )


ACCESSORY_LISTING_KEYS = (
    "accessories",
    "accessory_page",
    "showcases",
    "my_cars",
    "car_models",
    "filters",
    "filtering",
)


def accessory_listing(*, index, request) -> dict:
    """The index page: showcases, a "fits" filter (my cars, one of them, or any model) and a page of
    accessories. Unknown filter values are ignored."""
    cars = member_cars_of_request(request)
    params = request.GET
    qs = models.AccessoryPage.objects.live().child_of(index)
    fits = params.get("fits", "")
    chosen_car = None
    if fits == "mine" and cars:
        qs = qs.filter(pk__in=accessories_fitting(cars).values("pk"))
    elif fits.startswith("car-") and fits[4:].isdigit():
        chosen_car = next((car for car in cars if car.pk == int(fits[4:])), None)
        if chosen_car is not None:
            qs = qs.filter(pk__in=accessories_fitting([chosen_car]).values("pk"))
        else:
            fits = ""
    elif fits not in ("", "mine"):
        fits = ""
    car_models = fitted_models()
    model = params.get("model", "")
    chosen_model = next((m for m in car_models if str(m.pk) == model), None)
    if chosen_model is not None:
        qs = qs.filter(
            pk__in=models.AccessoryFitment.objects.filter(car_model=chosen_model).values("page_id")
        )
    else:
        model = ""
    in_stock = params.get("in_stock") == "1"
    if in_stock:
        qs = qs.exclude(stock_status=models.AccessoryPage.StockStatus.OUT)
    # Out-of-stock items last, otherwise by name.
    sold_out_last = Case(
        When(stock_status=models.AccessoryPage.StockStatus.OUT, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    qs = with_card_relations(qs.order_by(sold_out_last, "title", "pk"))
    paginator = Paginator(qs, LISTING_PAGE_SIZE)
    page = paginator.get_page(params.get("page"))
    filtering = bool(fits or model or in_stock)
    showcases = []
    if not filtering and page.number == 1:
        showcases = list(
            models.ShowcasePage.objects.live()
            .child_of(index)
            .select_related("cover_image")
            .order_by("path")
        )
    return {
        "accessories": list(page.object_list),
        "accessory_page": page,
        "showcases": showcases,
        "my_cars": cars,
        "car_models": car_models,
        "filters": {
            "fits": fits,
            "model": model,
            "in_stock": in_stock,
            "chosen_car": chosen_car,
            "chosen_model": chosen_model,
        },
        "filtering": filtering,
    }


# --- One accessory ----------------------------------------------------------------------------


def on_display(*, accessory: models.AccessoryPage, viewer) -> list[models.AccessoryOnDisplay]:
    """Upcoming events the viewer may see where the accessory is on display, soonest first."""
    return list(
        models.AccessoryOnDisplay.objects.filter(
            accessory=accessory,
            event__in=events_visible_to(viewer=viewer).filter(end__gte=timezone.now()),
        )
        .select_related("event")
        .order_by("event__start")
    )


def pickup_events(*, viewer, limit: int = 4) -> list:
    """The next events the viewer may see, where a reserved item can be picked up."""
    return list(
        events_visible_to(viewer=viewer)
        .filter(start__gte=timezone.now())
        .exclude(status=EventPage.Status.CANCELLED)
        .order_by("start")
        .only("pk", "title", "start", "venue_name", "kind", "url_path", "status")[:limit]
    )


# A member's earlier questions about an accessory (its page's own part), compiled once per
# process: most members have none, and a reservation's event is read only when there is one.
_MY_LEADS = Prepared(
    lambda shape, *, accessory_id, member_id: models.Lead.objects.filter(
        accessory_id=accessory_id, member_id=member_id
    ).order_by("-created_at")[:3]
)


def accessory_page_context(*, accessory: models.AccessoryPage, request) -> dict:
    """What an accessory's page shows: gallery, what it fits (and which of my cars), related
    accessories, where it is on display, my earlier questions, and the events where a reserved
    part can be picked up (the lead form's choices: accessories.views adds the form). Each value
    ``Lazy``: a member's page from its shared body reads only what their own parts show."""
    viewer = request.user
    cars = Lazy(lambda: member_cars_of_request(request))
    # A preview shows the editor's unsaved fitments, photos and related accessories, which the
    # page holds in memory; a published page loads them in a fixed number of queries.
    previewing = getattr(request, "is_preview", False) or accessory.pk is None

    def loaded():
        if not previewing:
            prefetch_related_objects(
                [accessory],
                Prefetch(
                    "fitments",
                    queryset=models.AccessoryFitment.objects.select_related("car_model").order_by(
                        "sort_order"
                    ),
                ),
                Prefetch(
                    "gallery_images",
                    queryset=models.AccessoryGalleryImage.objects.prefetch_related(
                        _image_prefetch(*GALLERY_RENDITIONS)
                    ).order_by("sort_order"),
                ),
            )
        return accessory

    page = Lazy(loaded)

    def related():
        related_ids = [link.accessory_id for link in accessory.related_links.all()]
        related_by_id = {
            a.pk: a
            for a in with_card_relations(
                models.AccessoryPage.objects.live()
                .filter(pk__in=related_ids)
                .exclude(pk=accessory.pk)
            )
        }
        return [related_by_id[pk] for pk in related_ids if pk in related_by_id]

    def my_leads():
        if not (getattr(viewer, "is_authenticated", False) and accessory.pk):
            return []
        return _MY_LEADS.all(accessory_id=accessory.pk, member_id=viewer.pk)

    events = Lazy(lambda: pickup_events(viewer=viewer))
    fitments = Lazy(lambda: list(page.fitments.all()))
    return {
        "fits_cars": Lazy(lambda: cars_fitted(page, cars)),
        "fitting_fitments": Lazy(lambda: [f for f in fitments if any(f.fits(c) for c in cars)]),
        "my_cars": cars,
        "gallery": Lazy(lambda: list(page.gallery_images.all())),
        "fitments": fitments,
        "related_accessories": Lazy(related),
        "on_display": Lazy(
            lambda: on_display(accessory=accessory, viewer=viewer) if accessory.pk else []
        ),
        "my_leads": Lazy(my_leads),
        "pickup_events": events,
        "can_reserve": Lazy(lambda: accessory.can_reserve and bool(events)),
    }


# --- Showcases, home page, events -------------------------------------------------------------


def showcase_context(*, showcase, request) -> dict:
    """The showcase's live accessories in the editor's order, each with its ``showcase_note``
    (``showcase.items`` is what the editor has in hand in a preview)."""
    cars = member_cars_of_request(request)
    shown = _in_order(list(showcase.items.all()), note_attr="showcase_note")
    return {"accessories": shown, "my_cars": cars}


def _in_order(rows, *, note_attr: str | None = None, limit: int | None = None) -> list:
    """The live accessories of ``rows`` (orderables with ``accessory_id``), in their order, each
    with the row's ``note`` as ``note_attr``. ``rows`` may be a page's unsaved rows (a preview)."""
    rows = sorted(rows, key=lambda row: row.sort_order or 0)[:limit]
    by_id = {
        a.pk: a
        for a in with_card_relations(
            models.AccessoryPage.objects.live().filter(pk__in=[row.accessory_id for row in rows])
        )
    }
    shown = []
    for row in rows:
        accessory = by_id.get(row.accessory_id)
        if accessory is not None:
            if note_attr:
                setattr(accessory, note_attr, row.note)
            shown.append(accessory)
    return shown


def featured_accessories(*, home, limit: int = 6) -> list[models.AccessoryPage]:
    """The live accessories staff feature on the home page, in their order (what fits the
    viewer's cars is their own mark on each card: ``contributions.fits_on_cards``)."""
    rows = list(home.featured_accessories.all())
    if not rows:
        return []
    return _in_order(rows, limit=limit)


def accessories_on_display(*, event) -> list[models.AccessoryPage]:
    """Live accessories staff bring to ``event``, in their order, each with ``display_note``."""
    rows = list(event.accessories_on_display.all())
    if not rows:
        return []
    return _in_order(rows, note_attr="display_note")


# --- Check-in: reserved items handed over at the event ------------------------------------------


def pickups_at(*, event) -> list[models.Lead]:
    """Reservations to hand over at ``event`` (not lost), by name."""
    return list(
        models.Lead.objects.filter(event=event, kind=models.Lead.Kind.RESERVE)
        .exclude(status=models.Lead.Status.LOST)
        .select_related("accessory", "member")
        .order_by("handed_over_at", "name", "pk")
    )


# --- A lead for the showroom's CRM (ADF/XML) -----------------------------------------------------


def lead_vehicle(*, lead: models.Lead) -> AdfVehicle:
    """The car a lead is about, for ADF (which needs one): the asker's car the accessory fits,
    else their newest car (status "used", with trim and VIN); else, for visitors and members with
    an empty garage, the first car model the accessory fits, at the newest model year it fits
    (status "new"). AdfError ``no_vehicle`` when there is none."""
    accessory = lead.accessory
    cars = list(member_garage(member=lead.member)) if lead.member_id else []
    fitments = list(accessory.fitments.select_related("car_model"))
    fitted = [car for car in cars if any(fitment.fits(car) for fitment in fitments)]
    car = (fitted or cars or [None])[0]
    if car is not None:
        return AdfVehicle(
            year=car.year,
            make=car.car_model.make,
            model=car.car_model.name,
            trim=car.trim,
            vin=car.vin,
            status="used",
            interest="buy",
            comments=lead_vehicle_comments(lead=lead),
        )
    if fitments:
        fitment = fitments[0]
        return AdfVehicle(
            year=fitment.year_to or max(fitment.year_from or 0, timezone.localdate().year),
            make=fitment.car_model.make,
            model=fitment.car_model.name,
            status="new",
            interest="buy",
            comments=lead_vehicle_comments(lead=lead),
        )
    raise AdfError(
        "ADF needs a car (year, make and model): the asker has none in their garage and the "
        "accessory fits no car model.",
        code="no_vehicle",
    )


def lead_vehicle_comments(*, lead: models.Lead) -> str:
    """What the lead is about: the accessory, its part number and price, and for a reservation
    the event where it is picked up (staff content only)."""
    accessory = lead.accessory
    lines = [f"{lead.get_kind_display()}: {accessory.title}"]
    if accessory.part_number:
        lines.append(f"Part number: {accessory.part_number}")
    lines.append(
        f"Price: £{accessory.price}" if accessory.price is not None else "Price: on request"
    )
    if lead.event_id:
        start = timezone.localtime(lead.event.start)
        lines.append(f"Pick-up at: {lead.event.title}, {start:%d %b %Y %H:%M}")
    return "\n".join(lines)


def lead_adf(*, lead: models.Lead, site) -> AdfLead:
    """The lead as ADF for the showroom ``site``'s CRM: the car (``lead_vehicle``), the asker's
    name in parts, email, phone, message and consent, the showroom and Paddock."""
    if lead.consent_at is not None:
        consent = (
            "yes, ticked on the accessory's page at "
            f"{timezone.localtime(lead.consent_at).isoformat(timespec='seconds')}"
        )
    else:
        consent = "yes, asked while signed in as a member"
    return AdfLead(
        request_date=timezone.localtime(lead.created_at),
        lead_id=str(lead.pk),
        source="Paddock accessory lead",
        vehicles=[lead_vehicle(lead=lead)],
        customer=AdfCustomer(
            contact=crm_customer_contact(lead=lead),
            comments=lead.message,
            consent=consent,
        ),
        vendor=crm_vendor(site),
        provider=crm_provider(site),
    )
