"""The seed_demo command: a believable demo dealership, built idempotently.

The demo is seeded once for this module (the ``seeded_demo`` fixture, tests/conftest.py) and each
test runs in its own transaction on top: tests that look at what the seed built, and tests that
change it and seed again. The tests that need an empty database of their own are in
test_seed_demo_fresh.py.
"""

from datetime import date
from io import BytesIO

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from community import selectors, services
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
    PostPhoto,
    Reaction,
    Report,
    StandardPage,
)
from community.models.garage import validate_vin
from demo import images as demo_images
from demo.seed import DEMO_PASSWORD, seed_demo
from demo.steps.community import CLUBS, MEMBERS, POSTS, STAFF, WHO, uk_plate

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
        "memberships": Membership.objects.count(),
        "posts": Post.objects.count(),
        "photos": PostPhoto.objects.count(),
        "comments": Comment.objects.count(),
        "reactions": Reaction.objects.count(),
        "reports": Report.objects.count(),
    }


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_seed_demo_creates_members_with_garages(seeded_demo):
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
def test_seed_demo_creates_staff_and_car_models(seeded_demo):
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
def test_seed_demo_twice_creates_no_duplicates(seeded_demo):
    assert seeded_demo.created_counts["members"] == len(MEMBERS)  # the first run built them
    before = _counts()

    report = seed_demo()

    assert _counts() == before
    assert not report.created_anything
    assert report.kept_counts["members"] == len(MEMBERS)


@pytest.mark.django_db
def test_seed_demo_rerun_keeps_staff_edits(seeded_demo):
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
def test_seed_demo_logins_are_verified(seeded_demo, client, email):
    member = Member.objects.get(email=email)
    assert EmailAddress.objects.filter(
        user=member, email=email, verified=True, primary=True
    ).exists()

    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    # staff land on the admin's dashboard, members on their garage
    assert response.url == ("/admin/" if member.is_staff else reverse("community:garage"))
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_seed_demo_every_demo_email_is_verified_and_primary(seeded_demo):
    for person in [*STAFF, *MEMBERS]:
        address = EmailAddress.objects.get(email=person.email)
        assert address.verified and address.primary
        assert address.user.email == person.email


@pytest.mark.django_db
def test_demo_car_photo_is_a_decodable_jpeg(seeded_demo):
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
def test_seed_demo_fills_dealership_settings(seeded_demo):
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
def test_seed_demo_fills_home_page_and_adds_standard_pages(seeded_demo):
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
        if isinstance(page, StandardPage):  # the club index is a child of the home page too
            StandardPage.body.field.stream_block.clean(page.body)


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


# --- clubs and posts ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_adds_club_index_to_the_menu_with_five_clubs(seeded_demo):
    home = HomePage.objects.get()

    index = ClubIndexPage.objects.get()
    assert index.get_parent().pk == home.pk and index.live and index.show_in_menus
    assert index.title == "Clubs" and index.introduction
    clubs = {club.slug: club for club in ClubPage.objects.child_of(index).live()}
    assert set(clubs) == {spec.slug for spec in CLUBS} and len(clubs) == 5
    assert {club.access for club in clubs.values()} == {"open", "approval", "private"}
    assert clubs["sunday-drivers"].featured and not clubs["track-day-crew"].featured
    assert {str(m) for m in clubs["cooper-s-owners"].car_models.all()} == {
        "MINI Cooper S",
        "MINI John Cooper Works",
    }
    for club in clubs.values():
        assert club.summary and not club.has_unpublished_changes
        cover = club.cover_image
        assert (cover.width, cover.height) == (1600, 600) and cover.description
        assert cover.file.size == cover.file_size
        # Editors can open and re-save what the seed wrote.
        ClubPage.description.field.stream_block.clean(club.description)
        assert {"heading", "paragraph"} <= {b.block_type for b in club.description}


