"""A second demo showroom of the same dealer group: ``manage.py seed_demo --second-showroom HOST``.

It adds a Wagtail Site for HOST (any port) with its own home page, branding (name, colours,
logo, sender address), an events page with two events and a clubs page with one club. The demo
members are shared: the same logins work on both showrooms. Safe to run again: a Site already
serving HOST is left alone.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from community import demo_images
from community.demo import DemoContext, _paragraph, _wagtail_image
from community.models import ClubIndexPage, ClubPage, DealershipSettings, HomePage, Membership

SHOWROOM = {
    "name": "Southbay MINI",
    "tagline": "The group's second showroom: sales and service on the Southbay ring road.",
    "address": "12 Ring Road\nSouthbay\nDevon\nTQ9 4ZZ",
    "phone": "01632 960777",
    "email": "hello@southbay-mini.example",
    "from_email": "events@southbay-mini.example",
    "brand_colour": "#7a1f2b",
    "accent_colour": "#9fd3c7",
}
PLACE = "Southbay · Devon"
EVENTS = [
    ("Southbay evening drive", 9, time(18, 30), "Ring road car park", "road"),
    ("Tyre and tea morning", 16, time(10, 0), "Southbay MINI workshop", "classic"),
]


def seed_second_showroom(context: DemoContext, hostname: str) -> Site:
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
            hero_heading="Southbay owners, this one's yours.",
            hero_text="The owners' community of Southbay MINI: evening drives, tyre-and-tea "
            "mornings and the people who look after your car.",
            summary="The owners' community of Southbay MINI.",
            hero_image=_wagtail_image(
                context,
                title="Southbay ring road at dusk",
                filename="southbay-dusk.jpg",
                data=demo_images.hero_image(seed=SHOWROOM["name"]),
                description="MINIs on the Southbay ring road at dusk.",
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
    dealership.logo = _wagtail_image(
        context,
        title="Southbay MINI logo",
        filename="southbay-mini-logo.png",
        data=demo_images.logo(
            SHOWROOM["name"],
            brand=SHOWROOM["brand_colour"],
            accent=SHOWROOM["accent_colour"],
            place=PLACE,
        ),
        description="Southbay MINI logo",
    )
    dealership.save()

    clubs = home.add_child(instance=ClubIndexPage(title="Clubs", slug="clubs", show_in_menus=True))
    club = clubs.add_child(
        instance=ClubPage(
            title="Southbay Sunday Drivers",
            slug="southbay-sunday-drivers",
            summary="Slow roads, good coffee, every other Sunday.",
            featured=True,
            cover_image=_wagtail_image(
                context,
                title="Southbay Sunday Drivers cover",
                filename="southbay-sunday-drivers.jpg",
                data=demo_images.club_cover(
                    "Southbay Sunday Drivers", colour=SHOWROOM["brand_colour"], motif="coast"
                ),
                description="Illustration for Southbay Sunday Drivers",
            ),
        )
    )
    for member in list(context.members.values())[:4]:
        Membership.objects.get_or_create(club=club, member=member)

    from events.models import EventIndexPage, EventPage

    events = home.add_child(
        instance=EventIndexPage(title="Events", slug="events", show_in_menus=True)
    )
    for title, days, starts, venue, motif in EVENTS:
        start = timezone.make_aware(
            datetime.combine(timezone.localdate() + timedelta(days=days), starts)
        )
        events.add_child(
            instance=EventPage(
                title=title,
                slug=slugify(title),
                start=start,
                end=start + timedelta(hours=2),
                venue_name=venue,
                summary=f"{title} with Southbay MINI.",
                body=[("paragraph", _paragraph(f"<p>{title}: all MINIs welcome.</p>")["value"])],
                capacity=30,
                cover_image=_wagtail_image(
                    context,
                    title=f"{title} cover",
                    filename=f"{slugify(title)}.jpg",
                    data=demo_images.club_cover(
                        title, colour=SHOWROOM["brand_colour"], motif=motif
                    ),
                    description=f"Illustration for {title}",
                ),
            )
        )
    context.report.created("showrooms")
    context.report.notes.append(f"second showroom {SHOWROOM['name']} at {hostname}")
    return site
