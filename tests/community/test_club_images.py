"""Images shown only on a private club's pages reach only its members (community/private_images.py):
originals and renditions live under unguessable names outside the public media, and Paddock serves
the renditions to the club's members and staff alone; public images are untouched."""

import re
from pathlib import Path

import pytest
from django.http import Http404
from django.test import RequestFactory

from community.models import ClubPage, Membership
from community.private_images import images_privacy_sync
from community.renditions import renditions_create
from paddock.media import serve_public_media
from tests.factories import MemberFactory, make_club, make_event, make_image

pytestmark = pytest.mark.django_db

IMG_SRC = re.compile(r'<img[^>]+src="([^"]+)"')


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the transaction to commit (the sync, file removals)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result

    return run


@pytest.fixture
def club_member(db):
    return MemberFactory(display_name="Mia Member")


@pytest.fixture
def outsider(db):
    return MemberFactory(display_name="Otto Outsider")


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def private_club(site_tree, club_member, commit):
    """A private club whose page shows a cover ("Night Run" in its file name) to its member."""
    club = make_club("Night Runners", access=ClubPage.Access.PRIVATE, members=[club_member])
    club.cover_image = make_image("Night Run")
    return commit(lambda: publish(club))


def image_urls(client, viewer, page) -> list[str]:
    client.force_login(viewer)
    response = client.get(page.url)
    assert response.status_code == 200
    return IMG_SRC.findall(response.content.decode())


def cover_url(client, club, viewer) -> str:
    [url] = [u for u in image_urls(client, viewer, club) if "fill-1600x600" in u]
    return url


def all_files_of(image) -> list[str]:
    """The storage names of an image's original and of every rendition made of it."""
    return [image.file.name, *(r.file.name for r in image.renditions.all())]


def test_private_club_cover_is_linked_through_paddock_not_public_media(
    client, private_club, club_member
):
    url = cover_url(client, private_club, club_member)
    assert url.startswith("/club-images/~")
    assert "night" not in url.lower()  # the name no longer comes from the image's title


def test_private_club_cover_reaches_an_active_member(client, private_club, club_member):
    response = client.get(cover_url(client, private_club, club_member))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "private" in response["Cache-Control"]


def test_private_club_cover_reaches_staff(client, private_club, club_member, staff):
    url = cover_url(client, private_club, club_member)
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_private_club_cover_is_404_for_an_anonymous_visitor(client, private_club, club_member):
    url = cover_url(client, private_club, club_member)
    client.logout()
    assert client.get(url).status_code == 404


def test_private_club_cover_is_404_for_a_member_of_no_such_club(
    client, private_club, club_member, outsider
):
    url = cover_url(client, private_club, club_member)
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_private_club_cover_is_404_for_a_member_who_left(client, private_club, club_member):
    url = cover_url(client, private_club, club_member)
    Membership.objects.filter(club=private_club, member=club_member).delete()
    assert client.get(url).status_code == 404


def test_private_club_cover_reaches_a_member_invited_to_the_club(
    client, private_club, club_member, outsider
):
    url = cover_url(client, private_club, club_member)
    Membership.objects.create(club=private_club, member=outsider, status=Membership.Status.INVITED)
    client.force_login(outsider)
    assert client.get(url).status_code == 200


def test_private_club_description_image_waits_until_the_invitee_joins(
    client, site_tree, club_member, outsider, commit
):
    club = make_club("Night Runners", access=ClubPage.Access.PRIVATE, members=[club_member])
    club.description = [("image", {"image": make_image("Route"), "caption": "", "alt_text": "Map"})]
    commit(lambda: publish(club))
    [url] = [u for u in image_urls(client, club_member, club) if "width-1200" in u]
    Membership.objects.create(club=club, member=outsider, status=Membership.Status.INVITED)
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_private_club_image_files_are_all_outside_public_media(
    client, settings, private_club, club_member
):
    cover_url(client, private_club, club_member)
    renditions_create()  # every size the templates use, made ahead
    image = private_club.cover_image
    image.refresh_from_db()
    assert image.renditions.count() >= 2
    media = Path(settings.MEDIA_ROOT)
    public_files = [str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()]
    assert public_files == [image.file.name]  # the original, under original_images/, never served
    rendition_files = sorted(p.name for p in Path(settings.PADDOCK_PHOTO_ROOT).rglob("~*"))
    assert rendition_files == sorted(Path(r.file.name).name for r in image.renditions.all())


def test_local_media_server_refuses_every_file_of_a_private_club_image(
    client, private_club, club_member
):
    cover_url(client, private_club, club_member)
    renditions_create()
    image = private_club.cover_image
    image.refresh_from_db()
    for name in all_files_of(image):
        with pytest.raises(Http404):
            serve_public_media(RequestFactory().get("/media/" + name), name)