@pytest.mark.django_db
def test_seed_demo_club_members_match_their_cars_with_requests_waiting(seeded_demo):
    active = Membership.objects.filter(status=Membership.Status.ACTIVE)

    for spec in CLUBS:
        club = ClubPage.objects.get(slug=spec.slug)
        organisers = active.filter(club=club, role=Membership.Role.ORGANISER)
        assert organisers.exists(), f"{club} has no organiser"
        if spec.car_models and club.access == ClubPage.Access.OPEN:
            owners = Member.objects.filter(cars__car_model__in=club.car_models.all()).distinct()
            assert set(owners) <= {m.member for m in active.filter(club=club)}
    classic = ClubPage.objects.get(slug="classic-mini-register")
    assert classic.memberships.filter(status=Membership.Status.PENDING).count() >= 2
    members = Member.objects.filter(is_staff=False)
    in_a_club = members.filter(memberships__status=Membership.Status.ACTIVE).distinct()
    assert in_a_club.count() > members.count() * 0.75
    demo_member = Member.objects.get(email=MEMBER_LOGIN)
    assert active.filter(member=demo_member).count() >= 2


@pytest.mark.django_db
def test_seed_demo_clubs_show_the_demo_member_a_request_and_an_invitation(seeded_demo, client):
    classic, track, cooper = (
        ClubPage.objects.get(slug=slug)
        for slug in ("classic-mini-register", "track-day-crew", "cooper-s-owners")
    )
    # A visitor finds no trace of the private club.
    assert client.get(track.url).status_code == 404
    assert "Castle Combe, 14 June" not in client.get(reverse("community:feed")).content.decode()

    client.force_login(Member.objects.get(email=MEMBER_LOGIN))

    assert "Your request is waiting for approval" in client.get(classic.url).content.decode()
    assert "Accept the invitation" in client.get(track.url).content.decode()
    page = client.get(cooper.url).content.decode()
    assert "Post in this club" in page and "Pepper&#x27;s new shoes" in page


@pytest.mark.django_db
def test_seed_demo_posts_albums_stories_comments_and_reactions(seeded_demo):
    posts = Post.objects.all()

    assert posts.count() == len(POSTS) >= 15
    albums = posts.filter(kind=Post.Kind.ALBUM)
    assert albums.count() >= 5 and posts.filter(kind=Post.Kind.STORY).count() >= 8
    for album in albums:
        photos = list(album.photos.all())
        assert 2 <= len(photos) <= 4 and all(p.caption for p in photos)
        assert [p.position for p in photos] == list(range(len(photos)))
    photo = PostPhoto.objects.first()
    with photo.thumbnail.open("rb") as f, PILImage.open(f) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 640
    assert (photo.width, photo.height) == (1200, 800)
    assert posts.filter(club__isnull=True).exists()  # some posts only in the community feed
    assert Comment.objects.count() >= 20
    assert set(Reaction.objects.values_list("kind", flat=True)) == set(Reaction.Kind.values)
    demo_member = Member.objects.get(email=MEMBER_LOGIN)
    assert posts.filter(author=demo_member, status=Post.Status.PUBLISHED).count() >= 2
    # Everyone who comments or reacts can see the post they comment on.
    for item in [*Comment.objects.select_related("post"), *Reaction.objects.select_related("post")]:
        author = getattr(item, "author", None) or item.member
        assert selectors.post_visible_to(post=item.post, viewer=author), item


