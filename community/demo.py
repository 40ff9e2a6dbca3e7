"""The demo dealership: settings, car models, staff, members with their garages, pages, owner clubs
and the members' posts in them.

``seed_demo()`` runs the steps named in :data:`DEMO_STEPS`, in order, in one transaction. Every step
creates what is missing and leaves what exists alone, so running it again creates nothing new and
does not undo edits made since:

- rows are found by a natural key: a member by email, a car model by make and name, a car by its
  owner and plate, a page by its slug under the home page (a club by its slug under the club
  index), an image by its title, a membership by club and member, a post by its author and title,
  a comment by post, author and text, a reaction by post, member and kind, a report by post and
  reporter;
- on the dealership settings and the home page, which exist before the demo does, a field is filled
  in only while it is still empty or at its default value; a home page with unpublished changes is
  left alone;
- an existing demo account keeps its profile and password; the one thing made sure of is that its
  address has a verified allauth EmailAddress, so the demo logins work;
- a membership, post, comment or reaction that exists is left as it is (a request an organiser has
  decided since, a post a moderator has hidden): only what is missing is added.

The demo's posts are made by :func:`services.post_create`, so their photos are stored and
thumbnailed as members' uploads are; memberships, comments, reactions and the report are written
directly, so that seeding sends no email (services would notify organisers and authors).

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
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from community import demo_images, services
from community.models import (
    Car,
    CarModel,
    ClubIndexPage,
    ClubPage,
    Comment,
    DealershipSettings,
    HomePage,
    Member,
    Membership,
    Post,
    Reaction,
    Report,
    StandardPage,
)

DEMO_PASSWORD = "paddock-demo"

# The steps ``seed_demo`` runs, in order. Apps append their own ("events.demo.seed_events").
DEMO_STEPS: list[str] = [
    "community.demo.seed_dealership",
    "community.demo.seed_car_models",
    "community.demo.seed_members",
    "community.demo.seed_pages",
    "community.demo.seed_clubs",
    "community.demo.seed_posts",
    "events.demo.seed_events",
    "accessories.demo.seed_accessories",
    "staff.demo.seed_staff_tools",
    "community.renditions.seed_renditions",  # last: every image the steps above placed
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

    ORDER: ClassVar[list[str]] = [
        "car models",
        "staff",
        "members",
        "cars",
        "pages",
        "images",
        "memberships",
        "posts",
        "photos",
        "comments",
        "reactions",
        "reports",
    ]

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


# --- clubs -----------------------------------------------------------------------------------------

# Demo people by first name, in the club and post tables below ("alex" is member@paddock.localhost).
WHO: dict[str, str] = {
    person.name.split()[0].lower(): person.email for person in [*STAFF, *MEMBERS]
}

CLUB_INDEX_TITLE = "Clubs"
CLUB_INDEX_SLUG = "clubs"
CLUB_INDEX_INTRODUCTION = (
    "Owner clubs for every kind of MINI driver: join one for your model, or one for the kind of "
    "driving you love. Each has organisers from the community and its own page of posts."
)


@dataclass(frozen=True)
class DemoClub:
    slug: str
    title: str
    access: str
    summary: str
    description: tuple[tuple[str, str], ...]  # (heading, paragraph HTML) sections
    colour: str  # the cover's badge and landscape colour
    motif: str  # one of demo_images.COVER_MOTIFS
    cover_alt: str
    accent: str = "#f4b83a"
    car_models: tuple[str, ...] = ()  # owners of these join an open club automatically
    organisers: tuple[str, ...] = ()  # first names (see WHO)
    members: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()  # asked to join an approval club, not decided yet
    invited: tuple[str, ...] = ()  # invited by an organiser, not accepted yet
    featured: bool = False


OPEN, APPROVAL, INVITE_ONLY = (
    ClubPage.Access.OPEN,
    ClubPage.Access.APPROVAL,
    ClubPage.Access.PRIVATE,
)

CLUBS: list[DemoClub] = [
    DemoClub(
        slug="cooper-s-owners",
        title="Cooper S Owners",
        access=OPEN,
        summary="For drivers of the quick ones: Cooper S and John Cooper Works owners swapping "
        "road tips, tyre choices and workshop stories.",
        description=(
            (
                "Who we are",
                "<p>Cooper S and JCW owners from across South Devon, from a 2009 R56 being put "
                "right one weekend at a time to this year's cars. Some of us drive every day, some "
                "only on sunny Sundays.</p>",
            ),
            (
                "What we do",
                "<p>B-road runs over Dartmoor, the odd trip to Castle Combe, and a lot of talk "
                "about tyres. Ask anything: someone here will have done it to their own car.</p>",
            ),
        ),
        colour="#8c1d24",
        motif="road",
        cover_alt="The Cooper S Owners badge above three MINIs on a country road.",
        car_models=("Cooper S", "John Cooper Works"),
        organisers=("marcus",),
    ),
    DemoClub(
        slug="countryman-adventures",
        title="Countryman Adventures",
        access=OPEN,
        summary="Muddy lanes, beach car parks and three car seats across the back: the club for "
        "Countryman, Paceman and Aceman owners.",
        description=(
            (
                "Bigger MINIs, bigger days out",
                "<p>Dog walks on Dartmoor, surf trips to Bantham, the school run and the tip run. "
                "If your MINI has more than two rows of seats' worth of luggage in it, you belong "
                "here.</p>",
            ),
            (
                "Meet-ups",
                "<p>A green-lane drive each season with the landowners' blessing, and a picnic at "
                "Fernworthy reservoir every August.</p>",
            ),
        ),
        colour="#2f5d3a",
        motif="hills",
        cover_alt="The Countryman Adventures badge above green hills with a track winding up "
        "them and three MINIs on the road below.",
        car_models=("Countryman", "Countryman SE ALL4", "Paceman", "Aceman"),
        organisers=("gwen",),
        featured=True,
    ),
    DemoClub(
        slug="classic-mini-register",
        title="Classic Mini Register",
        access=APPROVAL,
        summary="The original. Owners and admirers of the classic Mini, 1959 to 2000; Jim "
        "approves each request to join.",
        description=(
            (
                "About the register",
                "<p>A register of the classic Minis still on the road around Saltmouth, and the "
                "people who keep them there. You don't need to own one to join, just to love "
                "them.</p>",
            ),
            (
                "Why we ask before you join",
                "<p>Members share where their cars live and what they are worth, so an organiser "
                "says hello to each new member first. Ask to join and Jim will be in touch.</p>",
            ),
        ),
        colour="#1f4d3a",
        accent="#e9d8a6",
        motif="classic",
        cover_alt="The Classic Mini Register badge on a green and cream sunburst.",
        car_models=("Mini Cooper",),
        organisers=("jim",),
        members=("marcus", "siobhan", "harriet"),
        pending=("alex", "ben", "aisha"),
    ),
    DemoClub(
        slug="sunday-drivers",
        title="Sunday Drivers",
        access=OPEN,
        summary="Any MINI, no hurry. Coast roads, ice cream and a good café at the end of each "
        "run; the first Sunday of every month.",
        description=(
            (
                "Come as you are",
                "<p>Any MINI, any age, roof up or down. We drive at the speed of the slowest car "
                "and stop whenever someone spots a view or an ice-cream van.</p>",
            ),
            (
                "How the runs work",
                "<p>We meet at the quay at ten on the first Sunday of the month, drive for about an "
                "hour and a half and finish somewhere with coffee. Routes are posted here the week "
                "before.</p>",
            ),
        ),
        colour="#0f3b5f",
        motif="coast",
        cover_alt="The Sunday Drivers badge over the sea at sunset, convertibles on the coast "
        "road.",
        organisers=("chloe", "hannah"),
        members=("alex", "priya", "siobhan", "aisha", "fiona", "ben", "ellie", "nikhil"),
        featured=True,
    ),
    DemoClub(
        slug="track-day-crew",
        title="Track Day Crew",
        access=INVITE_ONLY,
        summary="Track days at Castle Combe and Llandow: shared bookings, convoys and "
        "tyre-pressure arguments. Invitation only.",
        description=(
            (
                "Invitation only",
                "<p>Places on track days are few, so the crew is small: members are invited by "
                "Marcus after a drive-out or two with the Cooper S Owners.</p>",
            ),
            (
                "Before your first track day",
                "<p>Fresh brake fluid, tyres with life in them and nothing loose in the boot. "
                "Tuition laps are worth every penny.</p>",
            ),
        ),
        colour="#222428",
        accent="#d62828",
        motif="track",
        cover_alt="The Track Day Crew badge over a circuit with a chequered strip and kerbs.",
        organisers=("marcus",),
        members=("tomasz", "sophie", "daniel"),
        invited=("alex",),
    ),
]


def seed_clubs(context: DemoContext) -> None:
    """The club index under the home page, the clubs with their covers, and their members."""
    index = _club_index(context)
    context.pages[index.slug] = index
    for spec in CLUBS:
        club = ClubPage.objects.child_of(index).filter(slug=spec.slug).first()
        if club is None:
            club = _create_club(context, index, spec)
            context.report.created("pages")
        else:
            context.report.kept("pages")
        context.pages[spec.slug] = club
        _seed_memberships(context, club, spec)


def _club_index(context: DemoContext) -> ClubIndexPage:
    # A showroom has one club index: use the one there is, wherever an editor put it.
    index = ClubIndexPage.objects.descendant_of(context.home).order_by("path").first()
    if index is not None:
        context.report.kept("pages")
        return index
    home = context.home
    slug = CLUB_INDEX_SLUG
    if home.get_children().filter(slug=slug).exists():  # the slug is taken by another page
        slug = f"owner-{CLUB_INDEX_SLUG}"
    index = ClubIndexPage(
        title=CLUB_INDEX_TITLE,
        slug=slug,
        introduction=CLUB_INDEX_INTRODUCTION,
        summary=CLUB_INDEX_INTRODUCTION,
        show_in_menus=True,
    )
    home.add_child(instance=index)
    index.save_revision(log_action=True).publish()
    context.report.created("pages")
    return index


def _club_models(context: DemoContext, spec: DemoClub) -> list[CarModel]:
    return [
        context.car_models.get(name) or CarModel.objects.get(name=name) for name in spec.car_models
    ]


def _create_club(context: DemoContext, index: ClubIndexPage, spec: DemoClub) -> ClubPage:
    models = _club_models(context, spec)
    cover = _wagtail_image(
        context,
        title=f"{spec.title} cover",
        filename=f"{spec.slug}-cover.jpg",
        data=demo_images.club_cover(
            spec.title,
            colour=spec.colour,
            accent=spec.accent,
            motif=spec.motif,
            models=tuple(f"{m.make} {m.name}" for m in models) or ("MINI Cooper",),
        ),
        description=spec.cover_alt,
    )
    body = []
    for heading, html in spec.description:
        body += [_heading(heading), _paragraph(html)]
    if spec.access == INVITE_ONLY and context.pages.get("house-rules"):
        body.append(
            _cta(
                "On track and off",
                "The house rules apply at the circuit too.",
                context.pages["house-rules"],
                "Read the house rules",
            )
        )
    club = ClubPage(
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        access=spec.access,
        featured=spec.featured,
        cover_image=cover,
        description=body,
    )
    club.car_models = models
    index.add_child(instance=club)
    club.save_revision(log_action=True).publish()
    return club


def _club_roster(spec: DemoClub) -> list[tuple[str, str, str]]:
    """(email, status, role) for everyone in the club: organisers, members, owners of its models
    (open clubs only), then requests and invitations."""
    roster: dict[str, tuple[str, str]] = {}
    for name in spec.organisers:
        roster[WHO[name]] = (Membership.Status.ACTIVE, Membership.Role.ORGANISER)
    for name in spec.members:
        roster.setdefault(WHO[name], (Membership.Status.ACTIVE, Membership.Role.MEMBER))
    if spec.access == OPEN and spec.car_models:
        for person in [*STAFF, *MEMBERS]:
            if any(car.model in spec.car_models for car in person.cars):
                roster.setdefault(person.email, (Membership.Status.ACTIVE, Membership.Role.MEMBER))
    for name in spec.pending:
        roster.setdefault(WHO[name], (Membership.Status.PENDING, Membership.Role.MEMBER))
    for name in spec.invited:
        roster.setdefault(WHO[name], (Membership.Status.INVITED, Membership.Role.MEMBER))
    return [(email, status, role) for email, (status, role) in roster.items()]


def _seed_memberships(context: DemoContext, club: ClubPage, spec: DemoClub) -> None:
    now = timezone.now()
    existing = set(Membership.objects.filter(club=club).values_list("member_id", flat=True))
    organiser = context.members[WHO[spec.organisers[0]]] if spec.organisers else None
    for n, (email, status, role) in enumerate(_club_roster(spec)):
        member = context.members[email]
        if member.pk in existing:
            context.report.kept("memberships")
            continue
        # Organisers since the club began, members joining over the weeks after, requests and
        # invitations in the last few days.
        if status == Membership.Status.ACTIVE:
            joined = now - timedelta(days=90 - 3 * n, hours=n)
        else:
            joined = now - timedelta(days=1 + n % 4, hours=3 * n)
        joined = max(joined, member.date_joined + timedelta(hours=1))
        membership = Membership.objects.create(
            club=club,
            member=member,
            status=status,
            role=role,
            decided_at=joined if status == Membership.Status.ACTIVE else None,
            decided_by=organiser
            if status == Membership.Status.INVITED
            or (status == Membership.Status.ACTIVE and spec.access != OPEN)
            else None,
        )
        Membership.objects.filter(pk=membership.pk).update(created_at=joined)
        context.report.created("memberships")


# --- posts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPost:
    author: str  # a first name (see WHO)
    title: str
    club: str | None  # a club's slug; None posts to the community feed
    days_ago: float
    body: str = ""  # plain text, paragraphs separated by an empty line
    photos: tuple[tuple[str, str], ...] = ()  # (scene, caption): an album when given
    car: int = 0  # which of the author's cars the "car" and "moor" scenes show
    comments: tuple[tuple[str, str], ...] = ()  # (first name, text), oldest first
    reactions: str = ""  # "priya:love chloe:like", the kinds of Reaction.Kind
    status: str = Post.Status.PUBLISHED
    featured: bool = False
    report: tuple[str, str, str] | None = None  # (reporter's first name, reason, details)


POSTS: list[DemoPost] = [
    DemoPost(
        author="alex",
        title="Pepper's new shoes",
        club="cooper-s-owners",
        days_ago=4,
        body="Finally replaced the run-flats. What a difference on the coast road.",
        photos=(
            ("car", "Fresh from the tyre fitter: Pilot Sport 5s all round"),
            ("moor", "Pepper on the Haldon Hill road, taking the long way home"),
            ("harbour", "Waiting on the quay for the Saturday meet"),
        ),
        comments=(
            ("marcus", "Good choice. The PS5s transformed my JCW in the wet."),
            ("sophie", "Haldon on new tyres is the best kind of Tuesday evening."),
        ),
        reactions="marcus:fire sophie:love daniel:like tomasz:fire",
    ),
    DemoPost(
        author="alex",
        title="Start Point lighthouse and the best chips in the South Hams",
        club="sunday-drivers",
        days_ago=15,
        body="Took the long way round to Start Point on Sunday: Kingsbridge, Torcross, then the "
        "single-track lane down to the lighthouse car park. Pepper fits through gaps a tractor "
        "wouldn't.\n\n"
        "The lighthouse tour is worth the few pounds, and the view back along Slapton Sands is "
        "something else on a clear day.\n\n"
        "Chips afterwards at the beach café in Torcross, eaten on the sea wall. Anyone up for "
        "doing it as a group run next month?",
        comments=(
            ("chloe", "Count me in! We could finish with ice cream in Dartmouth instead. Or both."),
            ("priya", "Start Point and back is well within range of the Cooper SE, so I'm in."),
            ("alex", "Sounds like a plan. I'll pick a Sunday and post the route here."),
        ),
        reactions="chloe:love priya:like ellie:like fiona:like ben:wow",
    ),
    DemoPost(
        author="gwen",
        title="Bramble and the dogs at Bantham",
        club="countryman-adventures",
        days_ago=9,
        photos=(
            ("car", "Boot open, two wet Labradors, no regrets"),
            ("harbour", "The drive home along the estuary as the sun went down"),
        ),
        comments=(
            (
                "kwame",
                "The rubber boot liner is the best £60 I ever spent. Three kids are worse "
                "than two Labradors.",
            ),
            (
                "harriet",
                "Kevin has the same boot and has never met a dog. I feel he's missing out.",
            ),
        ),
        reactions="kwame:love harriet:laugh sophie:love hannah:like",
    ),
    DemoPost(
        author="marcus",
        title="What I learnt from my first Castle Combe track day",
        club="cooper-s-owners",
        days_ago=30,
        body="Brake fluid first. The standard fluid in the JCW boiled by my third session and the "
        "pedal went long into Quarry. Fresh high-temperature fluid before the next one, no "
        "question.\n\n"
        "Tyre pressures climb far more than you'd think: start a few psi below your road "
        "pressures and check them after every session.\n\n"
        "And book the tuition lap. The instructor found me two seconds a lap in ten minutes, "
        "mostly by telling me to stop braking so early.",
        comments=(
            ("daniel", "Saving this for the R56. It eats front pads on the road as it is."),
            ("tomasz", "Agree on the tuition lap. Worth every penny."),
        ),
        reactions="daniel:fire tomasz:fire alex:like sophie:wow",
    ),
    DemoPost(
        author="marcus",
        title="Castle Combe, 14 June: who's in?",
        club="track-day-crew",
        days_ago=6,
        body="I've provisionally booked four places on the 14 June open pit lane day: £189 each, "
        "and helmets can be hired at the circuit.\n\n"
        "Reply here if you want one and I'll confirm with the circuit by the end of the month. "
        "Convoy from Exeter services at 6:30.",
        comments=(
            ("tomasz", "In. I'll bring the tyre pressure gauge again."),
            ("sophie", "Yes please! The Rocket's first track day."),
        ),
        reactions="tomasz:fire sophie:love daniel:like",
    ),
    DemoPost(
        author="priya",
        title="Charging on the A38: a field guide",
        club=None,
        days_ago=20,
        body="Two years of commuting from Exeter in the Cooper SE, so here is what I've learnt "
        "about charging between Exeter and Plymouth.\n\n"
        "The rapid chargers at the services are the quickest, but go before eight on a Saturday "
        "or expect a queue. The supermarket chargers in Newton Abbot are slower and usually "
        "free to plug into while you shop.\n\n"
        "Best tip: precondition the battery on the way there in winter. It makes a 20-minute "
        "difference.",
        comments=(
            ("daniel", "The services chargers have been far more reliable since the upgrade."),
            ("mei-ling", "Bookmarking this for my first trip to Plymouth in the Aceman."),
        ),
        reactions="mei-ling:love daniel:like tom:like nikhil:wow",
    ),
    DemoPost(
        author="jim",
        title="Old Faithful's subframe: the full story",
        club="classic-mini-register",
        days_ago=40,
        body="The MOT man found rot in the rear subframe mounts in March, so Old Faithful has "
        "spent the spring on axle stands.\n\n"
        "New galvanised subframe, new mounts, and while it was all out, radius arm bearings, "
        "brake lines and a fresh coat of underseal. Eleven weekends all told.\n\n"
        "She passed the retest last Friday and drove home like a new car. Well, like a 1997 car "
        "that has been very well looked after.",
        comments=(
            ("marcus", "Proper job. Did you do the radius arm bearings while it was out?"),
            ("jim", "Of course. Never put old bearings in a new subframe."),
        ),
        reactions="marcus:fire siobhan:love harriet:like",
    ),
    DemoPost(
        author="jim",
        title="Old Faithful at Brixham harbour",
        club="classic-mini-register",
        days_ago=8,
        photos=(
            ("car", "Out for the first dry Sunday in a month"),
            ("harbour", "Brixham at dusk, from the breakwater"),
        ),
        comments=(("siobhan", "That green! They don't make colours like that any more."),),
        reactions="marcus:love siobhan:love harriet:like",
    ),
    DemoPost(
        author="chloe",
        title="The South Hams ice-cream run, ranked",
        club="sunday-drivers",
        days_ago=2,
        body="Five stops, eleven MINIs, one very long Sunday. The results are in.\n\n"
        "1. Dartmouth: the salted caramel from the kiosk by the ferry. Worth the queue.\n"
        "2. Salcombe: clotted cream, on the harbour steps.\n"
        "3. Hope Cove: tiny shop, huge scoops.\n"
        "4. Bigbury: lovely view, the ice cream was fine.\n"
        "5. Kingsbridge: it was shut. It still counts.\n\n"
        "Next run is on the first Sunday of the month, as ever. Roofs down if the weather lets us.",
        comments=(
            ("ellie", "Salcombe second?! I'll have words. Free flat white if you reconsider."),
            ("fiona", "Nessie and I are coming on the next one, roof down, obviously."),
            ("aisha", "Can a first-timer join? Tango would love this."),
            ("chloe", "Everyone's welcome, Aisha! See you on the quay at ten."),
        ),
        reactions="alex:love ellie:laugh fiona:love aisha:love priya:like ben:fire nikhil:like "
        "hannah:love",
        featured=True,
    ),
    DemoPost(
        author="kwame",
        title="Three car seats across the back of a Countryman: yes, it fits",
        club="countryman-adventures",
        days_ago=25,
        body="The question I get asked most at the school gate. The short answer: yes, with "
        "narrow seats.\n\n"
        "We use two slim high-backed boosters on the outside and a narrow infant seat on "
        "Isofix in the middle. Everyone can still reach their own seatbelt, mostly.\n\n"
        "The boot still takes the buggy and the weekly shop. Just not the buggy, the shop and "
        "the scooters.",
        comments=(
            ("gwen", "This is the post I needed two years ago."),
            ("harriet", "Sending this to my sister, who is about to find out."),
        ),
        reactions="gwen:like harriet:like mei-ling:wow rhys:like",
    ),
    DemoPost(
        author="ben",
        title="Golden hour on the Dawlish sea wall",
        club="sunday-drivers",
        days_ago=11,
        photos=(
            ("car", "The Helmet, parked up by the station"),
            ("harbour", "Sun going down over the sea"),
            ("meet", "The Sunday crowd on the quay afterwards"),
            ("moor", "One more on the way home, because I can"),
        ),
        comments=(
            ("chloe", "These are gorgeous, Ben."),
            ("alex", "Can I book you for Pepper's portrait?"),
            ("ben", "Any Sunday you like."),
        ),
        reactions="chloe:love alex:fire fiona:wow siobhan:love ellie:love",
    ),
    DemoPost(
        author="sophie",
        title="Dartmoor lanes in the Rocket",
        club="cooper-s-owners",
        days_ago=17,
        photos=(
            ("moor", "Below Haytor on the road to Widecombe"),
            ("moor", "Stopped for the ponies, as you do"),
            ("car", "The Rocket, looking pleased with itself"),
        ),
        comments=(("alex", "Widecombe to Ashburton is my favourite bit of road in Devon."),),
        reactions="alex:love marcus:fire daniel:like",
    ),
    DemoPost(
        author="mei-ling",
        title="The Aceman, a thousand miles in",
        club="countryman-adventures",
        days_ago=35,
        body="A thousand miles in, and I'm still smiling every time I get in.\n\n"
        "Real-world range has been about 190 miles in this weather, the seats are good for "
        "three hours, and the round OLED screen is the nicest bit of car design I've used in "
        "years.\n\n"
        "Only complaint: the boot is small for a weekend away. Soft bags, not suitcases.",
        comments=(("gwen", "Welcome to the big-MINI club!"),),
        reactions="gwen:like kwame:like priya:love",
    ),
    DemoPost(
        author="daniel",
        title="R56 timing chain: done, finally",
        club="cooper-s-owners",
        days_ago=45,
        body="The famous cold-start rattle is gone. New chain, tensioner and guides, done on the "
        "driveway over two weekends with borrowed locking tools.\n\n"
        "The hardest part was the crank pulley bolt. The second hardest was explaining to the "
        "neighbours why the car was in pieces.",
        comments=(
            ("marcus", "That rattle is the sound of an R56 asking for help. Nice work."),
            ("jim", "Good lad. Keep the oil changes short on that engine."),
        ),
        reactions="marcus:like jim:like sophie:fire",
    ),
    DemoPost(
        author="ellie",
        title="Cars & Coffee on the quay, May",
        club="sunday-drivers",
        days_ago=22,
        photos=(
            ("meet", "A full quay by nine o'clock"),
            ("meet", "Nearly every colour of MINI ever made"),
            ("harbour", "The last ones out, as the sun went down"),
        ),
        comments=(
            ("hannah", "A record turnout! Thank you all for coming."),
            ("oliver", "My first Cars & Coffee. Everyone was so friendly!"),
        ),
        reactions="hannah:love chloe:love alex:like oliver:like jim:like",
    ),
    DemoPost(
        author="rhys",
        title="Paceman winter wheels for sale, £200",
        club=None,
        days_ago=1,
        body="Set of four 16-inch steel wheels with winter tyres, 6 mm of tread. Fits a Paceman "
        "or Countryman. £200 or near offer, collection from Plymouth.",
        comments=(("fiona", "Do they fit a Roadster?"),),
        report=("nikhil", Report.Reason.SPAM, "Selling without asking first (house rule 4)."),
    ),
    DemoPost(
        author="oliver",
        title="Hello from a new Cooper owner",
        club=None,
        days_ago=0.2,
        body="Hi all! I've had Ruby, my 2014 Cooper, for a few months now and finally signed up. "
        "Night shifts mean I'm usually driving at odd hours, so any tips for quiet roads with "
        "a good sunrise are very welcome.",
        status=Post.Status.PENDING,  # a new member's first post, waiting for a moderator
    ),
]


def seed_posts(context: DemoContext) -> None:
    """The members' stories and albums, with comments, reactions and one open report."""
    now = timezone.now()
    for spec in POSTS:
        author = context.members[WHO[spec.author]]
        post = Post.objects.filter(author=author, title=spec.title).first()
        if post is None:
            post = _create_post(context, spec, author, now)
            if post is None:
                continue
        else:
            context.report.kept("posts")
        if post.status == Post.Status.PUBLISHED:
            _seed_comments(context, post, spec)
            _seed_reactions(context, post, spec)
        if spec.report:
            _seed_report(context, post, spec.report)


