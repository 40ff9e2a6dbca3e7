"""The demo dealership's accessory shop: an accessory index with accessories fitting the demo's car
models, a "Winter kit" and a "Track day essentials" showcase, accessories on display at Cars &
Coffee, three featured on the home page, and a few leads for staff to follow up.

All of it is read from demo/data/accessories.toml; the product photos are drawn by
:mod:`demo.accessory_images`. Idempotent: pages are found by slug under the accessory index, leads
by accessory and email; what exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from accessories.models import (
    AccessoryFitment,
    AccessoryGalleryImage,
    AccessoryIndexPage,
    AccessoryOnDisplay,
    AccessoryPage,
    FeaturedAccessory,
    Lead,
    RelatedAccessory,
    ShowcaseItem,
    ShowcasePage,
)
from community.models import CarModel
from demo import blocks, images
from demo.accessory_images import MOTIFS, accessory_photo
from demo.data import DataFile, read
from demo.seed import DemoContext, wagtail_image
from events.models import EventPage


@dataclass(frozen=True)
class DemoIndex:
    title: str
    slug: str
    introduction: str


@dataclass(frozen=True)
class DemoFit:
    model: str  # a car model's name
    since: int | None = None  # model years; None: any
    until: int | None = None


@dataclass(frozen=True)
class DemoPhoto:
    motif: str = field(metadata={"choices": list(MOTIFS)})
    colour: str


@dataclass(frozen=True)
class DemoAccessory:
    slug: str
    title: str
    part_number: str
    stock: str = field(metadata={"choices": AccessoryPage.StockStatus.values})
    summary: str
    body: str
    photos: tuple[DemoPhoto, ...]
    price: str = ""  # pounds, e.g. "349.00"; none: "ask us"
    fits: tuple[DemoFit, ...] = ()
    related: tuple[str, ...] = ()  # slugs of other accessories
    caption: str = ""  # under the first photo


@dataclass(frozen=True)
class DemoItem:
    accessory: str  # an accessory's slug
    note: str = ""


@dataclass(frozen=True)
class DemoShowcase:
    slug: str
    title: str
    introduction: str
    colour: str
    motif: str = field(metadata={"choices": images.COVER_MOTIFS})
    items: tuple[DemoItem, ...] = ()


@dataclass(frozen=True)
class DemoOnDisplay:
    event: str  # an event's slug
    items: tuple[DemoItem, ...]


@dataclass(frozen=True)
class DemoFeatured:
    accessories: tuple[str, ...]  # slugs, featured on the home page in this order


@dataclass(frozen=True)
class DemoLead:
    accessory: str  # an accessory's slug
    message: str
    kind: str = field(metadata={"choices": Lead.Kind.values})
    member: str = ""  # a demo member's email: the lead carries their name and email
    name: str = ""
    email: str = ""
    phone: str = ""
    status: str = field(default=Lead.Status.NEW, metadata={"choices": Lead.Status.values})
    assigned_to: str = ""  # a demo staff member's email
    notes: str = ""
    consent: bool = False  # consent to be contacted, given when seeded
    event: str = ""  # for a reservation: the event's slug


@dataclass(frozen=True)
class DemoShop:
    index: DemoIndex
    accessories: list[DemoAccessory]
    showcases: list[DemoShowcase]
    on_display: list[DemoOnDisplay]
    featured: list[str]  # slugs, in the home page's order
    leads: list[DemoLead]


def load_shop(file: DataFile) -> DemoShop:
    """The accessory file; every slug it names (related, showcases, on display, featured, leads)
    must be one of its accessories, and every price an amount."""
    shop = DemoShop(
        index=file.entry(DemoIndex, "index"),
        accessories=file.entries(DemoAccessory, "accessories", name="slug"),
        showcases=file.entries(DemoShowcase, "showcases", name="slug"),
        on_display=file.entries(DemoOnDisplay, "on_display", name="event"),
        featured=file.entry(DemoFeatured, "home").accessories,
        leads=file.entries(DemoLead, "leads", name="accessory"),
    )
    slugs = {spec.slug for spec in shop.accessories}

    def known(entry: str, named: list[str] | tuple[str, ...]) -> None:
        unknown = sorted(set(named) - slugs)
        file.check(not unknown, entry=entry, message=f"not in [[accessories]]: {unknown}")

    for spec in shop.accessories:
        known(f"accessories {spec.slug!r}", spec.related)
        try:
            Decimal(spec.price or "0")
        except InvalidOperation:
            raise file.error(
                f"accessories {spec.slug!r}", f"price {spec.price!r} is not an amount like 349.00"
            ) from None
    for showcase in shop.showcases:
        known(f"showcases {showcase.slug!r}", [item.accessory for item in showcase.items])
    for display in shop.on_display:
        known(f"on_display {display.event!r}", [item.accessory for item in display.items])
    known("home", shop.featured)
    for lead in shop.leads:
        known(f"leads {lead.accessory!r}", [lead.accessory])
    return shop


SHOP = load_shop(read("accessories.toml"))


@transaction.atomic
def seed_accessories(context: DemoContext) -> None:
    index = _index(context)
    models = {m.name: m for m in CarModel.objects.all()}
    pages: dict[str, AccessoryPage] = {}
    for spec in SHOP.accessories:
        page = AccessoryPage.objects.child_of(index).filter(slug=spec.slug).first()
        if page is not None:
            context.report.kept("accessories")
        else:
            page = _create_accessory(context, index, spec, models)
            context.report.created("accessories")
        pages[spec.slug] = page
    for spec in SHOP.accessories:
        if not RelatedAccessory.objects.filter(page=pages[spec.slug]).exists():
            for position, slug in enumerate(spec.related):
                RelatedAccessory.objects.create(
                    page=pages[spec.slug], accessory=pages[slug], sort_order=position
                )
    for spec in SHOP.showcases:
        _showcase(context, index, spec, pages)
    _on_display(pages)
    _featured(context, pages)
    _leads(context, pages)
    _editors_follow_up_leads()


def _editors_follow_up_leads() -> None:
    """The demo's sales advisor (an Editor, not a superuser) sees and follows up leads."""
    group = Group.objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="accessories",
                codename__in=["add_lead", "change_lead", "view_lead"],
            )
        )