@pytest.mark.django_db
def test_seed_demo_has_one_featured_one_pending_and_one_reported_post(seeded_demo, client):
    featured = Post.objects.get(featured=True)
    assert featured.kind == Post.Kind.STORY and featured.status == Post.Status.PUBLISHED
    pending = Post.objects.get(status=Post.Status.PENDING)
    assert not pending.comments.exists() and not pending.reactions.exists()
    report = Report.objects.get()
    assert report.resolved_at is None and report.post.status == Post.Status.PUBLISHED
    assert report.reporter != report.post.author
    queue = selectors.moderation_queue()
    listed = sorted(p.title for p in queue["pending_posts"])
    assert listed == sorted([pending.title, report.post.title]), (
        f"the moderation queue lists {len(listed)} of {Post.objects.count()} posts, where only "
        "the pending and the reported one belong"
    )
    assert queue["reported_comments"] == []  # nobody reported a comment

    home = client.get("/").context
    assert home["latest_stories"][0] == featured
    assert {c.slug for c in home["featured_clubs"]} == {
        spec.slug for spec in CLUBS if spec.featured and spec.access != "private"
    }


@pytest.mark.django_db
def test_seed_demo_twice_keeps_one_set_of_clubs_posts_and_photo_files(seeded_demo, settings):
    before = _counts()
    files = _files(settings.PADDOCK_PHOTO_ROOT)

    report = seed_demo()

    assert _counts() == before and not report.created_anything
    assert _files(settings.PADDOCK_PHOTO_ROOT) == files
    assert len(files) == 2 * before["photos"]  # a photo and its thumbnail
    assert report.kept_counts["posts"] == len(POSTS)


@pytest.mark.django_db
def test_seed_demo_rerun_keeps_moderation_and_membership_decisions(seeded_demo):
    staff = Member.objects.get(email=STAFF_LOGIN)
    reported = Report.objects.get().post
    services.post_moderate(post=reported, by=staff, action="hide", reason="No selling.")
    request = Membership.objects.get(member__email=MEMBER_LOGIN, club__slug="classic-mini-register")
    services.membership_decide(membership=request, by=staff, approve=True)
    comment = Comment.objects.filter(post__title="Pepper's new shoes").first()
    comment.delete()

    seed_demo()

    reported.refresh_from_db()
    assert reported.status == Post.Status.HIDDEN
    assert Report.objects.get().resolved_by == staff  # not reopened
    request.refresh_from_db()
    assert request.status == Membership.Status.ACTIVE
    # What is missing is put back, as with the rest of the demo.
    assert Comment.objects.filter(post__title="Pepper's new shoes", body=comment.body).exists()


@pytest.mark.django_db
def test_seed_demo_skips_a_post_whose_author_is_no_longer_in_the_club(seeded_demo):
    Post.objects.get(title="Pepper's new shoes").delete()
    # A membership that exists is left alone, even one an organiser has since turned down.
    Membership.objects.filter(member__email=MEMBER_LOGIN, club__slug="cooper-s-owners").update(
        status=Membership.Status.DECLINED
    )

    report = seed_demo()

    assert not Post.objects.filter(title="Pepper's new shoes").exists()
    assert any("Pepper's new shoes" in note for note in report.notes)


def test_demo_people_in_clubs_and_posts_are_demo_members():
    names = set(WHO)
    for spec in CLUBS:
        assert {*spec.organisers, *spec.members, *spec.pending, *spec.invited} <= names
    for spec in POSTS:
        people = {spec.author, *(who for who, _ in spec.comments)}
        people |= {item.split(":")[0] for item in spec.reactions.split()}
        assert people <= names, spec.title
        assert {item.split(":")[1] for item in spec.reactions.split()} <= set(Reaction.Kind.values)


def test_demo_images_club_cover_and_album_photos_decode_at_their_sizes():
    cover = demo_images.club_cover("Sunday Drivers", colour="#0f3b5f", motif="coast")
    scenes = [demo_images.album_photo(scene, seed="s") for scene in demo_images.ALBUM_SCENES]

    for data, size in [(cover, (1600, 600)), *((scene, (1200, 800)) for scene in scenes)]:
        with PILImage.open(BytesIO(data)) as image:
            image.load()
            assert (image.format, image.size) == ("JPEG", size)
            colours = image.convert("RGB").resize((80, 30)).getcolors(maxcolors=10_000)
        assert colours is not None and len(colours) > 50  # a picture, not a flat placeholder
    assert demo_images.club_cover("Sunday Drivers", colour="#0f3b5f", motif="coast") == cover
    for motif in demo_images.COVER_MOTIFS:
        demo_images.club_cover("Track Day Crew", colour="#222428", motif=motif)
    with pytest.raises(ValueError):
        demo_images.club_cover("X", colour="#000000", motif="space")
    with pytest.raises(ValueError):
        demo_images.album_photo("space", seed="s")