def _person(email: str) -> DemoMember:
    return next(p for p in [*STAFF, *MEMBERS] if p.email == email)


def _album(spec: DemoPost) -> list[tuple[SimpleUploadedFile, str]]:
    """The post's photos as uploads, drawn from the author's car where a scene shows it."""
    if not spec.photos:
        return []
    car = _person(WHO[spec.author]).cars[spec.car]
    model = next(f"{make} {name}" for make, name, *_ in CAR_MODELS if name == car.model)
    photos = []
    for i, (scene, caption) in enumerate(spec.photos):
        data = demo_images.album_photo(
            scene, seed=f"{spec.title}|{i}", colour=car.colour, model=model
        )
        name = f"{slugify(spec.title)[:40]}-{i + 1}.jpg"
        photos.append((SimpleUploadedFile(name, data, "image/jpeg"), caption))
    return photos


def _create_post(
    context: DemoContext, spec: DemoPost, author: Member, now: datetime
) -> Post | None:
    club = context.pages.get(spec.club) if spec.club else None
    try:
        post = services.post_create(
            author=author,
            club=club,
            kind=Post.Kind.ALBUM if spec.photos else Post.Kind.STORY,
            title=spec.title,
            body=spec.body,
            photos=_album(spec),
        )
    except services.CommunityError as error:  # e.g. the author has since left the club
        context.report.notes.append(f"post {spec.title!r} skipped: {error}")
        return None
    for photo in post.photos.all():
        for field_file in (photo.image, photo.thumbnail):
            context.new_files.append((field_file.storage, field_file.name))
    # Back-dated, so the feed reads as weeks of activity; the status is the demo's, not the
    # first-posts rule's (a demo member's first posts would otherwise all wait for approval).
    created = now - timedelta(days=spec.days_ago)
    Post.objects.filter(pk=post.pk).update(
        status=spec.status, featured=spec.featured, created_at=created, updated_at=created
    )
    post.refresh_from_db()
    context.report.created("posts")
    context.report.created("photos", len(spec.photos))
    return post


