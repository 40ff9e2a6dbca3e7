"""Demo accessories for ``manage.py seed_demo``: an accessory index with ten accessories fitting the
demo's car models, a "Winter kit" and a "Track day essentials" showcase, two accessories on display
at Cars & Coffee, three featured on the home page, and a few leads for staff to follow up.

Idempotent: pages are found by slug under the accessory index, leads by accessory and email; what
exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from accessories.demo_images import accessory_photo
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
from community.demo import DemoContext, _paragraph, _wagtail_image
from community.demo_images import club_cover

IN_STOCK, LOW, TO_ORDER, OUT = (
    AccessoryPage.StockStatus.IN_STOCK,
    AccessoryPage.StockStatus.LOW,
    AccessoryPage.StockStatus.TO_ORDER,
    AccessoryPage.StockStatus.OUT,
)


@dataclass(frozen=True)
class DemoAccessory:
    slug: str
    title: str
    part_number: str
    price: str | None  # None: "ask us"
    stock: str
    summary: str
    body: str
    fits: tuple[tuple[str, int | None, int | None], ...]  # (model name, from year, to year)
    photos: tuple[tuple[str, str], ...]  # (motif, colour)
    related: tuple[str, ...] = ()
    caption: str = ""
    extra: dict = field(default_factory=dict)


ACCESSORIES = [
    DemoAccessory(
        "jcw-roof-spoiler",
        "John Cooper Works roof spoiler",
        "51 62 2 465 951",
        "349.00",
        IN_STOCK,
        "The JCW rear spoiler in gloss black: more downforce, and it looks the part.",
        "Made for the third-generation hatch. Fitted by our workshop in about an hour, painted to "
        "match on request (ask us for the price).",
        (("Cooper S", 2014, 2024), ("Cooper", 2014, 2024), ("John Cooper Works", 2014, None)),
        (("spoiler", "#1c1d21"), ("spoiler", "#c8102e")),
        related=("union-jack-mirror-caps", "driving-gloves"),
        caption="Gloss black, as fitted to a Chili Red Cooper S.",
    ),
    DemoAccessory(
        "all-weather-floor-mats",
        "All-weather floor mats (set of four)",
        "51 47 2 407 282",
        "89.00",
        IN_STOCK,
        "Deep-ribbed rubber mats that keep mud, sand and snow off the carpet.",
        "Raised edges hold water in; the driver's mat clips to the floor anchors so it never slides "
        "under the pedals. Rinse them under the tap.",
        (("Cooper S", 2014, None), ("Cooper", 2014, None), ("Cooper SE", 2020, None)),
        (("mats", "#2b2d31"),),
        related=("snow-chains", "windscreen-frost-cover"),
    ),
    DemoAccessory(
        "snow-chains",
        "Snow chains for 16 and 17-inch wheels",
        "36 11 2 455 404",
        "129.00",
        LOW,
        "Quick-fit chains for the one week a year the moor road freezes.",
        "Self-tensioning, fitted in two minutes a wheel without moving the car. Comes in a bag that "
        "lives in the spare wheel well.",
        (("Cooper S", 2014, 2024), ("Cooper", 2014, 2024), ("Clubman", 2015, 2024)),
        (("chains", "#8b9098"),),
        related=("all-weather-floor-mats",),
    ),
    DemoAccessory(
        "roof-box-320",
        "Roof box, 320 litres",
        "82 73 2 209 919",
        None,
        TO_ORDER,
        "A sleek black roof box that opens from both sides. Needs the roof rails.",
        "Holds four pairs of skis or a family's camping kit. We order it in for you and fit it with "
        "the base carrier: ask us for the price with fitting.",
        (("Countryman", 2017, None), ("Clubman", 2015, 2024), ("Countryman SE ALL4", 2017, None)),
        (("roofbox", "#1d1f24"), ("roofbox", "#6f7378")),
        related=("rear-bike-rack",),
    ),
    DemoAccessory(
        "union-jack-mirror-caps",
        "Union Jack mirror caps",
        "51 16 2 355 455",
        "165.00",
        IN_STOCK,
        "The flag on both door mirrors: the most MINI thing you can bolt on.",
        "Clip-on caps that replace the painted ones; heated mirrors and indicators keep working.",
        (
            ("Cooper", 2014, None),
            ("Cooper S", 2014, None),
            ("Convertible", 2016, None),
            ("Clubman", 2015, 2024),
        ),
        (("mirror", "#2c2c2c"),),
        related=("jcw-roof-spoiler",),
    ),
    DemoAccessory(
        "rear-bike-rack",
        "Rear bike rack for two bikes",
        "82 72 2 461 409",
        "549.00",
        TO_ORDER,
        "Tilts away with the bikes on, so the boot still opens.",
        "Carries two bikes (e-bikes too, up to 30 kg each) on the tow bar. Lockable.",
        (("Countryman", 2010, None), ("Clubman", 2015, 2024), ("Countryman SE ALL4", 2017, None)),
        (("rack", "#2d3a4a"),),
        related=("roof-box-320",),
    ),
    DemoAccessory(
        "windscreen-frost-cover",
        "Windscreen frost cover",
        "51 95 2 451 110",
        "39.00",
        IN_STOCK,
        "No more scraping at 7 a.m.: the cover tucks into the doors overnight.",
        "Magnetic edges and door flaps keep it on in the wind. Folds into its own pouch.",
        (
            ("Cooper", 2001, None),
            ("Cooper S", 2002, None),
            ("Convertible", 2004, None),
            ("Clubman", 2007, 2024),
        ),
        (("cover", "#3b4656"),),
        related=("all-weather-floor-mats", "snow-chains"),
    ),
    DemoAccessory(
        "wallbox-home-charger",
        "Wallbox home charger, 7.4 kW",
        "61 90 5 A44 9D4",
        None,
        TO_ORDER,
        "Charge overnight at home, about three times faster than a wall socket.",
        "Installed by our approved electrician, with the government grant where it applies. The "
        "price depends on your house: ask us for a survey.",
        (("Cooper SE", 2020, None), ("Countryman SE ALL4", 2017, None), ("Aceman", 2024, None)),
        (("charger", "#0f3b5f"),),
    ),
    DemoAccessory(
        "classic-tartan-seat-covers",
        "Tartan seat covers for the classic Mini",
        "CLS 1990 TTN",
        "120.00",
        LOW,
        "Period-correct tartan for the front seats of a Rover-era Mini Cooper.",
        "Made in Scotland from wool, to the pattern of the 1990s Mini Cooper.",
        (("Mini Cooper", 1990, 2000),),
        (("seats", "#a4161a"),),
    ),
    DemoAccessory(
        "driving-gloves",
        "Leather driving gloves",
        "80 21 2 460 915",
        "59.00",
        IN_STOCK,
        "Perforated leather with the chequered-flag cuff. Fits every car you'll ever drive.",
        "Sizes S to XL; try them on at the parts counter.",
        (),
        (("gloves", "#6a3b1f"),),
        related=("jcw-roof-spoiler",),
    ),
    DemoAccessory(
        "harbourside-umbrella",
        "Harbourside golf umbrella",
        "HBM UMB 01",
        "25.00",
        OUT,
        "A big double-canopy umbrella for Devon weather, in the dealership's colours.",
        "Back in stock in the spring.",
        (),
        (("umbrella", "#0f3b5f"),),
    ),
]

SHOWCASES = [
    (
        "winter-kit",
        "Winter kit",
        "Everything that makes a cold, wet Devon winter easier on you and your MINI.",
        "#1d4e89",
        "hills",
        [
            ("windscreen-frost-cover", "Saves ten minutes every frosty morning."),
            ("all-weather-floor-mats", "Snow and mud stay on the mats."),
            ("snow-chains", "For the moor road when it freezes."),
            ("roof-box-320", "Room for the skis."),
            ("driving-gloves", ""),
        ],
    ),
    (
        "track-day-essentials",
        "Track day essentials",
        "What our track-day regulars bring to Castle Combe.",
        "#a4161a",
        "track",
        [
            ("jcw-roof-spoiler", "Downforce you can feel at Quarry."),
            ("driving-gloves", "Grip on the wheel in every corner."),
            ("union-jack-mirror-caps", "So they know who just passed them."),
        ],
    ),
]

ON_DISPLAY = {
    "cars-and-coffee-on-the-quay": [
        ("jcw-roof-spoiler", "Fitted to our demo Cooper S: come and have a look."),
        ("union-jack-mirror-caps", ""),
    ]
}
FEATURED = ["jcw-roof-spoiler", "windscreen-frost-cover", "roof-box-320"]


@transaction.atomic
def seed_accessories(context: DemoContext) -> None:
    from community.models import CarModel

    index = _index(context)
    models = {m.name: m for m in CarModel.objects.all()}
    pages: dict[str, AccessoryPage] = {}
    for spec in ACCESSORIES:
        page = AccessoryPage.objects.child_of(index).filter(slug=spec.slug).first()
        if page is not None:
            context.report.kept("accessories")
        else:
            page = _create_accessory(context, index, spec, models)
            context.report.created("accessories")
        pages[spec.slug] = page
    for spec in ACCESSORIES:
        if not RelatedAccessory.objects.filter(page=pages[spec.slug]).exists():
            for position, slug in enumerate(spec.related):
                RelatedAccessory.objects.create(
                    page=pages[spec.slug], accessory=pages[slug], sort_order=position
                )
    for slug, title, intro, colour, motif, items in SHOWCASES:
        _showcase(context, index, slug, title, intro, colour, motif, items, pages)
    _on_display(context, pages)
    _featured(context, pages)
    _leads(context, pages)
    _editors_follow_up_leads()


def _editors_follow_up_leads() -> None:
    """The demo's sales advisor (an Editor, not a superuser) sees and follows up leads."""
    from django.contrib.auth.models import Group, Permission

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
                title="Accessories",
                slug="accessories",
                show_in_menus=True,
                introduction="Genuine MINI accessories and a few of our own favourites, chosen "
                "by the parts team: ask us about anything, or reserve it to collect at the next meetup.",
            )
        )
        context.report.created("pages")
    context.pages["accessories"] = index
    return index


