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
