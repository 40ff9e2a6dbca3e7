"""The demo dealership's community: its settings, car models, staff, members with their garages,
the standard pages, the owner clubs and the members' posts in them.

What they contain is read from demo/data/ (dealership.toml, car_models.toml, members.toml,
pages.toml, clubs.toml, posts.toml) into the dataclasses below; this module keeps what is
computed: plates and VINs derived from seeds, dates relative to today, pictures drawn by
:mod:`demo.images`. Everything is fictional: the dealership, its address, the people and their plates.

The demo's posts are made by :func:`community.services.post_create`, so their photos are stored and
thumbnailed as members' uploads are; memberships, comments, reactions and the report are written
directly, so that seeding sends no email (services would notify organisers and authors).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from community import services
from community.models import (
    Car,
    CarModel,
    Channel,
    ClubIndexPage,
    ClubPage,
    Comment,
    DealershipSettings,
    HomePage,
    Member,
    MemberMobile,
    Membership,
    Post,
    Reaction,
    Report,
    StandardPage,
)
from community.showrooms import dealership_name, default_site
from community.texts.channels import consent_wording
from community.texts.phones import PhoneNumberError, mobile_parse
from community.vins import vin_check_digit
from demo import blocks, images
from demo.data import DataFile, read
from demo.seed import DemoContext, DemoError, fill_unset, is_unset, wagtail_image

OPEN = ClubPage.Access.OPEN


# --- the shapes of the data files ------------------------------------------------------------------


@dataclass(frozen=True)
class DemoImage:
    title: str
    filename: str
    description: str = ""


@dataclass(frozen=True)
class DemoLogo:
    title: str
    filename: str
    place: str  # under the name


@dataclass(frozen=True)
class DemoOpeningHours:
    days: str
    hours: str


@dataclass(frozen=True)
class DemoDealership:
    name: str
    tagline: str
    address: str
    phone: str
    email: str
    map_url: str
    brand_colour: str
    accent_colour: str


@dataclass(frozen=True)
class DemoHome:
    hero_heading: str
    hero_text: str
    summary: str
    hero_image: DemoImage
    body: tuple[dict, ...] = ()


@dataclass(frozen=True)
class DemoCarModel:
    make: str
    name: str
    first_year: int
    last_year: int | None = None  # None while on sale


@dataclass(frozen=True)
class DemoCar:
    model: str  # a name from car_models.toml; the make comes from there
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
    visibility: str = field(
        default=Member.Visibility.PUBLIC, metadata={"choices": Member.Visibility.values}
    )
    show_garage: bool = True
    email_community: bool = True
    email_reminders: bool = True
    is_staff: bool = False
    is_superuser: bool = False
    group: str = ""  # a Wagtail admin group (e.g. "Editors") for staff who are not superusers
    login_label: str = ""  # listed among the demo logins in the summary when set
    # A verified mobile the member consented to texts on, as they would type it, and how every
    # kind of message reaches them (email, text or both).
    mobile: str = ""
    texts: str = field(default=Channel.EMAIL, metadata={"choices": Channel.values})


@dataclass(frozen=True)
class DemoPage:
    slug: str
    title: str
    introduction: str
    body: tuple[dict, ...] = ()


@dataclass(frozen=True)
class DemoClubIndex:
    title: str
    slug: str
    introduction: str


@dataclass(frozen=True)
class DemoClub:
    slug: str
    title: str
    access: str = field(metadata={"choices": ClubPage.Access.values})
    summary: str
    description: tuple[dict, ...]  # body blocks (see demo.blocks)
    colour: str  # the cover's badge and landscape colour
    motif: str = field(metadata={"choices": images.COVER_MOTIFS})
    cover_alt: str
    accent: str = "#f4b83a"
    car_models: tuple[str, ...] = ()  # owners of these join an open club automatically
    organisers: tuple[str, ...] = ()  # first names (see WHO)
    members: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()  # asked to join an approval club, not decided yet
    invited: tuple[str, ...] = ()  # invited by an organiser, not accepted yet
    featured: bool = False


@dataclass(frozen=True)
class DemoPost:
    author: str  # a first name (see WHO)
    title: str
    days_ago: float
    club: str | None = None  # a club's slug; None posts to the community feed
    body: str = ""  # plain text, paragraphs separated by an empty line
    photos: tuple[tuple[str, str], ...] = ()  # (scene, caption): an album when given
    car: int = 0  # which of the author's cars the "car" and "moor" scenes show
    comments: tuple[tuple[str, str], ...] = ()  # (first name, text), oldest first
    reactions: str = ""  # "priya:love chloe:like", the kinds of Reaction.Kind
    status: str = field(default=Post.Status.PUBLISHED, metadata={"choices": Post.Status.values})
    featured: bool = False
    report: tuple[str, str, str] | None = None  # (reporter's first name, reason, details)


# --- reading them ----------------------------------------------------------------------------------


def load_car_models(file: DataFile) -> list[DemoCarModel]:
    return file.entries(DemoCarModel, "car_models", name="name")


def load_people(file: DataFile, *, car_models: list[DemoCarModel]) -> list[DemoMember]:
    """Staff, then members; each car's model must be one of ``car_models``."""
    staff = file.entries(DemoMember, "staff", name="email")
    members = file.entries(DemoMember, "members", name="email")
    names = {model.name for model in car_models}
    for person in [*staff, *members]:
        for car in person.cars:
            file.check(
                car.model in names,
                entry=f"{person.email!r}",
                message=f"car model {car.model!r} is not in car_models.toml",
            )
    return [*staff, *members]


