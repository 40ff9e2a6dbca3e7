"""iPhone photos (HEIC) are accepted, converted to JPEG and stored without EXIF or GPS."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.models import PostPhoto
from community.uploads import clean_photo, read_photo
from tests.support.photos import heic_bytes

pytestmark = pytest.mark.django_db


def test_read_photo_of_heic_decodes_it():
    image = read_photo(SimpleUploadedFile("IMG_0001.HEIC", heic_bytes(), "image/heic"))
    assert (image.format, image.size) == ("HEIF", (640, 480))


def test_clean_photo_of_heic_is_jpeg_without_exif_or_gps():
    upload = SimpleUploadedFile("IMG_0001.HEIC", heic_bytes(), "image/heic")
    cleaned = clean_photo(read_photo(upload), name=upload.name)
    data = cleaned.read()
    assert cleaned.name.endswith(".jpg") and cleaned.content_type == "image/jpeg"
    with Image.open(BytesIO(data)) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert b"Exif" not in data and b"iPhone" not in data and b"Apple" not in data


def test_album_upload_of_heic_is_served_as_jpeg_without_exif(client, member, site_tree):
    client.force_login(member)
    heic = SimpleUploadedFile("IMG_0001.HEIC", heic_bytes(), "image/heic")
    response = client.post(
        reverse("community:post_create"),
        {"kind": "album", "title": "Sunday meet", "photos": [heic], "captions": ""},
    )
    assert response.status_code == 302
    photo = PostPhoto.objects.get()
    served = client.get(reverse("community:photo", kwargs={"pk": photo.pk, "variant": "full"}))
    data = b"".join(served.streaming_content)
    with Image.open(BytesIO(data)) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {}
