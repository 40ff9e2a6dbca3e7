"""The seed_demo command: a believable demo dealership, built idempotently."""

from datetime import date
from io import BytesIO, StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from community import demo_images
from community.demo import DEMO_PASSWORD, DEMO_STEPS, MEMBERS, STAFF, seed_demo, uk_plate
from community.models import Car, CarModel, DealershipSettings, HomePage, Member, StandardPage
from community.models.garage import validate_vin

MEMBER_LOGIN = "member@paddock.localhost"
STAFF_LOGIN = "staff@paddock.localhost"


def _counts() -> dict[str, int]:
    return {
        "members": Member.objects.count(),
        "cars": Car.objects.count(),
        "car models": CarModel.objects.count(),
        "email addresses": EmailAddress.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "settings": DealershipSettings.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_creates_members_with_garages():
    seed_demo()

    members = Member.objects.filter(is_staff=False)
    assert members.count() == len(MEMBERS) >= 20
    assert all(1 <= m.cars.count() <= 3 for m in members)
    assert all(m.avatar and m.bio and m.town for m in members)
    visibility = [m.profile_visibility for m in members]
    assert visibility.count(Member.Visibility.PRIVATE) == 1
    assert visibility.count(Member.Visibility.MEMBERS) >= 2
    assert visibility.count(Member.Visibility.PUBLIC) > len(visibility) / 2
    assert members.filter(show_garage=False).exists()

    cars = list(Car.objects.select_related("car_model"))
    assert sum(bool(car.photo) for car in cars) > len(cars) / 2
    assert any(car.bought_here for car in cars) and not all(car.bought_here for car in cars)
    assert len({car.registration_key for car in cars}) == len(cars)
    assert len({car.car_model_id for car in cars}) >= 8
    for car in cars:
        car.full_clean()  # years, dates and VINs all pass the model's own validation
        assert car.car_model.first_year <= car.year <= (car.car_model.last_year or car.year)
        assert car.bought_on is None or car.bought_on <= timezone.localdate()
    vins = [car.vin for car in cars if car.vin]
    assert len(vins) >= 5
    for vin in vins:
        validate_vin(vin)
        assert vin.startswith("WMW") and not set(vin) & set("IOQ")


@pytest.mark.django_db
def test_seed_demo_creates_staff_and_car_models():
    seed_demo()

    staff = Member.objects.filter(is_staff=True)
    assert staff.count() == len(STAFF) >= 2
    assert staff.get(email=STAFF_LOGIN).is_superuser
    advisor = staff.get(email="sales@paddock.localhost")
    assert not advisor.is_superuser and advisor.groups.filter(name="Editors").exists()
    names = set(CarModel.objects.filter(make="MINI").values_list("name", flat=True))
    assert {
        "Cooper",
        "Cooper S",
        "Cooper SE",
        "John Cooper Works",
        "Countryman",
        "Clubman",
    } <= names
    assert len(names) >= 12
    assert CarModel.objects.get(make="MINI", name="Paceman").last_year == 2016


@pytest.mark.django_db
def test_seed_demo_twice_creates_no_duplicates():
    seed_demo()
    before = _counts()

    report = seed_demo()

    assert _counts() == before
    assert not report.created_anything
    assert report.kept_counts["members"] == len(MEMBERS)


@pytest.mark.django_db
def test_seed_demo_rerun_keeps_staff_edits():
    seed_demo()
    dealership = DealershipSettings.objects.get()
    dealership.name = "Quayside MINI"
    dealership.save()
    member = Member.objects.get(email=MEMBER_LOGIN)
    member.bio = "Edited by me."
    member.set_password("a-new-password-123")
    member.save()
    member.cars.first().delete()
    home = HomePage.objects.get()
    home.hero_heading = "Edited heading"
    home.save_revision().publish()
    about = StandardPage.objects.get(slug="about-us")
    about.delete()

    seed_demo()

    assert DealershipSettings.objects.get().name == "Quayside MINI"
    member.refresh_from_db()
    assert member.bio == "Edited by me."
    assert member.check_password("a-new-password-123")
    assert HomePage.objects.get().hero_heading == "Edited heading"
    # What is missing is put back: the deleted car and page.
    assert member.cars.count() == 2
    assert StandardPage.objects.filter(slug="about-us").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("email", [MEMBER_LOGIN, STAFF_LOGIN])
def test_seed_demo_logins_are_verified(client, email):
    seed_demo()
    member = Member.objects.get(email=email)
    assert EmailAddress.objects.filter(
        user=member, email=email, verified=True, primary=True
    ).exists()

    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("community:garage")
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_seed_demo_every_demo_email_is_verified_and_primary():
    seed_demo()

    for person in [*STAFF, *MEMBERS]:
        address = EmailAddress.objects.get(email=person.email)
        assert address.verified and address.primary
        assert address.user.email == person.email


@pytest.mark.django_db
def test_demo_car_photo_is_a_decodable_jpeg():
    seed_demo()
    car = Car.objects.exclude(photo="").select_related("car_model").first()

    with car.photo.open("rb") as f:
        data = f.read()
    with PILImage.open(BytesIO(data)) as image:
        image.load()
        assert image.format == "JPEG"
        assert image.size == (1200, 800)
        colours = image.convert("RGB").resize((60, 40)).getcolors(maxcolors=10_000)
    assert colours is not None and len(colours) > 50  # a picture, not a flat placeholder
    # Deterministic: the same car draws the same bytes again.
    again = demo_images.car_photo(str(car.car_model), car.colour, seed=car.registration)
    assert again == data


def test_demo_images_avatar_hero_and_logo_decode_at_their_sizes():
    for data, fmt, size in [
        (demo_images.avatar("Priya Shah"), "PNG", (256, 256)),
        (demo_images.hero_image(), "JPEG", (1920, 900)),
        (
            demo_images.logo("Harbourside MINI", brand="#0f3b5f", accent="#f4b83a"),
            "PNG",
            (720, 200),
        ),
    ]:
        with PILImage.open(BytesIO(data)) as image:
            image.load()
            assert (image.format, image.size) == (fmt, size)
    assert demo_images.avatar("Priya Shah") == demo_images.avatar("Priya Shah")
    assert demo_images.initials("Mei-Ling Chen") == "MC"


@pytest.mark.django_db
def test_seed_demo_fills_dealership_settings():
    seed_demo()
    dealership = DealershipSettings.objects.get()

    assert dealership.name == "Harbourside MINI"
    assert len(dealership.address_lines) >= 3 and dealership.phone and dealership.map_url
    dealership.full_clean(exclude=["site"])
    hours = [block.value for block in dealership.opening_hours]
    assert any("Sunday" in h["days"] and h["hours"] == "Closed" for h in hours)
    assert any(h["days"].startswith("Service") for h in hours)
    assert dealership.logo and dealership.logo.file.size == dealership.logo.file_size
    brand = demo_images.hex_to_rgb(dealership.brand_colour)
    accent = demo_images.hex_to_rgb(dealership.accent_colour)
    assert demo_images.contrast_ratio(brand, (255, 255, 255)) >= 7
    assert demo_images.contrast_ratio(accent, (17, 17, 17)) >= 4.5
    assert demo_images.contrast_ratio(accent, brand) >= 4.5


@pytest.mark.django_db
def test_seed_demo_fills_home_page_and_adds_standard_pages():
    seed_demo()
    home = HomePage.objects.get()

    assert home.hero_image is not None and (home.hero_image.width, home.hero_image.height) == (
        1920,
        900,
    )
    assert home.hero_text and home.live and not home.has_unpublished_changes
    assert {"heading", "paragraph", "quote", "call_to_action"} <= {b.block_type for b in home.body}
    # Editors can open and re-save what the seed wrote: the stream passes the blocks' validation.
    HomePage.body.field.stream_block.clean(home.body)
    pages = {p.slug: p.specific for p in home.get_children().live()}
    assert {"about-us", "privacy", "house-rules"} <= set(pages)
    privacy = str(pages["privacy"].body)
    assert (
        reverse("community:data_export") in privacy
        and reverse("community:account_delete") in privacy
    )
    for page in pages.values():
        StandardPage.body.field.stream_block.clean(page.body)


@pytest.mark.django_db
def test_seed_demo_runs_later_steps_with_the_demo_members():
    seen = {}

    def seed_clubs(context):
        seen["members"] = set(context.members)
        seen["pages"] = set(context.pages)
        context.report.created("clubs", 2)

    report = seed_demo(steps=[*DEMO_STEPS, seed_clubs])

    assert MEMBER_LOGIN in seen["members"] and STAFF_LOGIN in seen["members"]
    assert {"about-us", "privacy", "house-rules"} <= seen["pages"]
    assert report.created_counts["clubs"] == 2


@pytest.mark.django_db
def test_seed_demo_failing_step_leaves_no_rows_or_files(settings):
    def broken(context):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        seed_demo(steps=[*DEMO_STEPS, broken])

    assert not Member.objects.exists() and not Car.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_seed_demo_command_prints_summary_with_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = out.getvalue()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    second = out.getvalue()

    assert "members: 20 created" in first
    for login in (STAFF_LOGIN, "sales@paddock.localhost", MEMBER_LOGIN, DEMO_PASSWORD):
        assert login in first and login in second
    assert "nothing new" in second and "members: 0 created, 20 already there" in second


@pytest.mark.django_db
def test_seed_demo_command_refuses_in_production(settings):
    settings.PADDOCK_ENV = "production"

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())

    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("registered", "age"),
    [
        (date(2021, 3, 1), "21"),
        (date(2021, 8, 31), "21"),
        (date(2021, 9, 1), "71"),
        (date(2022, 2, 28), "71"),
        (date(2009, 12, 24), "59"),
        (date(2050, 1, 5), "99"),
    ],
)
def test_uk_plate_age_identifier_follows_registration_date(registered, age):
    import random

    plate = uk_plate(registered, random.Random(1))

    assert plate[2:4] == age
    assert len(plate) == 8 and plate[4] == " " and not set(plate[5:]) & set("IQ")
