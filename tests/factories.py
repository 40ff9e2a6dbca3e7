"""factory_boy factories for Paddock's models (import inside tests, after Django is set up)."""

import factory
from allauth.account.models import EmailAddress

from community.models import Car, CarModel, Member


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    display_name = factory.Faker("name")
    town = "Kingsbridge"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Members are verified unless ``verified=False`` is passed."""
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class StaffFactory(MemberFactory):
    is_staff = True
    is_superuser = True
    email = factory.Sequence(lambda n: f"staff{n}@example.com")


class CarModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarModel
        django_get_or_create = ("make", "name")

    make = "MINI"
    name = factory.Iterator(["Cooper S", "Countryman", "Clubman", "Cooper SE", "John Cooper Works"])


class CarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Car

    owner = factory.SubFactory(MemberFactory)
    car_model = factory.SubFactory(CarModelFactory)
    year = 2021
    colour = "Chili Red"
    registration = factory.Sequence(lambda n: f"KB21 {n:03d}")


def club_index():
    """The site's ClubIndexPage under the home page (created once)."""
    from community.models import ClubIndexPage, HomePage

    existing = ClubIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.get(depth=2)
    return home.add_child(instance=ClubIndexPage(title="Clubs", slug="clubs"))


def make_club(
    title: str = "Cooper S Owners",
    *,
    access: str = "open",
    organisers=(),
    members=(),
    car_models=(),
):
    """A live ClubPage with active organisers and members."""
    from django.utils.text import slugify

    from community.models import ClubPage, Membership

    club = club_index().add_child(
        instance=ClubPage(title=title, slug=slugify(title), access=access)
    )
    if car_models:
        club.car_models.set(car_models)
        club.save_revision().publish()
    for organiser in organisers:
        Membership.objects.create(club=club, member=organiser, role=Membership.Role.ORGANISER)
    for member in members:
        Membership.objects.create(club=club, member=member)
    return club


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "community.Post"

    author = factory.SubFactory(MemberFactory)
    club = None
    kind = "story"
    title = factory.Sequence(lambda n: f"Sunday drive {n}")
    body = "<p>Coast road, then coffee.</p>"
    status = "published"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "community.Comment"

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(MemberFactory)
    body = "Lovely!"


def event_index():
    from community.models import HomePage
    from events.models import EventIndexPage

    existing = EventIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.get(depth=2)
    return home.add_child(instance=EventIndexPage(title="Events", slug="events"))


def make_event(
    title: str = "Cars & Coffee on the Quay", *, days_ahead: int = 7, run_groups=(), **fields
):
    """A live EventPage starting ``days_ahead`` days from now; ``run_groups`` as (name, capacity)."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.text import slugify

    from events.models import EventPage, RunGroup

    start = (timezone.now() + timedelta(days=days_ahead)).replace(second=0, microsecond=0)
    fields.setdefault("venue_name", "Saltmouth Quay")
    fields.setdefault("capacity", 50)
    event = EventPage(
        title=title,
        slug=f"{slugify(title)}-{EventPage.objects.count() + 1}",
        start=start,
        end=start + timedelta(hours=3),
        **fields,
    )
    event_index().add_child(instance=event)
    for position, (name, capacity) in enumerate(run_groups):
        RunGroup.objects.create(event=event, name=name, capacity=capacity, sort_order=position)
    return event


def accessory_index():
    """The site's AccessoryIndexPage under the home page (created once)."""
    from accessories.models import AccessoryIndexPage
    from community.models import HomePage

    existing = AccessoryIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.get(depth=2)
    return home.add_child(instance=AccessoryIndexPage(title="Accessories", slug="accessories"))


def make_accessory(
    title: str = "Union Jack roof decal",
    *,
    fits=(),
    images=(),
    price="89.00",
    stock_status="in_stock",
    **fields,
):
    """A live AccessoryPage; ``fits`` as (car_model, year_from, year_to), ``images`` as Wagtail images."""
    from decimal import Decimal

    from django.utils.text import slugify

    from accessories.models import AccessoryFitment, AccessoryGalleryImage, AccessoryPage

    fields.setdefault("part_number", f"51 14 {AccessoryPage.objects.count() + 1:07d}")
    accessory = AccessoryPage(
        title=title,
        slug=f"{slugify(title)}-{AccessoryPage.objects.count() + 1}",
        price=Decimal(price) if price is not None else None,
        stock_status=stock_status,
        **fields,
    )
    accessory_index().add_child(instance=accessory)
    for position, (car_model, year_from, year_to) in enumerate(fits):
        AccessoryFitment.objects.create(
            page=accessory,
            car_model=car_model,
            year_from=year_from,
            year_to=year_to,
            sort_order=position,
        )
    for position, image in enumerate(images):
        AccessoryGalleryImage.objects.create(page=accessory, image=image, sort_order=position)
    return accessory


def make_image(title: str = "Accessory photo", colour: str = "#336699"):
    """A small Wagtail image made in memory."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    )


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accessories.Lead"

    accessory = factory.LazyFunction(lambda: make_accessory())
    name = "Alex Visitor"
    email = factory.Sequence(lambda n: f"lead{n}@example.com")
    message = "Does it come in black?"
    kind = "ask"


class SalesLeadFactory(factory.django.DjangoModelFactory):
    """A next-car lead, made directly (the rules are ``community.leads.services``'s)."""

    class Meta:
        model = "community.SalesLead"

    kind = "next_car"
    name = "Sam Porter"
    email = factory.Sequence(lambda n: f"sales{n}@example.com")
    message = "Thinking about something bigger."
    timeframe = "soon"


DARTMOOR_GPX = "demo/data/dartmoor-loop.gpx"  # a real drive's track, also the demo's route

# (kind, name, lat, lon, minutes after the start): the demo's Dartmoor loop, stop by stop.
DARTMOOR_STOPS = (
    ("meeting", "Haytor lower car park", 50.5812, -3.7447, 0),
    ("coffee", "Café on the Green, Widecombe", 50.5760, -3.8110, 15),
    ("regroup", "Two Bridges car park", 50.5606, -3.9580, 60),
    ("lunch", "Dartmeet tea rooms", 50.5440, -3.8770, 140),
    ("fuel", "Ashburton filling station", 50.5157, -3.7550, 185),
    ("finish", "Haytor lower car park", 50.5812, -3.7447, 215),
)


def make_route(
    name: str = "Dartmoor loop",
    *,
    gpx_path: str | None = DARTMOOR_GPX,
    stops=DARTMOOR_STOPS,
    club=None,
):
    """A route in the library, its track read from ``gpx_path`` (None: placed by hand)."""
    from pathlib import Path

    from events.gpx import gpx_read
    from events.models import Route, RouteStop
    from events.services.routes import route_save

    route = Route(name=name, club=club)
    for position, (kind, stop_name, lat, lon, minutes) in enumerate(stops):
        route.stops.add(
            RouteStop(
                kind=kind,
                name=stop_name,
                lat=lat,
                lon=lon,
                minutes_after_start=minutes,
                sort_order=position,
            )
        )
    track = (
        gpx_read((Path(__file__).resolve().parent.parent / gpx_path).read_bytes())
        if gpx_path
        else None
    )
    return route_save(route=route, track=track)
