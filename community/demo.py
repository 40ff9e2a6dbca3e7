"""The demo dealership: settings, car models, staff, members with their garages, and pages.

``seed_demo()`` runs the steps named in :data:`DEMO_STEPS`, in order, in one transaction. Every step
creates what is missing and leaves what exists alone, so running it again creates nothing new and
does not undo edits made since:

- rows are found by a natural key: a member by email, a car model by make and name, a car by its
  owner and plate, a page by its slug under the home page, an image by its title;
- on the dealership settings and the home page, which exist before the demo does, a field is filled
  in only while it is still empty or at its default value; a home page with unpublished changes is
  left alone;
- an existing demo account keeps its profile and password; the one thing made sure of is that its
  address has a verified allauth EmailAddress, so the demo logins work.

Other apps add their demo content with a step of their own: a function taking the
:class:`DemoContext`, appended to :data:`DEMO_STEPS` by dotted path (e.g. ``"events.demo.seed_events"``)
so that community never imports them. A step finds the demo's members in ``context.members`` (by
email), car models in ``context.car_models`` and pages in ``context.pages``, and records what it did
with ``context.report.created("events")`` / ``context.report.kept("events")``.

Everything here is fictional: the dealership, its address (an Ofcom drama phone number, a ``.example``
email), the people and their plates. Demo accounts use ``@paddock.localhost`` addresses, which never
receive mail, and all share the password :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import ClassVar

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from community import demo_images, services
from community.models import Car, CarModel, DealershipSettings, HomePage, Member, StandardPage

DEMO_PASSWORD = "paddock-demo"

# The steps ``seed_demo`` runs, in order. Apps append their own ("events.demo.seed_events").
DEMO_STEPS: list[str] = [
    "community.demo.seed_dealership",
    "community.demo.seed_car_models",
    "community.demo.seed_members",
    "community.demo.seed_pages",
]


class DemoError(Exception):
    """The demo cannot be built here; ``code`` is machine-readable, the message is for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


# --- what the demo contains ------------------------------------------------------------------------

DEALERSHIP = {
    "name": "Harbourside MINI",
    "tagline": "Sales, service and an owners' community on Saltmouth quay since 1998.",
    "address": "4 Quay Road\nSaltmouth\nDevon\nTQ14 9ZX",
    # Ofcom keeps 01632 960000 to 960999 for drama: this number can never ring anyone.
    "phone": "01632 960418",
    "email": "hello@harbourside-mini.example",
    "map_url": "https://www.openstreetmap.org/?mlat=50.5468&mlon=-3.4950#map=17/50.5468/-3.4950",
    # White text on the brand colour and dark text on the accent both pass WCAG AA easily.
    "brand_colour": "#0f3b5f",
    "accent_colour": "#f4b83a",
}
DEALERSHIP_PLACE = "Saltmouth · Devon"
OPENING_HOURS = [
    ("Sales: Monday to Friday", "9:00 to 18:00"),
    ("Sales: Saturday", "9:00 to 17:00"),
    ("Sales: Sunday", "Closed"),
    ("Service: Monday to Friday", "7:30 to 17:30"),
    ("Service: Saturday", "8:00 to 12:30"),
]
LOGO_TITLE = "Harbourside MINI logo"
HERO_TITLE = "Saltmouth harbour at dusk"

# (make, model, first model year, last model year or None while on sale)
CAR_MODELS: list[tuple[str, str, int, int | None]] = [
    ("MINI", "Cooper", 2001, None),
    ("MINI", "Cooper S", 2002, None),
    ("MINI", "Cooper SE", 2020, None),
    ("MINI", "John Cooper Works", 2008, None),
    ("MINI", "Countryman", 2010, None),
    ("MINI", "Countryman SE ALL4", 2017, None),
    ("MINI", "Clubman", 2007, 2024),
    ("MINI", "Convertible", 2004, None),
    ("MINI", "Aceman", 2024, None),
    ("MINI", "Paceman", 2013, 2016),
    ("MINI", "Roadster", 2012, 2015),
    ("MINI", "Coupé", 2011, 2015),
    ("Rover", "Mini Cooper", 1990, 2000),
]


@dataclass(frozen=True)
class DemoCar:
    model: str  # a name from CAR_MODELS; the make comes from there
    year: int
    colour: str
    trim: str = ""
    nickname: str = ""
    bought_on: date | None = None
    bought_here: bool = False
    new: bool = False  # bought new: first registered the day it was bought
    vin: bool = False
    photo: bool = True
    plate: str = ""  # only for cars older than the current plate format (September 2001)


@dataclass(frozen=True)
class DemoMember:
    email: str
    name: str
    town: str
    bio: str
    joined: date
    cars: tuple[DemoCar, ...] = ()
    visibility: str = Member.Visibility.PUBLIC
    show_garage: bool = True
    email_community: bool = True
    email_reminders: bool = True
    is_staff: bool = False
    is_superuser: bool = False
    group: str = ""  # a Wagtail admin group (e.g. "Editors") for staff who are not superusers
    login_label: str = ""  # listed among the demo logins in the summary when set


