"""The garage: members add, edit and remove cars; bad input gets a clear message and loses nothing."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.models import Car
from tests.factories import CarFactory
from tests.support.photos import heic_bytes

pytestmark = pytest.mark.django_db


def jpeg_bytes(size=(640, 480), colour=(200, 30, 40), exif=None) -> bytes:
    out = BytesIO()
    image = Image.new("RGB", size, colour)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def car_data(car_model, **overrides):
    data = {
        "car_model": car_model.pk,
        "year": 2021,
        "trim": "Sport",
        "colour": "Chili Red",
        "nickname": "Pepper",
        "registration": "kb21 xyz",
        "vin": "",
        "bought_on": "2021-06-01",
        "bought_here": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


def test_car_add_saves_car_to_members_garage(logged_in, member, cooper_s):
    response = logged_in.post(reverse("community:car_add"), car_data(cooper_s))
    assert response.status_code == 302
    car = Car.objects.get(owner=member)
    assert (car.car_model, car.year, car.nickname, car.bought_here) == (
        cooper_s,
        2021,
        "Pepper",
        True,
    )


def test_car_add_normalises_registration_plate(logged_in, member, cooper_s):
    logged_in.post(reverse("community:car_add"), car_data(cooper_s, registration="  kb21   xyz "))
    car = Car.objects.get(owner=member)
    assert (car.registration, car.registration_key) == ("KB21 XYZ", "KB21XYZ")


def test_car_add_accepts_lowercase_vin_and_stores_it_uppercase(logged_in, member, cooper_s):
    logged_in.post(reverse("community:car_add"), car_data(cooper_s, vin="wmwxu720x0tx12345"))
    assert Car.objects.get(owner=member).vin == "WMWXU720X0TX12345"


def test_car_add_with_16_character_vin_shows_error_and_saves_nothing(logged_in, member, cooper_s):
    response = logged_in.post(
        reverse("community:car_add"), car_data(cooper_s, vin="WMWXU720X0TX1234")
    )
    assert response.status_code == 200
    assert "A VIN has exactly 17 characters; this one has 16." in response.content.decode()
    assert not Car.objects.filter(owner=member).exists()


def test_car_add_with_vin_containing_letter_o_is_refused(logged_in, member, cooper_s):
    response = logged_in.post(
        reverse("community:car_add"), car_data(cooper_s, vin="WMWXU720O0TX12345")
    )
    assert "never contains the letters I, O or Q" in response.content.decode()
    assert not Car.objects.filter(owner=member).exists()


def test_car_add_with_year_1850_shows_error(logged_in, member, cooper_s):
    response = logged_in.post(reverse("community:car_add"), car_data(cooper_s, year=1850))
    assert "The model year must be 1900 or later." in response.content.decode()
    assert not Car.objects.filter(owner=member).exists()


def test_car_add_keeps_what_was_typed_when_refused(logged_in, cooper_s):
    response = logged_in.post(reverse("community:car_add"), car_data(cooper_s, year=1850))
    html = response.content.decode()
    assert 'value="Pepper"' in html and 'value="Chili Red"' in html


def test_car_add_with_future_year_is_refused(logged_in, member, cooper_s):
    response = logged_in.post(reverse("community:car_add"), car_data(cooper_s, year=2300))
    assert response.status_code == 200
    assert not Car.objects.filter(owner=member).exists()


def test_car_add_with_photo_that_is_not_an_image_shows_error(logged_in, member, cooper_s):
    fake = SimpleUploadedFile("car.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    response = logged_in.post(reverse("community:car_add"), {**car_data(cooper_s), "photo": fake})
    assert "This file is not a photo we can read." in response.content.decode()
    assert not Car.objects.filter(owner=member).exists()


def test_car_add_with_30_mb_photo_shows_size_error(logged_in, member, cooper_s):
    big = SimpleUploadedFile("big.jpg", jpeg_bytes() + b"\0" * (30 * 1024 * 1024), "image/jpeg")
    response = logged_in.post(reverse("community:car_add"), {**car_data(cooper_s), "photo": big})
    assert "the limit is 10.0 MB" in response.content.decode()
    assert not Car.objects.filter(owner=member).exists()


def test_car_add_with_truncated_jpeg_shows_damaged_error(logged_in, member, cooper_s):
    data = jpeg_bytes(size=(800, 600))
    broken = SimpleUploadedFile("cut.jpg", data[: len(data) // 2], "image/jpeg")
    response = logged_in.post(reverse("community:car_add"), {**car_data(cooper_s), "photo": broken})
    assert "damaged or incomplete" in response.content.decode()
    assert not Car.objects.filter(owner=member).exists()


def test_car_photo_is_stored_without_exif_gps(logged_in, member, cooper_s):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    photo = SimpleUploadedFile("gps.jpg", jpeg_bytes(exif=exif.tobytes()), "image/jpeg")
    logged_in.post(reverse("community:car_add"), {**car_data(cooper_s), "photo": photo})
    car = Car.objects.get(owner=member)
    with Image.open(car.photo.path) as stored:
        assert len(stored.getexif()) == 0


def test_car_edit_with_bad_vin_leaves_saved_car_unchanged(logged_in, member, cooper_s):
    car = CarFactory(owner=member, car_model=cooper_s, nickname="Pepper", vin="WMWXU720X0TX12345")
    response = logged_in.post(
        reverse("community:car_edit", args=[car.pk]),
        car_data(cooper_s, nickname="Renamed", vin="SHORT"),
    )
    assert response.status_code == 200
    car.refresh_from_db()
    assert (car.nickname, car.vin) == ("Pepper", "WMWXU720X0TX12345")


def test_car_edit_without_new_photo_keeps_existing_photo(logged_in, member, cooper_s):
    photo = SimpleUploadedFile("first.jpg", jpeg_bytes(), "image/jpeg")
    logged_in.post(reverse("community:car_add"), {**car_data(cooper_s), "photo": photo})
    car = Car.objects.get(owner=member)
    original = car.photo.name
    logged_in.post(
        reverse("community:car_edit", args=[car.pk]), car_data(cooper_s, nickname="New name")
    )
    car.refresh_from_db()
    assert (car.nickname, car.photo.name) == ("New name", original)


def test_car_edit_with_bad_photo_keeps_existing_photo(logged_in, member, cooper_s):
    logged_in.post(
        reverse("community:car_add"),
        {**car_data(cooper_s), "photo": SimpleUploadedFile("ok.jpg", jpeg_bytes(), "image/jpeg")},
    )
    car = Car.objects.get(owner=member)
    original = car.photo.name
    bad = SimpleUploadedFile("bad.png", b"not a picture", "image/png")
    logged_in.post(
        reverse("community:car_edit", args=[car.pk]), {**car_data(cooper_s), "photo": bad}
    )
    car.refresh_from_db()
    assert car.photo.name == original and car.photo.storage.exists(original)


def test_car_edit_of_another_members_car_is_not_found(logged_in, cooper_s):
    someone_elses = CarFactory(car_model=cooper_s)
    response = logged_in.post(
        reverse("community:car_edit", args=[someone_elses.pk]), car_data(cooper_s)
    )
    assert response.status_code == 404


def test_car_delete_removes_car_and_photo_file(
    logged_in, member, cooper_s, django_capture_on_commit_callbacks
):
    logged_in.post(
        reverse("community:car_add"),
        {**car_data(cooper_s), "photo": SimpleUploadedFile("ok.jpg", jpeg_bytes(), "image/jpeg")},
    )
    car = Car.objects.get(owner=member)
    storage, name = car.photo.storage, car.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(reverse("community:car_delete", args=[car.pk]))
    assert not Car.objects.filter(pk=car.pk).exists()
    assert not storage.exists(name)


def test_car_delete_by_get_only_asks_for_confirmation(logged_in, member, cooper_s):
    car = CarFactory(owner=member, car_model=cooper_s)
    response = logged_in.get(reverse("community:car_delete", args=[car.pk]))
    assert response.status_code == 200
    assert Car.objects.filter(pk=car.pk).exists()


def test_garage_requires_login(client):
    response = client.get(reverse("community:garage"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_garage_lists_members_cars_with_plate(logged_in, member, cooper_s):
    CarFactory(owner=member, car_model=cooper_s, registration="KB21 XYZ", nickname="Pepper")
    html = logged_in.get(reverse("community:garage")).content.decode()
    assert "Pepper" in html and "KB21 XYZ" in html


def test_car_add_with_heic_photo_stores_it_as_jpeg(logged_in, member, cooper_s):
    heic = SimpleUploadedFile("IMG_0001.HEIC", heic_bytes(), "image/heic")
    response = logged_in.post(reverse("community:car_add"), {**car_data(cooper_s), "photo": heic})
    assert response.status_code == 302
    car = Car.objects.get(owner=member)
    with car.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"


def test_garage_suggests_clubs_for_members_cars(logged_in, member, cooper_s):
    from tests.factories import make_club

    CarFactory(owner=member, car_model=cooper_s)
    make_club("Cooper S Owners", car_models=[cooper_s])
    html = logged_in.get(reverse("community:garage")).content.decode()
    assert "Clubs for your cars" in html and "Cooper S Owners" in html


def test_car_add_with_mistyped_us_vin_shows_check_digit_error_and_keeps_input(
    logged_in, member, cooper_s
):
    response = logged_in.post(
        reverse("community:car_add"), car_data(cooper_s, vin="1hgcm82643a004352")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["vin"] == [
        "The 9th character should be 3 for this VIN: check for a mistyped character."
    ]
    assert 'value="1hgcm82643a004352"' in response.content.decode()  # as the member typed it
    assert not Car.objects.filter(owner=member).exists()


def test_car_add_accepts_us_vin_with_right_check_digit(logged_in, member, cooper_s):
    logged_in.post(reverse("community:car_add"), car_data(cooper_s, vin="1HGCM82633A004352"))
    assert Car.objects.get(owner=member).vin == "1HGCM82633A004352"


def test_car_add_accepts_european_vin_without_check_digit(logged_in, member, cooper_s):
    logged_in.post(reverse("community:car_add"), car_data(cooper_s, vin="WMWXU7C52K2F12345"))
    assert Car.objects.get(owner=member).vin == "WMWXU7C52K2F12345"