def test_private_club_image_view_refuses_the_original_and_other_names(
    client, private_club, club_member, staff
):
    image = private_club.cover_image
    image.refresh_from_db()
    client.force_login(staff)
    original = Path(image.file.name).name
    assert client.get(f"/club-images/{original}").status_code == 404
    assert client.get("/club-images/car.fill-10x10.png").status_code == 404


def test_cover_served_publicly_before_the_club_went_private_is_gone(
    client, site_tree, settings, club_member, commit
):
    club = make_club("Night Runners", access=ClubPage.Access.OPEN, members=[club_member])
    club.cover_image = make_image("Night Run")
    commit(lambda: publish(club))
    public_url = cover_url(client, club, club_member)
    assert public_url.startswith("/media/images/night-run.")
    club.access = ClubPage.Access.PRIVATE
    commit(lambda: publish(club))
    path = public_url.removeprefix(settings.MEDIA_URL)
    assert not (Path(settings.MEDIA_ROOT) / path).exists()
    with pytest.raises(Http404):
        serve_public_media(RequestFactory().get(public_url), path)
    assert cover_url(client, club, club_member).startswith("/club-images/~")


def test_image_in_a_private_club_description_is_private(
    client, site_tree, club_member, outsider, commit
):
    club = make_club("Night Runners", access=ClubPage.Access.PRIVATE, members=[club_member])
    photo = make_image("Route map")
    club.description = [("image", {"image": photo, "caption": "", "alt_text": "The route"})]
    commit(lambda: publish(club))
    [url] = [u for u in image_urls(client, club_member, club) if "width-1200" in u]
    assert url.startswith("/club-images/~")
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_cover_of_a_private_club_event_is_private(
    client, site_tree, private_club, club_member, outsider, commit
):
    event = make_event("Midnight drive", host_club=private_club)
    event.cover_image = make_image("Midnight")
    commit(lambda: publish(event))
    [url] = [u for u in image_urls(client, club_member, event) if "fill-1600x600" in u]
    assert url.startswith("/club-images/~")
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_image_also_shown_on_a_public_page_stays_public(
    client, site_tree, club_member, outsider, commit
):
    shared = make_image("Quay at dusk")
    event = make_event("Cars & Coffee")
    event.cover_image = shared
    commit(lambda: publish(event))
    club = make_club("Night Runners", access=ClubPage.Access.PRIVATE, members=[club_member])
    club.cover_image = shared
    commit(lambda: publish(club))
    shared.refresh_from_db()
    assert shared.file.name == "original_images/quay-at-dusk.png"
    client.logout()
    [url] = [u for u in IMG_SRC.findall(client.get(event.url).content.decode()) if "1600" in u]
    assert url.startswith("/media/images/quay-at-dusk.")


def test_private_image_used_on_a_public_page_becomes_public_again(client, private_club, commit):
    event = make_event("Cars & Coffee")
    event.cover_image = private_club.cover_image
    commit(lambda: publish(event))
    client.logout()
    [url] = [u for u in IMG_SRC.findall(client.get(event.url).content.decode()) if "1600" in u]
    assert url.startswith("/media/images/")
    assert "~" not in url


def test_club_opened_to_everyone_shows_its_cover_publicly(client, private_club, commit):
    private_club.access = ClubPage.Access.OPEN
    commit(lambda: publish(private_club))
    client.logout()
    [url] = [
        u for u in IMG_SRC.findall(client.get(private_club.url).content.decode()) if "1600" in u
    ]
    assert url.startswith("/media/images/")
    assert client.get(private_club.url).status_code == 200


def test_public_club_cover_keeps_its_public_name(client, site_tree, commit):
    club = make_club("Sunday Drivers", access=ClubPage.Access.OPEN)
    club.cover_image = make_image("Sunday")
    commit(lambda: publish(club))
    club.cover_image.refresh_from_db()
    assert club.cover_image.file.name == "original_images/sunday.png"
    client.logout()
    [url] = [u for u in IMG_SRC.findall(client.get(club.url).content.decode()) if "1600" in u]
    assert url.startswith("/media/images/sunday.")


def test_new_file_uploaded_over_a_private_image_is_private_too(private_club, commit):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), "navy").save(buffer, "PNG")
    image = private_club.cover_image
    image.file = ImageFile(buffer, name="night-run-2.png")
    commit(image.save)
    image.refresh_from_db()
    assert image.file.name.startswith("original_images/~")


def test_sync_makes_private_the_images_of_clubs_published_before_it_existed(site_tree, club_member):
    club = make_club("Night Runners", access=ClubPage.Access.PRIVATE, members=[club_member])
    club.cover_image = make_image("Night Run")
    publish(club)  # never committed, so never synced: as on an install from before
    image = club.cover_image
    image.refresh_from_db()
    assert image.file.name == "original_images/night-run.png"
    assert images_privacy_sync() == (1, 0)
    image.refresh_from_db()
    assert image.file.name.startswith("original_images/~")
    assert images_privacy_sync() == (0, 0)