MEMBERS_ONLY, PRIVATE = Member.Visibility.MEMBERS, Member.Visibility.PRIVATE

STAFF: list[DemoMember] = [
    DemoMember(
        email="staff@paddock.localhost",
        name="Hannah Price",
        town="Saltmouth",
        bio="Community manager at Harbourside MINI. I run the events calendar and read every "
        "message. Come and say hello at Cars & Coffee.",
        joined=date(2024, 1, 15),
        is_staff=True,
        is_superuser=True,
        login_label="staff (superuser)",
        cars=(
            DemoCar(
                "Countryman SE ALL4",
                2025,
                "Legend Grey",
                "Classic",
                bought_on=date(2025, 4, 12),
                bought_here=True,
                new=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="sales@paddock.localhost",
        name="Tom Okafor",
        town="Saltmouth",
        bio="Sales advisor at Harbourside MINI for eight years. Thinking about your next MINI? "
        "I'm happy to talk you through it, with no pressure and plenty of coffee.",
        joined=date(2024, 1, 22),
        is_staff=True,
        group="Editors",
        login_label="sales advisor (staff)",
        cars=(
            DemoCar(
                "Cooper SE",
                2025,
                "Blazing Red",
                "Sport",
                bought_on=date(2025, 1, 18),
                bought_here=True,
                new=True,
                vin=True,
            ),
        ),
    ),
]

MEMBERS: list[DemoMember] = [
    DemoMember(
        email="member@paddock.localhost",
        name="Alex Morgan",
        town="Saltmouth",
        bio="Grew up in the back of my dad's Mini and now I've got my own. Weekend B-roads, "
        "Sunday coffee on the quay and far too many photos of the same red car.",
        joined=date(2024, 3, 9),
        login_label="member",
        cars=(
            DemoCar(
                "Cooper S",
                2019,
                "Chili Red",
                "Sport",
                "Pepper",
                date(2021, 6, 12),
                bought_here=True,
                vin=True,
            ),
            DemoCar(
                "Clubman", 2016, "Midnight Black", "Exclusive", "The Hearse", date(2023, 2, 18)
            ),
        ),
    ),
    DemoMember(
        email="priya.shah@paddock.localhost",
        name="Priya Shah",
        town="Exeter",
        bio="Electric convert. I commute to the hospital in silence and save the fun for the "
        "Haldon Hill road. Happy to talk charging on the A38.",
        joined=date(2024, 4, 22),
        cars=(
            DemoCar(
                "Cooper SE",
                2022,
                "Island Blue",
                "Level 2",
                "Sparky",
                date(2022, 5, 7),
                bought_here=True,
                new=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="gwen.tremayne@paddock.localhost",
        name="Gwen Tremayne",
        town="Dartmouth",
        bio="Sailor, dog owner and Countryman driver, in that order. The boot has seen more wet "
        "Labradors than shopping.",
        joined=date(2024, 5, 3),
        cars=(
            DemoCar(
                "Countryman",
                2020,
                "British Racing Green",
                "Exclusive",
                "Bramble",
                date(2023, 9, 16),
                bought_here=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="marcus.bell@paddock.localhost",
        name="Marcus Bell",
        town="Newton Abbot",
        bio="Track days at Castle Combe when the budget allows, detailing the rest of the time. "
        "JCW owner: no regrets, some fuel bills.",
        joined=date(2024, 6, 14),
        visibility=MEMBERS_ONLY,
        cars=(
            DemoCar(
                "John Cooper Works",
                2020,
                "Thunder Grey",
                "Sport",
                "The Growler",
                date(2020, 9, 2),
                bought_here=True,
                new=True,
                vin=True,
            ),
            DemoCar("Cooper", 2007, "Pepper White", "", "Snowdrop", date(2015, 4, 11), photo=False),
        ),
    ),
    DemoMember(
        email="siobhan.oreilly@paddock.localhost",
        name="Siobhan O'Reilly",
        town="Totnes",
        bio="Potter by trade, so the Clubman's split doors are perfect for hauling kiln shelves. "
        "Always up for the scenic route to a craft fair.",
        joined=date(2024, 7, 1),
        cars=(
            DemoCar("Clubman", 2018, "Melting Silver", "Classic", "The Barn", date(2020, 8, 22)),
        ),
    ),
    DemoMember(
        email="daniel.kowalski@paddock.localhost",
        name="Daniel Kowalski",
        town="Torquay",
        bio="Software by day, spanners by night. Slowly undoing what the previous owner did to "
        "an R56 Cooper S.",
        joined=date(2024, 7, 19),
        show_garage=False,
        cars=(
            DemoCar("Cooper S", 2009, "Electric Blue", "", "Project Blue", date(2022, 11, 5)),
            DemoCar(
                "Cooper SE",
                2024,
                "Nanuq White",
                "Exclusive",
                "",
                date(2024, 9, 28),
                bought_here=True,
                new=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="aisha.rahman@paddock.localhost",
        name="Aisha Rahman",
        town="Exmouth",
        bio="First car, first MINI, passed my test in it. Learning to check my own oil thanks to "
        "this lot.",
        joined=date(2024, 8, 10),
        cars=(
            DemoCar(
                "Cooper",
                2017,
                "Volcanic Orange",
                "Classic",
                "Tango",
                date(2023, 10, 14),
                bought_here=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="rhys.llewellyn@paddock.localhost",
        name="Rhys Llewellyn",
        town="Plymouth",
        bio="Welsh, living in happy exile in Plymouth. Paceman owner, which means I spend my life "
        "explaining what a Paceman is.",
        joined=date(2024, 8, 25),
        cars=(DemoCar("Paceman", 2014, "Starlight Blue", "Cooper S", "Pace", date(2019, 3, 30)),),
    ),
    DemoMember(
        email="chloe.fairweather@paddock.localhost",
        name="Chloe Fairweather",
        town="Kingsbridge",
        bio="Roof down from April to October, whatever the forecast says. Organiser of the "
        "unofficial South Hams ice-cream run.",
        joined=date(2024, 9, 7),
        cars=(
            DemoCar(
                "Convertible",
                2021,
                "Zesty Yellow",
                "Sport",
                "Sunny",
                date(2021, 3, 20),
                bought_here=True,
                new=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="kwame.asante@paddock.localhost",
        name="Kwame Asante",
        town="Paignton",
        bio="Dad of three, so the Countryman is a minibus with a go-kart feeling. Ask me about "
        "fitting three car seats across the back.",
        joined=date(2024, 10, 12),
        email_reminders=False,
        cars=(
            DemoCar(
                "Countryman SE ALL4",
                2023,
                "Sage Green",
                "Exclusive",
                "",
                date(2023, 3, 11),
                bought_here=True,
                new=True,
                vin=True,
            ),
            DemoCar("Cooper", 2013, "Chili Red", "Pepper", "Ladybird", date(2018, 7, 7)),
        ),
    ),
    DemoMember(
        email="fiona.macleod@paddock.localhost",
        name="Fiona MacLeod",
        town="Ashburton",
        bio="Moved down from Inverness and brought the Roadster with me. Two seats, no roof, "
        "big grin.",
        joined=date(2024, 11, 2),
        visibility=MEMBERS_ONLY,
        cars=(
            DemoCar(
                "Roadster", 2013, "British Racing Green", "Cooper S", "Nessie", date(2019, 5, 25)
            ),
        ),
    ),
    DemoMember(
        email="jim.pascoe@paddock.localhost",
        name="Jim Pascoe",
        town="Brixham",
        bio="Forty years a mechanic, thirty of them on Minis. Happy to look at anything that "
        "rattles. The classic only comes out when it isn't raining.",
        joined=date(2024, 12, 1),
        email_community=False,
        cars=(
            DemoCar(
                "Mini Cooper",
                1997,
                "Almond Green",
                "Sportspack",
                "Old Faithful",
                date(2004, 6, 19),
                plate="R512 KTA",
            ),
            DemoCar(
                "Cooper",
                2015,
                "Moonwalk Grey",
                "Chili",
                "",
                date(2020, 1, 25),
                bought_here=True,
                vin=True,
            ),
            DemoCar(
                "Convertible", 2006, "Pepper White", "", "Summer", date(2012, 7, 14), photo=False
            ),
        ),
    ),
    DemoMember(
        email="harriet.lane@paddock.localhost",
        name="Harriet Lane",
        town="Topsham",
        bio="Mostly here for the events and the people. The car is grey, reliable and called "
        "Kevin, for reasons.",
        joined=date(2025, 1, 18),
        visibility=MEMBERS_ONLY,
        show_garage=False,
        cars=(
            DemoCar(
                "Countryman",
                2019,
                "Thunder Grey",
                "Classic",
                "Kevin",
                date(2022, 4, 9),
                bought_here=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="ben.carter@paddock.localhost",
        name="Ben Carter",
        town="Dawlish",
        bio="Coupé owner, proud of the backwards-cap roof. Photographer, so expect shots of your "
        "car at golden hour.",
        joined=date(2025, 2, 8),
        cars=(DemoCar("Coupé", 2012, "Pepper White", "Cooper S", "The Helmet", date(2021, 8, 14)),),
    ),
    DemoMember(
        email="mei-ling.chen@paddock.localhost",
        name="Mei-Ling Chen",
        town="Exeter",
        bio="Architect with a weakness for good design, which is how I ended up with an Aceman. "
        "Loves a well-planned road trip.",
        joined=date(2025, 3, 15),
        cars=(
            DemoCar(
                "Aceman",
                2025,
                "Ocean Wave Green",
                "SE",
                "",
                date(2025, 3, 8),
                bought_here=True,
                new=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="oliver.hughes@paddock.localhost",
        name="Oliver Hughes",
        town="Teignmouth",
        bio="Student nurse, night shifts, one very loyal hatchback. Coffee recommendations "
        "welcome.",
        joined=date(2025, 4, 5),
        email_reminders=False,
        cars=(DemoCar("Cooper", 2014, "Blazing Red", "", "Ruby", date(2023, 6, 17)),),
    ),
    DemoMember(
        email="sophie.ashworth@paddock.localhost",
        name="Sophie Ashworth",
        town="Bovey Tracey",
        bio="Dartmoor lanes are what these cars were made for: the Countryman for the muddy bits, "
        "the Cooper S for the fun ones.",
        joined=date(2025, 5, 10),
        cars=(
            DemoCar(
                "Cooper S",
                2023,
                "Rooftop Grey",
                "Resolute Edition",
                "Rocket",
                date(2023, 3, 4),
                bought_here=True,
                new=True,
                vin=True,
            ),
            DemoCar("Countryman", 2017, "Island Blue", "Cooper", "Mudlark", date(2021, 10, 23)),
        ),
    ),
    DemoMember(
        email="nikhil.patel@paddock.localhost",
        name="Nikhil Patel",
        town="Ivybridge",
        bio="Numbers person by trade, so yes, I have a spreadsheet of every fill-up since 2019.",
        joined=date(2025, 6, 21),
        visibility=MEMBERS_ONLY,
        cars=(
            DemoCar(
                "Cooper",
                2019,
                "Moonwalk Grey",
                "Classic",
                "",
                date(2021, 2, 27),
                bought_here=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="ellie.brooks@paddock.localhost",
        name="Ellie Brooks",
        town="Salcombe",
        bio="I run the café by the ferry, so if you've had a flat white in Salcombe you've met the "
        "car. It's on the cups.",
        joined=date(2025, 8, 2),
        cars=(
            DemoCar(
                "Cooper",
                2020,
                "Pepper White",
                "Exclusive",
                "Biscuit",
                date(2024, 5, 18),
                bought_here=True,
                vin=True,
            ),
        ),
    ),
    DemoMember(
        email="tomasz.nowak@paddock.localhost",
        name="Tomasz Nowak",
        town="Crediton",
        bio="Quiet member. Here for the service reminders and the odd track day.",
        joined=date(2025, 9, 13),
        visibility=PRIVATE,
        cars=(
            DemoCar(
                "John Cooper Works",
                2024,
                "Enigmatic Black",
                "JCW",
                "",
                date(2024, 10, 5),
                bought_here=True,
                new=True,
                vin=True,
            ),
        ),
    ),
]


# --- running the steps ------------------------------------------------------------------------------


@dataclass
class DemoReport:
    """What a run did, by kind of thing: created, kept as it was, or filled in."""

    ORDER: ClassVar[list[str]] = ["car models", "staff", "members", "cars", "pages", "images"]

    created_counts: Counter = field(default_factory=Counter)
    kept_counts: Counter = field(default_factory=Counter)
    filled: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, bool]] = field(default_factory=list)  # (label, email, new account)
    seconds: float = 0.0

    def created(self, kind: str, count: int = 1) -> None:
        self.created_counts[kind] += count

    def kept(self, kind: str, count: int = 1) -> None:
        self.kept_counts[kind] += count

    @property
    def created_anything(self) -> bool:
        return bool(sum(self.created_counts.values()) or self.filled)

    def lines(self) -> list[str]:
        seen = list(dict.fromkeys([*self.created_counts, *self.kept_counts]))
        kinds = [k for k in self.ORDER if k in seen] + [k for k in seen if k not in self.ORDER]
        out = [
            f"  {kind}: {self.created_counts[kind]} created, {self.kept_counts[kind]} already there"
            for kind in kinds
        ]
        out += [f"  filled in: {what}" for what in self.filled]
        out += [f"  note: {note}" for note in self.notes]
        return out


@dataclass
class DemoContext:
    """Shared by the steps: where the demo goes, what earlier steps made, and the report."""

    site: Site
    home: HomePage
    report: DemoReport = field(default_factory=DemoReport)
    members: dict[str, Member] = field(default_factory=dict)  # by email, staff included
    car_models: dict[str, CarModel] = field(default_factory=dict)  # by model name
    pages: dict[str, Page] = field(default_factory=dict)  # by slug
    new_files: list[tuple[object, str]] = field(default_factory=list)  # (storage, name) to undo
    _password_hash: str = ""

    def password_hash(self) -> str:
        """The demo password, hashed once for every account the run creates (hashing is slow)."""
        if not self._password_hash:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def save_file(self, field_file, name: str, data: bytes) -> None:
        """Save generated bytes into a model's file field, remembering the file in case of rollback."""
        field_file.save(name, ContentFile(data), save=False)
        self.new_files.append((field_file.storage, field_file.name))


def demo_site() -> tuple[Site, HomePage]:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise DemoError(
            "There is no default Wagtail site: run `manage.py migrate` first.", code="no_site"
        )
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise DemoError(
            f"The default site's root page is a {type(home).__name__}, not Paddock's home page: "
            "run `manage.py migrate`, or point the default site at the home page.",
            code="no_home_page",
        )
    return site, home


def seed_demo(*, steps: list[str | Callable[[DemoContext], None]] | None = None) -> DemoReport:
    """Build the demo dealership, or fill in what is missing from it. Safe to run again.

    ``steps`` defaults to :data:`DEMO_STEPS`: dotted paths or functions taking the context.
    Runs in one transaction; files saved by a run that fails are removed again.
    """
    started = time.monotonic()
    site, home = demo_site()
    context = DemoContext(site=site, home=home)
    try:
        with transaction.atomic():
            for step in steps if steps is not None else DEMO_STEPS:
                (import_string(step) if isinstance(step, str) else step)(context)
    except BaseException:
        for storage, name in context.new_files:
            storage.delete(name)
        raise
    context.report.seconds = time.monotonic() - started
    return context.report


def _is_unset(instance, name: str) -> bool:
    """Whether a field still holds nothing or its default, i.e. nobody has filled it in."""
    value = getattr(instance, name)
    if value in (None, "") or (
        hasattr(value, "__len__") and not isinstance(value, str) and len(value) == 0
    ):
        return True
    model_field = instance._meta.get_field(name)
    return model_field.has_default() and value == model_field.get_default()


def _fill(instance, values: dict) -> list[str]:
    """Set the fields of ``values`` that are still unset on ``instance``; return their names."""
    changed = []
    for name, value in values.items():
        if _is_unset(instance, name):
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _wagtail_image(
    context: DemoContext, *, title: str, filename: str, data: bytes, description: str
):
    """The Wagtail image with this title, made from ``data`` if there is none yet."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).order_by("pk").first()
    if image is not None:
        context.report.kept("images")
        return image
    with PILImage.open(BytesIO(data)) as decoded:
        width, height = decoded.size
    image = Image(title=title, description=description[:255])
    context.save_file(image.file, filename, data)
    # Saving the file resets the dimension fields; set them from the picture itself.
    image.width, image.height = width, height
    image.file_size = len(data)
    image.file_hash = hashlib.sha1(data).hexdigest()
    image.save()
    context.report.created("images")
    return image


# --- community's steps --------------------------------------------------------------------------------


def seed_dealership(context: DemoContext) -> None:
    """The default site's DealershipSettings: name, contact details, hours, colours and logo."""
    dealership = DealershipSettings.for_site(context.site)
    changed = _fill(dealership, DEALERSHIP)
    if _is_unset(dealership, "opening_hours"):
        dealership.opening_hours = [
            {"type": "hours", "value": {"days": days, "hours": hours}}
            for days, hours in OPENING_HOURS
        ]
        changed.append("opening_hours")
    if dealership.logo_id is None:
        dealership.logo = _wagtail_image(
            context,
            title=LOGO_TITLE,
            filename="harbourside-mini-logo.png",
            data=demo_images.logo(
                dealership.name,
                brand=dealership.brand_colour,
                accent=dealership.accent_colour,
                place=DEALERSHIP_PLACE,
            ),
            description=f"{dealership.name} logo",
        )
        changed.append("logo")
    if changed:
        dealership.full_clean(exclude=["site"])
        dealership.save()
        context.report.filled.append(f"dealership settings ({', '.join(changed)})")


def seed_car_models(context: DemoContext) -> None:
    for make, name, first_year, last_year in CAR_MODELS:
        car_model, created = CarModel.objects.get_or_create(
            make=make, name=name, defaults={"first_year": first_year, "last_year": last_year}
        )
        context.car_models[name] = car_model
        context.report.created("car models") if created else context.report.kept("car models")


def seed_members(context: DemoContext) -> None:
    """Staff and members, each with a verified email address, an avatar and their garage."""
    for person in [*STAFF, *MEMBERS]:
        kind = "staff" if person.is_staff else "members"
        member = Member.objects.filter(email__iexact=person.email).first()
        created = member is None
        if created:
            member = _create_member(context, person)
            context.report.created(kind)
        else:
            context.report.kept(kind)
        _ensure_verified_email(member)
        context.members[person.email] = member
        if person.login_label:
            context.report.logins.append((person.login_label, person.email, created))
        for index, car in enumerate(person.cars):
            _seed_car(context, member, person, index, car)


def _create_member(context: DemoContext, person: DemoMember) -> Member:
    joined = timezone.make_aware(
        datetime.combine(person.joined, datetime.min.time()).replace(hour=19)
    )
    member = Member(
        email=person.email,
        display_name=person.name,
        town=person.town,
        bio=person.bio,
        profile_visibility=person.visibility,
        show_garage=person.show_garage,
        email_community=person.email_community,
        email_reminders=person.email_reminders,
        is_staff=person.is_staff,
        is_superuser=person.is_superuser,
        date_joined=joined,
        password=context.password_hash(),
    )
    context.save_file(member.avatar, f"{slugify(person.name)}.png", demo_images.avatar(person.name))
    member.full_clean(exclude=["handle", "password"])
    member.save()
    if person.group:
        group = Group.objects.filter(name=person.group).first()
        if group is not None:
            member.groups.add(group)
        else:
            context.report.notes.append(f"no {person.group!r} group for {person.email}")
    return member


def _ensure_verified_email(member: Member) -> None:
    """Give the member's address a verified allauth EmailAddress, so the demo logins work."""
    address = EmailAddress.objects.filter(user=member, email__iexact=member.email).first()
    has_primary = EmailAddress.objects.filter(user=member, primary=True).exists()
    if address is None:
        EmailAddress.objects.create(
            user=member, email=member.email, verified=True, primary=not has_primary
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def _seed_car(
    context: DemoContext, member: Member, person: DemoMember, index: int, spec: DemoCar
) -> None:
    rng = random.Random(f"car|{person.email}|{index}")
    plate = spec.plate or uk_plate(first_registered(spec, rng), rng)
    if member.cars.filter(registration_key=plate.replace(" ", "")).exists():
        context.report.kept("cars")
        return
    car_model = context.car_models.get(spec.model) or CarModel.objects.get(name=spec.model)
    car = Car(
        owner=member,
        car_model=car_model,
        year=spec.year,
        trim=spec.trim,
        colour=spec.colour,
        nickname=spec.nickname,
        registration=plate,
        vin=vin(spec, rng) if spec.vin else "",
        bought_on=spec.bought_on,
        bought_here=spec.bought_here,
    )
    if spec.photo:
        data = demo_images.car_photo(str(car_model), spec.colour, seed=plate)
        context.save_file(
            car.photo, f"{slugify(f'{spec.year} {car_model} {spec.nickname}')}.jpg", data
        )
    services.car_save(car=car)
    # Dated as added when the member joined or bought it, whichever came later, not all at once.
    added = member.date_joined + timedelta(minutes=10 * (index + 1))
    if spec.bought_on:
        bought = timezone.make_aware(datetime.combine(spec.bought_on, datetime.min.time()))
        added = max(added, bought + timedelta(hours=18, minutes=10 * index))
    Car.objects.filter(pk=car.pk).update(created_at=added, updated_at=added)
    context.report.created("cars")


def first_registered(spec: DemoCar, rng: random.Random) -> date:
    """When the car was first registered: the day bought if new, else in its model year."""
    if spec.new and spec.bought_on:
        return spec.bought_on
    registered = date(spec.year, rng.choice([3, 3, 4, 5, 6, 9, 9, 10, 11]), rng.randint(1, 28))
    if spec.bought_on and registered > spec.bought_on:
        registered = spec.bought_on
    return registered


# DVLA memory tags: mostly the West of England (Exeter, Truro), a few cars from further away.
LOCAL_TAGS = ["WA", "WB", "WD", "WE", "WF", "WG", "WH", "WJ", "WK", "WL"]
AWAY_TAGS = ["LD", "LK", "BD", "CX", "YK", "MA", "HN", "KX", "SN", "EY"]
PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # no I or Q in the random letters


def uk_plate(registered: date, rng: random.Random) -> str:
    """A current-format UK plate (since September 2001): memory tag, age identifier, 3 letters.

    The age identifier is the year (e.g. 21) for March to August and the year + 50 (71) from
    September to February.
    """
    if registered < date(2001, 9, 1):
        raise ValueError("Give the plate of a car registered before September 2001 explicitly.")
    year = registered.year % 100
    if registered.month >= 9:
        age = year + 50
    elif registered.month >= 3:
        age = year
    else:
        age = (year - 1) % 100 + 50
    tag = rng.choice(LOCAL_TAGS) if rng.random() < 0.8 else rng.choice(AWAY_TAGS)
    letters = "".join(rng.choice(PLATE_LETTERS) for _ in range(3))
    return f"{tag}{age:02d} {letters}"


VIN_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 2010 = A ... 2030 = Y, then 2031 = 1 ...
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin(spec: DemoCar, rng: random.Random) -> str:
    """A well-formed 17-character VIN: MINI's WMW prefix, model year code and check digit."""
    year_code = (
        VIN_YEAR_CODES[(spec.year - 2010) % 30] if spec.year >= 2010 else str(spec.year % 10)
    )
    body = "WMW" + "".join(rng.choice(VIN_CHARS) for _ in range(5)) + "0" + year_code + "T"
    body += "".join(str(rng.randrange(10)) for _ in range(6))
    total = sum(VIN_VALUES[c] * w for c, w in zip(body, VIN_WEIGHTS, strict=True))
    check = "X" if total % 11 == 10 else str(total % 11)
    return body[:8] + check + body[9:]


# --- pages ---------------------------------------------------------------------------------------------


def _heading(text: str, size: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "size": size}}


def _paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def _quote(text: str, attribution: str) -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def _cta(heading: str, text: str, page: Page | None, button_label: str) -> dict:
    return {
        "type": "call_to_action",
        "value": {
            "heading": heading,
            "text": text,
            "page": page.pk if page else None,
            "url": "",
            "button_label": button_label,
        },
    }


def _page_link(page: Page, text: str) -> str:
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def _about_body(context: DemoContext) -> list[dict]:
    return [
        _heading("Family-run, on the harbour"),
        _paragraph(
            "<p>Harbourside MINI opened on Saltmouth quay in 1998 with three cars on the forecourt and "
            "a workshop in the old net loft. We have sold and serviced MINIs ever since: the classic, "
            "every generation of the new one, and now the electric ones too.</p>"
            "<p>Most of our team have been here for years, and many of our customers are on their "
            "third or fourth MINI with us. Paddock is our way of bringing those owners together.</p>"
        ),
        _heading("What Paddock is for"),
        _paragraph(
            "<ul><li>Show off your car in your own <b>garage</b>, or keep it to yourself: you choose "
            "who sees your profile.</li><li>Meet other owners at <b>Cars &amp; Coffee</b> on the quay, "
            "drive-outs across Dartmoor and the odd track day.</li><li>Hear first about service "
            "offers, new models and events from the people who look after your car.</li></ul>"
        ),
        _quote(
            "We've always known our customers by name. Paddock just means they get to know each other "
            "too.",
            "Hannah Price, community manager",
        ),
        _cta(
            "Before you join in",
            "Paddock works because people are kind to each other. The house rules are short.",
            context.pages.get("house-rules"),
            "Read the house rules",
        ),
    ]


def _privacy_body(context: DemoContext) -> list[dict]:
    my_data, delete = reverse("community:data_export"), reverse("community:account_delete")
    return [
        _heading("Who we are"),
        _paragraph(
            f"<p>Paddock is run by {DEALERSHIP['name']}, {DEALERSHIP['address'].replace(chr(10), ', ')}. "
            f"We decide what happens to the data on this site. Questions about your data go to "
            f'<a href="mailto:{DEALERSHIP["email"]}">{DEALERSHIP["email"]}</a>.</p>'
        ),
        _heading("What Paddock holds about you"),
        _paragraph(
            "<ul><li><b>Your account</b>: your email address, your password (stored only as a "
            "one-way hash), when you joined and when you last signed in.</li>"
            "<li><b>Your profile</b>: your display name, town, a few words about you and your "
            "photo, if you add them, plus who may see your profile.</li>"
            "<li><b>Your garage</b>: the cars you add, with model, year, colour, nickname, when you "
            "bought them and photos. The registration plate and VIN are never shown to other members: "
            "only you and dealership staff see them.</li>"
            "<li><b>Your email choices</b>: which emails you want from us.</li>"
            "<li>What you take part in: event bookings, club membership and posts, as those parts "
            "of Paddock open.</li></ul>"
        ),
        _heading("Who can see it"),
        _paragraph(
            "<p>You choose who sees your profile: everyone, signed-in members only, or only you. "
            "You can hide your garage even when your profile is visible. Dealership staff can see "
            "your account to run Paddock and look after your car; we never sell your data or share "
            "it for advertising.</p>"
        ),
        _heading("Take your data with you"),
        _paragraph(
            f'<p>Download everything Paddock holds about you as a file from <a href="{my_data}">My '
            f"data</a>, at any time.</p>"
        ),
        _heading("Delete your account"),
        _paragraph(
            f'<p>You can <a href="{delete}">delete your account</a> yourself. That removes your '
            "profile, your garage and your photos for good. You choose whether what you posted in "
            "the community is removed too or kept under “Former member”.</p>"
        ),
    ]


def _house_rules_body(context: DemoContext) -> list[dict]:
    privacy = context.pages.get("privacy")
    privacy_link = _page_link(privacy, "privacy notice") if privacy else "privacy notice"
    return [
        _heading("The short version"),
        _paragraph(
            "<ol><li><b>Be kind.</b> Everyone here loves their car, whatever it is and however "
            "modified it is. Disagree about cars, never about people.</li>"
            "<li><b>Keep it legal on the road.</b> No speeding videos, street racing or anything "
            "you wouldn't want your insurer to see. Track days are where the fast stuff goes.</li>"
            "<li><b>Respect privacy.</b> Don't post other people's plates, addresses or photos of "
            "them without asking.</li>"
            "<li><b>No selling without asking.</b> Talk to us before advertising cars, parts or "
            "services.</li>"
            "<li><b>Turn up if you said you would.</b> Event places are limited; cancel your place if "
            "you can't make it so someone else can come.</li></ol>"
        ),
        _heading("If something goes wrong"),
        _paragraph(
            "<p>Tell us: any member of staff, or reply to any Paddock email. We may remove posts that "
            "break these rules, and suspend accounts that keep doing so. How we handle your data is "
            f"in our {privacy_link}.</p>"
        ),
        _cta(
            "Questions about the rules?",
            "Pop into the showroom or call us: we would rather talk it through.",
            context.pages.get("about-us"),
            "About us",
        ),
    ]


STANDARD_PAGES: list[tuple[str, str, str, Callable[[DemoContext], list[dict]]]] = [
    # (slug, title, introduction, body)
    (
        "about-us",
        "About us",
        "Harbourside MINI has sold and looked after MINIs on Saltmouth quay since 1998. Paddock is "
        "where our owners meet.",
        _about_body,
    ),
    (
        "privacy",
        "Privacy",
        "What Paddock keeps about you, who can see it, and how to download it or delete your "
        "account.",
        _privacy_body,
    ),
    (
        "house-rules",
        "House rules",
        "Paddock works because people are kind to each other. A few rules keep it that way.",
        _house_rules_body,
    ),
]


def seed_pages(context: DemoContext) -> None:
    """About us, Privacy and House rules under the home page, then the home page's own content."""
    home = context.home
    new_pages = []
    for slug, title, introduction, body in STANDARD_PAGES:
        page = home.get_children().filter(slug=slug).first()
        if page is not None:
            context.pages[slug] = page.specific
            context.report.kept("pages")
            continue
        page = StandardPage(title=title, slug=slug, introduction=introduction, summary=introduction)
        home.add_child(instance=page)
        context.pages[slug] = page
        new_pages.append((page, body))
        context.report.created("pages")
    # The bodies link to each other, so they are written once every page exists.
    for page, body in new_pages:
        page.body = body(context)
        page.save_revision(log_action=True).publish()
    home.refresh_from_db()
    _seed_home(context, home)


def _seed_home(context: DemoContext, home: HomePage) -> None:
    if home.has_unpublished_changes:
        context.report.notes.append("the home page has unpublished changes, so it was left alone")
        return
    changed = _fill(
        home,
        {
            "hero_heading": "Your MINI. Your people. Your harbour.",
            "hero_text": "Paddock is the owners' community of Harbourside MINI: show off your garage, "
            "meet other owners at Cars & Coffee on the quay, and hear first about drive-outs, "
            "track days and service offers.",
            "summary": "The owners' community of Harbourside MINI in Saltmouth, Devon.",
        },
    )
    if home.hero_image_id is None:
        home.hero_image = _wagtail_image(
            context,
            title=HERO_TITLE,
            filename="saltmouth-harbour-dusk.jpg",
            data=demo_images.hero_image(seed=DEALERSHIP["name"]),
            description="Two MINIs with their headlights on driving along the coast road above "
            "Saltmouth harbour at dusk.",
        )
        changed.append("hero_image")
    if not home.body:
        about, rules = context.pages.get("about-us"), context.pages.get("house-rules")
        home.body = [
            _heading("More than the place you bought your car"),
            _paragraph(
                "<p>Paddock is where Harbourside MINI owners swap stories, plan drive-outs and show off "
                "what's in their garage. Whether you've had your MINI for a week or since the last "
                "century, you're welcome.</p>"
            ),
            _paragraph(
                "<ul><li><b>Your garage</b>: add your cars, their nicknames and photos, and decide who "
                "gets to see them.</li><li><b>Events</b>: Cars &amp; Coffee on the quay every first "
                "Sunday, plus drive-outs across Dartmoor and the South Hams.</li><li><b>Straight "
                "from the workshop</b>: service tips and offers from the people who look after your "
                "car.</li></ul>"
            ),
            _quote(
                "I came for the service reminders and stayed for the Sunday drives. I know half of "
                "Devon's MINI owners by their number plates now.",
                "Priya Shah, Cooper SE owner",
            ),
            _cta(
                "Who we are",
                "A family-run dealership on Saltmouth quay since 1998.",
                about,
                "About us",
            ),
            _cta(
                "Join in, kindly",
                "A few short house rules keep Paddock friendly for everyone.",
                rules,
                "Read the house rules",
            ),
        ]
        changed.append("body")
    if changed:
        home.save_revision(log_action=True).publish()
        context.report.filled.append(f"home page ({', '.join(changed)})")