def load_clubs(file: DataFile, *, who: dict[str, str]) -> list[DemoClub]:
    """The clubs, whose people (first names) must be demo members."""
    clubs = file.entries(DemoClub, "clubs", name="slug")
    for club in clubs:
        people = {*club.organisers, *club.members, *club.pending, *club.invited}
        unknown = sorted(people - set(who))
        file.check(
            not unknown, entry=f"clubs {club.slug!r}", message=f"not demo members: {unknown}"
        )
    return clubs


def load_posts(file: DataFile, *, who: dict[str, str], clubs: list[DemoClub]) -> list[DemoPost]:
    """The posts, whose people must be demo members, clubs demo clubs and reactions known kinds."""
    posts = file.entries(DemoPost, "posts", name="title")
    slugs = {club.slug for club in clubs}
    for post in posts:
        entry = f"posts {post.title!r}"
        reactions = [item.partition(":") for item in post.reactions.split()]
        people = {post.author, *(name for name, _ in post.comments)}
        people |= {name for name, _, _ in reactions}
        if post.report:
            people.add(post.report[0])
            file.check(
                post.report[1] in Report.Reason.values,
                entry=entry,
                message=f"report reason {post.report[1]!r} is not one of "
                f"{', '.join(Report.Reason.values)}",
            )
        unknown = sorted(people - set(who))
        file.check(not unknown, entry=entry, message=f"not demo members: {unknown}")
        file.check(
            post.club is None or post.club in slugs,
            entry=entry,
            message=f"club {post.club!r} is not in clubs.toml",
        )
        kinds = {kind for _, _, kind in reactions}
        file.check(
            kinds <= set(Reaction.Kind.values),
            entry=entry,
            message=f"reactions are name:kind, with kinds {', '.join(Reaction.Kind.values)}",
        )
        file.check(
            all(scene in images.ALBUM_SCENES for scene, _ in post.photos),
            entry=entry,
            message=f"photo scenes are {', '.join(images.ALBUM_SCENES)}",
        )
    return posts