def _seed_comments(context: DemoContext, post: Post, spec: DemoPost) -> None:
    there = set(post.comments.values_list("author_id", "body"))
    for n, (name, text) in enumerate(spec.comments):
        author = context.members[WHO[name]]
        if (author.pk, text) in there:
            context.report.kept("comments")
            continue
        comment = Comment.objects.create(post=post, author=author, body=text)
        at = min(post.created_at + timedelta(hours=2 + 5 * n, minutes=17 * n), timezone.now())
        Comment.objects.filter(pk=comment.pk).update(created_at=at)
        context.report.created("comments")


def _seed_reactions(context: DemoContext, post: Post, spec: DemoPost) -> None:
    there = set(post.reactions.values_list("member_id", "kind"))
    wanted = [item.split(":") for item in spec.reactions.split()]
    new = [
        Reaction(post=post, member=context.members[WHO[name]], kind=kind)
        for name, kind in wanted
        if (context.members[WHO[name]].pk, kind) not in there
    ]
    Reaction.objects.bulk_create(new)
    context.report.created("reactions", len(new))
    context.report.kept("reactions", len(wanted) - len(new))


def _seed_report(context: DemoContext, post: Post, report: tuple[str, str, str]) -> None:
    name, reason, details = report
    _, created = Report.objects.get_or_create(
        post=post,
        reporter=context.members[WHO[name]],
        defaults={"reason": reason, "details": details},
    )
    context.report.created("reports") if created else context.report.kept("reports")
