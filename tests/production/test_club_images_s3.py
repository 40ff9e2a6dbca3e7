"""With media on S3, a private club's images stay out of what the bucket serves to anyone: checked
against a local S3-speaking server (moto's server mode) carrying the bucket policy of site/deploy/,
asked the way a visitor's browser would (no credentials), and through Paddock for members."""

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from community.models import ClubPage
from community.renditions import renditions_create
from tests.factories import MemberFactory, make_club, make_image

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "paddock-media"  # the name in site/deploy/s3-public-read-policy.json
KEYS = {"access_key": "paddock-test", "secret_key": "paddock-test-secret"}
IMG_SRC = re.compile(r'<img[^>]+src="([^"]+)"')


@pytest.fixture(scope="module")
def s3_endpoint():
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    client.put_bucket_policy(
        Bucket=BUCKET, Policy=(ROOT / "site/deploy/s3-public-read-policy.json").read_text()
    )
    yield endpoint
    server.stop()


@pytest.fixture(autouse=True)
def media_on_s3(settings, s3_endpoint):
    """The production settings' two S3 storages (site/settings/production.py), on the local server."""
    s3 = {
        **KEYS,
        "endpoint_url": s3_endpoint,
        "region_name": "eu-west-2",
        "addressing_style": "path",
        "bucket_name": BUCKET,
    }
    settings.STORAGES = {
        "default": {"BACKEND": "paddock.storage.MediaStorage", "OPTIONS": {**s3, "location": ""}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "photos": {
            "BACKEND": "paddock.storage.PrivatePhotoStorage",
            "OPTIONS": {**s3, "location": "private/photos"},
        },
    }
    return s3_endpoint


def anonymous_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def bucket_url(endpoint: str, key: str) -> str:
    return f"{endpoint}/{BUCKET}/{key}"


def publish(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def cover_url(client, page, viewer) -> str:
    client.force_login(viewer)
    html = client.get(page.url).content.decode()
    [url] = [u for u in IMG_SRC.findall(html) if "fill-1600x600" in u]
    return url


@pytest.fixture
def club_member(db):
    return MemberFactory(display_name="Mia Member")


@pytest.fixture
def private_club(site_tree, club_member, django_capture_on_commit_callbacks):
    club = make_club("Night Runners", access=ClubPage.Access.PRIVATE, members=[club_member])
    club.cover_image = make_image("Night Run")
    return publish(club, django_capture_on_commit_callbacks)


def test_bucket_refuses_every_file_of_a_private_club_image_to_anonymous_requests(
    client, media_on_s3, private_club, club_member
):
    cover_url(client, private_club, club_member)
    renditions_create()
    image = private_club.cover_image
    image.refresh_from_db()
    renditions = list(image.renditions.all())
    assert len(renditions) >= 2
    keys = [image.file.name]
    for rendition in renditions:
        name = Path(rendition.file.name).name
        keys += [f"private/photos/club-images/{name}", f"images/{name}"]
    statuses = {key: anonymous_status(bucket_url(media_on_s3, key)) for key in keys}
    assert all(status in (403, 404) for status in statuses.values()), statuses


def test_private_club_image_is_kept_in_the_private_prefix_of_the_bucket(
    client, private_club, club_member
):
    from django.core.files.storage import storages

    url = cover_url(client, private_club, club_member)
    name = url.removeprefix("/club-images/")
    assert storages["photos"].exists(f"club-images/{name}")
    assert not storages["default"].exists(f"images/{name}")


def test_private_club_cover_reaches_a_member_through_paddock_from_the_bucket(
    client, private_club, club_member
):
    from django.core.files.storage import storages

    url = cover_url(client, private_club, club_member)
    response = client.get(url)
    assert response.status_code == 200
    stored = storages["photos"].open("club-images/" + url.removeprefix("/club-images/")).read()
    assert b"".join(response.streaming_content) == stored


def test_private_club_cover_is_404_through_paddock_for_others(client, private_club, club_member):
    url = cover_url(client, private_club, club_member)
    client.force_login(MemberFactory(display_name="Otto Outsider"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_public_club_cover_is_served_by_the_bucket(
    client, media_on_s3, site_tree, club_member, django_capture_on_commit_callbacks
):
    club = make_club("Sunday Drivers", access=ClubPage.Access.OPEN, members=[club_member])
    club.cover_image = make_image("Sunday")
    publish(club, django_capture_on_commit_callbacks)
    url = cover_url(client, club, club_member)
    assert url.startswith(f"{media_on_s3}/{BUCKET}/images/sunday")
    assert anonymous_status(url) == 200


def test_cover_of_a_club_made_private_leaves_the_public_prefix(
    client, site_tree, club_member, django_capture_on_commit_callbacks
):
    club = make_club("Night Owls", access=ClubPage.Access.OPEN, members=[club_member])
    club.cover_image = make_image("Night Owls")
    publish(club, django_capture_on_commit_callbacks)
    public_url = cover_url(client, club, club_member)
    assert anonymous_status(public_url) == 200
    club.access = ClubPage.Access.PRIVATE
    publish(club, django_capture_on_commit_callbacks)
    assert anonymous_status(public_url) in (403, 404)
    assert cover_url(client, club, club_member).startswith("/club-images/~")