@pytest.mark.django_db
def test_seed_demo_track_day_has_run_groups_and_confirmed_drivers(seeded_demo):
    from events.models import EventPage, Rsvp

    track_day = EventPage.objects.get(kind=EventPage.Kind.TRACK_DAY)
    assert track_day.run_groups.count() == 3
    assert Rsvp.objects.filter(
        event=track_day, state=Rsvp.State.CONFIRMED, car_number__isnull=False
    ).exists()


# --- accessories ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_fills_the_accessories(seeded_demo):
    from accessories.models import (
        AccessoryOnDisplay,
        AccessoryPage,
        FeaturedAccessory,
        Lead,
        ShowcasePage,
    )
    from accessories.selectors import accessories_fitting
    from community.models import Member

    accessories = AccessoryPage.objects.live()
    assert accessories.count() >= 8
    assert all(a.gallery_images.exists() for a in accessories)
    member = Member.objects.get(email="member@paddock.localhost")
    assert accessories_fitting(member.cars.all()).count() >= 3
    winter = ShowcasePage.objects.get(slug="winter-kit")
    assert winter.items.count() >= 4
    assert AccessoryOnDisplay.objects.filter(event__slug="cars-and-coffee-on-the-quay").exists()
    assert FeaturedAccessory.objects.count() == 3
    assert Lead.objects.filter(status=Lead.Status.NEW).exists()
    assert Lead.objects.filter(kind=Lead.Kind.RESERVE, event__isnull=False).exists()
    advisor = Member.objects.get(email="sales@paddock.localhost")
    assert advisor.has_perm("accessories.change_lead") and not advisor.is_superuser


def test_demo_has_a_sales_lead_of_every_kind_the_sales_team_may_follow_up(seeded_demo):
    from community.models import Member, SalesLead

    assert set(SalesLead.objects.values_list("kind", flat=True)) == set(SalesLead.Kind.values)
    trade_in = SalesLead.objects.get(kind=SalesLead.Kind.TRADE_IN)
    assert (trade_in.car_label, trade_in.mileage) == ("2019 MINI Cooper S Sport", 31200)
    assert SalesLead.objects.get(kind=SalesLead.Kind.TEST_DRIVE).page.slug == (
        "cars-and-coffee-on-the-quay"
    )
    advisor = Member.objects.get(email="sales@paddock.localhost")
    assert advisor.has_perm("community.change_saleslead")


def test_demo_member_has_a_verified_mobile_taking_email_and_texts(seeded_demo):
    mobile = MemberMobile.objects.get(member__email="member@paddock.localhost")
    assert mobile.number == "+447911123401" and mobile.can_text
    assert {getattr(mobile, kind) for kind in MemberMobile.KINDS} == {Channel.BOTH}
    assert MemberMobile.objects.filter(invitations=Channel.TEXT).count() == 2


def test_demo_has_a_monthly_series_with_members_in_for_every_date(seeded_demo):
    from events.models import EventSeries, Rsvp

    series = EventSeries.objects.get(title="Thursday Night Meet")
    dates = list(series.dates.live().order_by("start"))
    assert len(dates) == 6 and {d.start.weekday() for d in dates} == {3}
    in_for_all = series.members.filter(left_at__isnull=True)
    assert in_for_all.count() == 4
    assert Rsvp.objects.filter(event=dates[0], source=Rsvp.Source.SERIES).count() == 4