DEALERSHIP_FILE = read("dealership.toml")
DEALERSHIP = DEALERSHIP_FILE.entry(DemoDealership, "settings")
OPENING_HOURS = DEALERSHIP_FILE.entries(DemoOpeningHours, "opening_hours", name="days")
HOME = DEALERSHIP_FILE.entry(DemoHome, "home")
LOGO = DEALERSHIP_FILE.entry(DemoLogo, "logo")
CAR_MODELS = load_car_models(read("car_models.toml"))
PEOPLE = load_people(read("members.toml"), car_models=CAR_MODELS)
STAFF = [person for person in PEOPLE if person.is_staff]
MEMBERS = [person for person in PEOPLE if not person.is_staff]
# Demo people by first name, in the club and post files ("alex" is member@paddock.localhost).
WHO: dict[str, str] = {person.name.split()[0].lower(): person.email for person in PEOPLE}
PAGES_FILE = read("pages.toml")
PAGES = PAGES_FILE.entries(DemoPage, "pages", name="slug")
CLUBS_FILE = read("clubs.toml")
CLUB_INDEX = CLUBS_FILE.entry(DemoClubIndex, "index")
CLUBS = load_clubs(CLUBS_FILE, who=WHO)
POSTS = load_posts(read("posts.toml"), who=WHO, clubs=CLUBS)


# --- the dealership and its car models ------------------------------------------------------------


def seed_dealership(context: DemoContext) -> None:
    """The default site's DealershipSettings: name, contact details, hours, colours and logo."""
    dealership = DealershipSettings.for_site(context.site)
    changed = fill_unset(instance=dealership, values=vars(DEALERSHIP))
    if is_unset(instance=dealership, name="opening_hours"):
        dealership.opening_hours = [
            {"type": "hours", "value": {"days": line.days, "hours": line.hours}}
            for line in OPENING_HOURS
        ]
        changed.append("opening_hours")
    if dealership.logo_id is None:
        dealership.logo = wagtail_image(
            context=context,
            title=LOGO.title,
            filename=LOGO.filename,
            data=images.logo(
                dealership.name,
                brand=dealership.brand_colour,
                accent=dealership.accent_colour,
                place=LOGO.place,
            ),
            description=f"{dealership.name} logo",
        )
        changed.append("logo")
    if changed:
        dealership.full_clean(exclude=["site"])
        dealership.save()
        context.report.filled.append(f"dealership settings ({', '.join(changed)})")


def seed_car_models(context: DemoContext) -> None:
    for spec in CAR_MODELS:
        car_model, created = CarModel.objects.get_or_create(
            make=spec.make,
            name=spec.name,
            defaults={"first_year": spec.first_year, "last_year": spec.last_year},
        )
        context.car_models[spec.name] = car_model
        context.report.created("car models") if created else context.report.kept("car models")


# --- members and their garages ----------------------------------------------------------------------


def seed_members(context: DemoContext) -> None:
    """Staff and members, each with a verified email address, an avatar and their garage."""
    for person in PEOPLE:
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
        if person.mobile:
            _seed_mobile(context, member, person)


def _seed_mobile(context: DemoContext, member: Member, person: DemoMember) -> None:
    """The member's verified mobile with consent, as if they had confirmed the texted code."""
    if MemberMobile.objects.filter(member=member).exists():
        context.report.kept("verified mobiles")
        return
    try:
        number = mobile_parse(person.mobile, country="GB")
    except PhoneNumberError as error:
        raise DemoError(
            f"members.toml: {person.email}: mobile: {error}", code="bad_data"
        ) from error
    now = timezone.now()
    MemberMobile.objects.create(
        member=member,
        number=number,
        verified_at=now,
        consent_at=now,
        consent_wording=consent_wording(dealership_name=dealership_name(default_site())),
        **dict.fromkeys(MemberMobile.KINDS, person.texts),
    )
    context.report.created("verified mobiles")


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
    context.save_file(member.avatar, f"{slugify(person.name)}.png", images.avatar(person.name))
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
        data = images.car_photo(str(car_model), spec.colour, seed=plate)
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


def vin(spec: DemoCar, rng: random.Random) -> str:
    """A well-formed 17-character VIN: MINI's WMW prefix, model year code and check digit."""
    year_code = (
        VIN_YEAR_CODES[(spec.year - 2010) % 30] if spec.year >= 2010 else str(spec.year % 10)
    )
    body = "WMW" + "".join(rng.choice(VIN_CHARS) for _ in range(5)) + "0" + year_code + "T"
    body += "".join(str(rng.randrange(10)) for _ in range(6))
    return body[:8] + vin_check_digit(body) + body[9:]


# --- pages -----------------------------------------------------------------------------------------