def _index(context: DemoContext) -> AccessoryIndexPage:
    index = AccessoryIndexPage.objects.child_of(context.home).first()
    if index is None:
        index = context.home.add_child(
            instance=AccessoryIndexPage(
                title=SHOP.index.title,
                slug=SHOP.index.slug,
                show_in_menus=True,
                introduction=SHOP.index.introduction,
            )
        )
        context.report.created("pages")
    context.pages["accessories"] = index
    return index


def _create_accessory(
    context: DemoContext, index: AccessoryIndexPage, spec: DemoAccessory, models: dict
) -> AccessoryPage:
    page = AccessoryPage(
        title=spec.title,
        slug=spec.slug,
        part_number=spec.part_number,
        price=Decimal(spec.price) if spec.price else None,
        stock_status=spec.stock,
        summary=spec.summary,
        description=[blocks.paragraph(f"<p>{spec.body}</p>")],
    )
    index.add_child(instance=page)
    for position, fit in enumerate(spec.fits):
        if fit.model in models:
            AccessoryFitment.objects.create(
                page=page,
                car_model=models[fit.model],
                year_from=fit.since,
                year_to=fit.until,
                sort_order=position,
            )
    for position, photo in enumerate(spec.photos):
        image = wagtail_image(
            context=context,
            title=f"{spec.title} ({position + 1})",
            filename=f"{spec.slug}-{position + 1}.jpg",
            data=accessory_photo(photo.motif, colour=photo.colour, seed=f"{spec.slug}-{position}"),
            description=f"Product photo: {spec.title}",
        )
        AccessoryGalleryImage.objects.create(
            page=page,
            image=image,
            caption=spec.caption if position == 0 else "",
            alt_text=spec.title,
            sort_order=position,
        )
    return page


def _showcase(
    context: DemoContext, index: AccessoryIndexPage, spec: DemoShowcase, pages: dict
) -> None:
    if ShowcasePage.objects.child_of(index).filter(slug=spec.slug).exists():
        context.report.kept("showcases")
        return
    cover = wagtail_image(
        context=context,
        title=f"{spec.title} cover",
        filename=f"{spec.slug}.jpg",
        data=images.club_cover(spec.title, colour=spec.colour, motif=spec.motif),
        description=f"Illustration for the {spec.title} collection",
    )
    showcase = ShowcasePage(
        title=spec.title, slug=spec.slug, introduction=spec.introduction, cover_image=cover
    )
    for position, item in enumerate(spec.items):
        showcase.items.add(
            ShowcaseItem(accessory=pages[item.accessory], note=item.note, sort_order=position)
        )
    index.add_child(instance=showcase)
    context.report.created("showcases")


def _on_display(pages: dict) -> None:
    for spec in SHOP.on_display:
        event = EventPage.objects.filter(slug=spec.event).first()
        if event is None or AccessoryOnDisplay.objects.filter(event=event).exists():
            continue
        for position, item in enumerate(spec.items):
            AccessoryOnDisplay.objects.create(
                event=event, accessory=pages[item.accessory], note=item.note, sort_order=position
            )


def _featured(context: DemoContext, pages: dict) -> None:
    if FeaturedAccessory.objects.filter(home=context.home).exists():
        return
    for position, slug in enumerate(SHOP.featured):
        FeaturedAccessory.objects.create(
            home=context.home, accessory=pages[slug], sort_order=position
        )


def _leads(context: DemoContext, pages: dict) -> None:
    """The leads of the data file; a reservation for an event that is not there is left out."""
    for spec in SHOP.leads:
        member = context.members.get(spec.member) if spec.member else None
        event = EventPage.objects.filter(slug=spec.event).first() if spec.event else None
        if spec.kind == Lead.Kind.RESERVE and event is None:
            continue
        email = spec.email or spec.member
        if Lead.objects.filter(accessory=pages[spec.accessory], email=email).exists():
            context.report.kept("leads")
            continue
        Lead.objects.create(  # directly: seeding sends no email
            accessory=pages[spec.accessory],
            member=member,
            name=spec.name or (member.display_name if member else "Demo member"),
            email=email,
            phone=spec.phone,
            message=spec.message,
            kind=spec.kind,
            status=spec.status,
            assigned_to=context.members.get(spec.assigned_to),
            notes=spec.notes,
            consent_at=timezone.now() if spec.consent else None,
            event=event,
        )
        context.report.created("leads")
