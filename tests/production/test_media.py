"""Wagtail's original uploads (full size, with EXIF and GPS data) are never served publicly: pages
show renditions, the local run's media server refuses originals, and in production the web server
and the S3 bucket policy in site/deploy/ leave them out. Member post photos stay private on S3 too."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.http import Http404
from django.test import RequestFactory
from PIL import Image as PILImage

from paddock.media import is_private_media, serve_public_media

ROOT = Path(__file__).resolve().parents[2]


def write(root: Path, name: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")


@pytest.mark.parametrize(
    "path",
    ["original_images/car.jpg", "images/../original_images/car.jpg", "./original_images/car.jpg"],
)
def test_local_media_server_refuses_original_images(settings, path):
    write(Path(settings.MEDIA_ROOT), "original_images/car.jpg")
    with pytest.raises(Http404):
        serve_public_media(RequestFactory().get("/media/" + path), path)


def test_local_media_server_serves_renditions(settings):
    write(Path(settings.MEDIA_ROOT), "images/car.fill-100x100.jpg")
    response = serve_public_media(RequestFactory().get("/"), "images/car.fill-100x100.jpg")
    assert response.status_code == 200


def test_only_original_images_count_as_private_media():
    assert is_private_media("original_images/a.jpg")
    assert not is_private_media("images/a.fill-10x10.jpg")
    assert not is_private_media("members/avatars/x/a.jpg")


@pytest.mark.django_db
def test_pages_link_renditions_never_the_original_image(client, site_tree):
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), "red").save(buffer, "JPEG")
    image = Image.objects.create(title="Quay", file=ImageFile(buffer, name="quay.jpg"))
    home = site_tree.root_page.specific
    home.social_image = image
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert "/media/images/quay" in html
    assert "original_images" not in html


def test_bucket_policy_makes_only_renditions_avatars_and_car_photos_public():
    policy = json.loads((ROOT / "site/deploy/s3-public-read-policy.json").read_text())
    public = [r for s in policy["Statement"] for r in s["Resource"]]
    assert not [r for r in public if "original_images" in r or "photos" in r or r.endswith("/*/*")]
    assert sorted(r.split(":::paddock-media/")[1] for r in public) == [
        "garage/*",
        "images/*",
        "members/avatars/*",
    ]


def test_nginx_example_refuses_original_images():
    conf = (ROOT / "site/deploy/nginx.conf.example").read_text()
    assert "location /media/original_images/ { return 404; }" in conf


def test_private_photo_storage_on_s3_has_no_public_url():
    from paddock.storage import PrivatePhotoStorage

    with pytest.raises(NotImplementedError):
        PrivatePhotoStorage(bucket_name="paddock-photos").url("posts/ab/photo.jpg")


def test_public_media_storage_on_s3_gives_plain_urls():
    from paddock.storage import MediaStorage

    url = MediaStorage(bucket_name="paddock-media", custom_domain="media.example.com").url(
        "images/a.jpg"
    )
    assert url == "https://media.example.com/images/a.jpg"