def _create_accessory(context, index, spec: DemoAccessory, models) -> AccessoryPage:
    page = AccessoryPage(
        title=spec.title,
        slug=spec.slug,
        part_number=spec.part_number,
        price=Decimal(spec.price) if spec.price else None,
        stock_status=spec.stock,
        summary=spec.summary,
        description=[("paragraph", _paragraph(f"<p>{spec.body}</p>")["value"])],
    )
    index.add_child(instance=page)
    for position, (name, year_from, year_to) in enumerate(spec.fits):
        if name in models:
            AccessoryFitment.objects.create(
                page=page,
                car_model=models[name],
                year_from=year_from,
                year_to=year_to,
                sort_order=position,
            )
    for position, (motif, colour) in enumerate(spec.photos):
        image = _wagtail_image(
            context,
            title=f"{spec.title} ({position + 1})",
            filename=f"{spec.slug}-{position + 1}.jpg",
            data=accessory_photo(motif, colour=colour, seed=f"{spec.slug}-{position}"),
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


def _showcase(context, index, slug, title, intro, colour, motif, items, pages) -> None:
    if ShowcasePage.objects.child_of(index).filter(slug=slug).exists():
        context.report.kept("showcases")
        return
    cover = _wagtail_image(
        context,
        title=f"{title} cover",
        filename=f"{slug}.jpg",
        data=club_cover(title, colour=colour, motif=motif),
        description=f"Illustration for the {title} collection",
    )
    showcase = ShowcasePage(title=title, slug=slug, introduction=intro, cover_image=cover)
    for position, (accessory_slug, note) in enumerate(items):
        showcase.items.add(
            ShowcaseItem(accessory=pages[accessory_slug], note=note, sort_order=position)
        )
    index.add_child(instance=showcase)
    context.report.created("showcases")


def _on_display(context, pages) -> None:
    from events.models import EventPage

    for event_slug, rows in ON_DISPLAY.items():
        event = EventPage.objects.filter(slug=event_slug).first()
        if event is None or AccessoryOnDisplay.objects.filter(event=event).exists():
            continue
        for position, (slug, note) in enumerate(rows):
            AccessoryOnDisplay.objects.create(
                event=event, accessory=pages[slug], note=note, sort_order=position
            )


def _featured(context, pages) -> None:
    if FeaturedAccessory.objects.filter(home=context.home).exists():
        return
    for position, slug in enumerate(FEATURED):
        FeaturedAccessory.objects.create(
            home=context.home, accessory=pages[slug], sort_order=position
        )


def _leads(context, pages) -> None:
    """A question answered, a visitor's question waiting, and a reservation for Cars & Coffee."""
    from django.utils import timezone

    from events.models import EventPage

    staff = context.members.get("staff@paddock.localhost")
    member = context.members.get("member@paddock.localhost")
    coffee = EventPage.objects.filter(slug="cars-and-coffee-on-the-quay").first()
    rows = [
        dict(
            accessory=pages["jcw-roof-spoiler"],
            member=member,
            name=member.display_name if member else "Demo member",
            email="member@paddock.localhost",
            message="Could you paint it Chili Red to match my Cooper S? And how long does fitting take?",
            kind=Lead.Kind.ASK,
            status=Lead.Status.CONTACTED,
            assigned_to=staff,
            notes="Called back: paint match £120 extra, fitting while they wait. Sending a quote.",
        ),
        dict(
            accessory=pages["roof-box-320"],
            name="Jordan Ellis",
            email="jordan.ellis@example.com",
            phone="07700 900461",
            message="Do you have one to see before I order? We're off to the Alps next month.",
            kind=Lead.Kind.ASK,
            consent_at=timezone.now(),
        ),
        dict(
            accessory=pages["windscreen-frost-cover"],
            member=member,
            name=member.display_name if member else "Demo member",
            email="member@paddock.localhost",
            message="I'll pick it up at Cars & Coffee, thanks!",
            kind=Lead.Kind.RESERVE,
            event=coffee,
        ),
    ]
    for row in rows:
        if row.get("kind") == Lead.Kind.RESERVE and row.get("event") is None:
            continue
        if Lead.objects.filter(accessory=row["accessory"], email=row["email"]).exists():
            context.report.kept("leads")
            continue
        Lead.objects.create(**row)  # directly: seeding sends no email
        context.report.created("leads")
