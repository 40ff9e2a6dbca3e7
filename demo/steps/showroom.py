"""A second demo showroom of the same dealer group: ``manage.py seed_demo --second-showroom HOST``.

It adds a Wagtail Site for HOST (any port) with its own home page, branding (name, colours,
logo, sender address), an events page with two events and a clubs page with one club, all read
from demo/data/showroom.toml. The demo members are shared: the same logins work on both
showrooms. Safe to run again: a Site already serving HOST is left alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from community.models import ClubIndexPage, ClubPage, DealershipSettings, HomePage, Membership
from demo import blocks, images
from demo.data import read
from demo.seed import DemoContext, wagtail_image
from demo.steps.community import DemoHome, DemoLogo
from events.models import EventIndexPage, EventPage


@dataclass(frozen=True)
class DemoShowroomSettings:
    name: str
    tagline: str
    address: str
    phone: str
    email: str
    from_email: str
    brand_colour: str
    accent_colour: str


@dataclass(frozen=True)
class DemoShowroomClub:
    title: str
    slug: str
    summary: str
    motif: str = field(metadata={"choices": images.COVER_MOTIFS})
    members: int = 0  # the first demo members join it


@dataclass(frozen=True)
class DemoShowroomEvent:
    title: str
    days: int  # ahead of the day the demo is seeded
    starts: time
    venue: str
    motif: str = field(metadata={"choices": images.COVER_MOTIFS})


SHOWROOM_FILE = read("showroom.toml")
# The showroom's DealershipSettings, by field name.
SHOWROOM = asdict(SHOWROOM_FILE.entry(DemoShowroomSettings, "settings"))
HOME = SHOWROOM_FILE.entry(DemoHome, "home")
LOGO = SHOWROOM_FILE.entry(DemoLogo, "logo")
CLUB = SHOWROOM_FILE.entry(DemoShowroomClub, "club")
EVENTS = SHOWROOM_FILE.entries(DemoShowroomEvent, "events", name="title")


def seed_second_showroom(context: DemoContext, hostname: str) -> Site:
    """A step taking the host name too (bind it with ``functools.partial``)."""
    existing = Site.objects.filter(hostname=hostname).first()
    if existing is not None:
        context.report.kept("showrooms")
        return existing
    root = Page.objects.get(depth=1)
    slug = slugify(hostname.split(".")[0]) or "showroom"
    home = root.add_child(
        instance=HomePage(
            title=f"{SHOWROOM['name']} home",
            slug=f"{slug}-home",
            hero_heading=HOME.hero_heading,
            hero_text=HOME.hero_text,
            summary=HOME.summary,
            hero_image=wagtail_image(
                context=context,
                title=HOME.hero_image.title,
                filename=HOME.hero_image.filename,
                data=images.hero_image(seed=SHOWROOM["name"]),
                description=HOME.hero_image.description,
            ),
        )
    )
    home.save_revision().publish()
    site = Site.objects.create(
        hostname=hostname, port=80, root_page=home, site_name=SHOWROOM["name"]
    )
    dealership = DealershipSettings.for_site(site)
    for name, value in SHOWROOM.items():
        setattr(dealership, name, value)
    dealership.logo = wagtail_image(
        context=context,
        title=LOGO.title,
        filename=LOGO.filename,
        data=images.logo(
            SHOWROOM["name"],
            brand=SHOWROOM["brand_colour"],
            accent=SHOWROOM["accent_colour"],
            place=LOGO.place,
        ),
        description=LOGO.title,
    )
    dealership.save()

    clubs = home.add_child(instance=ClubIndexPage(title="Clubs", slug="clubs", show_in_menus=True))
    club = clubs.add_child(
        instance=ClubPage(
            title=CLUB.title,
            slug=CLUB.slug,
            summary=CLUB.summary,
            featured=True,
            cover_image=wagtail_image(
                context=context,
                title=f"{CLUB.title} cover",
                filename=f"{CLUB.slug}.jpg",
                data=images.club_cover(
                    CLUB.title, colour=SHOWROOM["brand_colour"], motif=CLUB.motif
                ),
                description=f"Illustration for {CLUB.title}",
            ),
        )
    )
    for member in list(context.members.values())[: CLUB.members]:
        Membership.objects.get_or_create(club=club, member=member)

    events = home.add_child(
        instance=EventIndexPage(title="Events", slug="events", show_in_menus=True)
    )
    for spec in EVENTS:
        start = timezone.make_aware(
            datetime.combine(timezone.localdate() + timedelta(days=spec.days), spec.starts)
        )
        events.add_child(
            instance=EventPage(
                title=spec.title,
                slug=slugify(spec.title),
                start=start,
                end=start + timedelta(hours=2),
                venue_name=spec.venue,
                summary=f"{spec.title} with {SHOWROOM['name']}.",
                body=[blocks.paragraph(f"<p>{spec.title}: all MINIs welcome.</p>")],
                capacity=30,
                cover_image=wagtail_image(
                    context=context,
                    title=f"{spec.title} cover",
                    filename=f"{slugify(spec.title)}.jpg",
                    data=images.club_cover(
                        spec.title, colour=SHOWROOM["brand_colour"], motif=spec.motif
                    ),
                    description=f"Illustration for {spec.title}",
                ),
            )
        )
    context.report.created("showrooms")
    context.report.notes.append(f"second showroom {SHOWROOM['name']} at {hostname}")
    return site