def _text_values() -> dict[str, str]:
    """What the pages' paragraphs may name with ``${...}`` (see pages.toml)."""
    return {
        "dealership_name": DEALERSHIP.name,
        "dealership_address": DEALERSHIP.address.replace("\n", ", "),
        "dealership_email": DEALERSHIP.email,
        "data_export_url": reverse("community:data_export"),
        "account_delete_url": reverse("community:account_delete"),
    }


def seed_pages(context: DemoContext) -> None:
    """About us, Privacy and House rules under the home page, then the home page's own content."""
    home = context.home
    new_pages = []
    for spec in PAGES:
        page = home.get_children().filter(slug=spec.slug).first()
        if page is not None:
            context.pages[spec.slug] = page.specific
            context.report.kept("pages")
            continue
        page = StandardPage(
            title=spec.title,
            slug=spec.slug,
            introduction=spec.introduction,
            summary=spec.introduction,
        )
        home.add_child(instance=page)
        context.pages[spec.slug] = page
        new_pages.append((page, spec))
        context.report.created("pages")
    # The bodies link to each other, so they are written once every page exists.
    values = _text_values()
    for page, spec in new_pages:
        page.body = blocks.body(
            list(spec.body),
            file=PAGES_FILE,
            entry=f"pages {spec.slug!r}",
            pages=context.pages,
            values=values,
        )
        page.save_revision(log_action=True).publish()
    home.refresh_from_db()
    _seed_home(context, home)


def _seed_home(context: DemoContext, home: HomePage) -> None:
    if home.has_unpublished_changes:
        context.report.notes.append("the home page has unpublished changes, so it was left alone")
        return
    changed = fill_unset(
        instance=home,
        values={
            "hero_heading": HOME.hero_heading,
            "hero_text": HOME.hero_text,
            "summary": HOME.summary,
        },
    )
    if home.hero_image_id is None:
        home.hero_image = wagtail_image(
            context=context,
            title=HOME.hero_image.title,
            filename=HOME.hero_image.filename,
            data=images.hero_image(seed=DEALERSHIP.name),
            description=HOME.hero_image.description,
        )
        changed.append("hero_image")
    if not home.body:
        home.body = blocks.body(
            list(HOME.body),
            file=DEALERSHIP_FILE,
            entry="home",
            pages=context.pages,
            values=_text_values(),
        )
        changed.append("body")
    if changed:
        home.save_revision(log_action=True).publish()
        context.report.filled.append(f"home page ({', '.join(changed)})")


# --- clubs -----------------------------------------------------------------------------------------


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
    slug = CLUB_INDEX.slug
    if home.get_children().filter(slug=slug).exists():  # the slug is taken by another page
        slug = f"owner-{CLUB_INDEX.slug}"
    index = ClubIndexPage(
        title=CLUB_INDEX.title,
        slug=slug,
        introduction=CLUB_INDEX.introduction,
        summary=CLUB_INDEX.introduction,
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
    cover = wagtail_image(
        context=context,
        title=f"{spec.title} cover",
        filename=f"{spec.slug}-cover.jpg",
        data=images.club_cover(
            spec.title,
            colour=spec.colour,
            accent=spec.accent,
            motif=spec.motif,
            models=tuple(f"{m.make} {m.name}" for m in models) or ("MINI Cooper",),
        ),
        description=spec.cover_alt,
    )
    body = blocks.body(
        list(spec.description),
        file=CLUBS_FILE,
        entry=f"clubs {spec.slug!r}",
        pages=context.pages,
        values={},
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
        for person in PEOPLE:
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
    return next(p for p in PEOPLE if p.email == email)


def _album(spec: DemoPost) -> list[tuple[SimpleUploadedFile, str]]:
    """The post's photos as uploads, drawn from the author's car where a scene shows it."""
    if not spec.photos:
        return []
    car = _person(WHO[spec.author]).cars[spec.car]
    model = next(f"{m.make} {m.name}" for m in CAR_MODELS if m.name == car.model)
    photos = []
    for i, (scene, caption) in enumerate(spec.photos):
        data = images.album_photo(scene, seed=f"{spec.title}|{i}", colour=car.colour, model=model)
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
