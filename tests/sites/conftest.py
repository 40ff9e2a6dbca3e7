"""Two showrooms of one dealer group on one install: north.test and south.test.

Each is a Wagtail Site with its own home page, event index, club index, an event, a club with a
post, and its own DealershipSettings (name, colour, sender). The default Site from the migrations
stays as it is, as on a real install that added showrooms later.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest


@dataclass
class Showroom:
    host: str
    site: object
    home: object
    events: object
    clubs: object
    event: object
    club: object
    post: object
    name: str
    colour: str
    sender: str


def build_showroom(*, host: str, name: str, colour: str, sender: str, place: str) -> Showroom:
    from django.utils import timezone
    from wagtail.models import Page, Site

    from community.models import ClubIndexPage, ClubPage, DealershipSettings, HomePage
    from events.models import EventIndexPage, EventPage
    from tests.factories import PostFactory

    root = Page.objects.get(depth=1)
    home = root.add_child(
        instance=HomePage(title=f"{name} home", slug=host.replace(".", "-"), hero_heading=name)
    )
    site = Site.objects.create(hostname=host, port=80, root_page=home, site_name=name)
    dealership = DealershipSettings.for_site(site)
    dealership.name = name
    dealership.brand_colour = colour
    dealership.from_email = sender
    dealership.email = f"hello@{host}"
    dealership.save()
    events = home.add_child(instance=EventIndexPage(title="Events", slug="events"))
    clubs = home.add_child(instance=ClubIndexPage(title="Clubs", slug="clubs"))
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    event = events.add_child(
        instance=EventPage(
            title=f"{place} track night",
            slug="track-night",
            start=start,
            end=start + timedelta(hours=3),
            venue_name=f"{place} circuit",
            capacity=20,
        )
    )
    club = clubs.add_child(instance=ClubPage(title=f"{place} Cooper club", slug="cooper-club"))
    post = PostFactory(club=club, title=f"{place} coffee run")
    return Showroom(
        host=host,
        site=site,
        home=home,
        events=events,
        clubs=clubs,
        event=event,
        club=club,
        post=post,
        name=name,
        colour=colour,
        sender=sender,
    )


@pytest.fixture
def north(db):
    return build_showroom(
        host="north.test",
        name="Northgate MINI",
        colour="#0b4f6c",
        sender="events@north.test",
        place="Northgate",
    )


@pytest.fixture
def south(db):
    return build_showroom(
        host="south.test",
        name="Southbay MINI",
        colour="#8c1c13",
        sender="events@south.test",
        place="Southbay",
    )
