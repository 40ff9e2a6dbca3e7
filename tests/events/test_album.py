"""An event's album: members checked in add photos (HEIC too) tagged with cars checked in; first
posts wait for a moderator; the album, the event page and the share image show approved photos."""

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.models import Post, PostPhoto
from community.services import post_moderate
from events.services.photos import AlbumError, event_photos_add
from tests.events.photo_drop_helpers import checked_in, said_going, yesterdays_event
from tests.factories import CarFactory, MemberFactory
from tests.support.photos import heic_bytes, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(site_tree):
    return yesterdays_event("Quay meet")


@pytest.fixture
def there(event, member, staff):
    """The member was checked in at the event, in their own car."""
    return checked_in(event, member, staff=staff)


def add_url(event) -> str:
    return reverse("events:album_add", kwargs={"event_id": event.pk})


def album_url(event) -> str:
    return reverse("events:album", kwargs={"event_id": event.pk})


def upload(client, event, *files, cars=()):
    return client.post(
        add_url(event),
        {"title": "Morning at the quay", "photos": list(files), "captions": "", "cars": list(cars)},
    )


def heic():
    return SimpleUploadedFile("IMG_0001.HEIC", heic_bytes(), "image/heic")


def jpeg():
    return SimpleUploadedFile("IMG_0002.JPG", jpeg_bytes(), "image/jpeg")


def published_photos(event, member, *, cars=(), count=1):
    """An approved post of ``count`` photos in the event's album."""
    post = event_photos_add(
        event=event,
        author=member,
        title="At the quay",
        photos=[(SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes()), "") for i in range(count)],
        car_ids=[car.pk for car in cars],
    )
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    return post


def test_album_add_by_member_checked_in_stores_heic_and_jpeg_tagged_with_their_car(
    client, member, event, there
):
    client.force_login(member)
    response = upload(client, event, heic(), jpeg(), cars=[there.car_id])
    assert response.status_code == 302 and response["Location"] == album_url(event)
    post = Post.objects.get(event_page_id=event.pk)
    assert (post.author, post.kind) == (member, Post.Kind.ALBUM)
    assert list(post.cars.all()) == [there.car]
    assert post.photos.count() == 2
    for photo in post.photos.all():
        with photo.image.open("rb") as stored, Image.open(stored) as image:
            assert image.format == "JPEG" and dict(image.getexif()) == {}


def test_album_add_by_member_not_checked_in_is_refused(client, member, event):
    said_going(event, member)
    client.force_login(member)
    assert client.get(add_url(event)).status_code == 403
    assert upload(client, event, jpeg()).status_code == 403
    assert not Post.objects.exists()


def test_album_add_asks_a_visitor_to_sign_in(client, event):
    response = client.get(add_url(event))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_album_add_offers_only_cars_checked_in_at_the_event(client, member, staff, event, there):
    other_there = checked_in(event, MemberFactory(display_name="Ola"), staff=staff)
    left_at_home = CarFactory(owner=member, nickname="Garage queen")
    absent_car = CarFactory(owner=MemberFactory(), nickname="Never came")
    client.force_login(member)
    html = client.get(add_url(event)).content.decode()
    assert str(there.car.nickname) in html and str(other_there.car.nickname) in html
    assert left_at_home.nickname not in html and absent_car.nickname not in html


def test_album_add_with_a_car_not_checked_in_is_refused(member, event, there):
    stranger_car = CarFactory(owner=MemberFactory())
    with pytest.raises(AlbumError) as excinfo:
        event_photos_add(
            event=event,
            author=member,
            title="Spotted",
            photos=[(SimpleUploadedFile("p.jpg", jpeg_bytes()), "")],
            car_ids=[stranger_car.pk],
        )
    assert excinfo.value.code == "car_not_checked_in"
    assert not Post.objects.exists()


def test_album_add_can_tag_other_cars_checked_in(member, staff, event, there):
    other = checked_in(event, MemberFactory(), staff=staff)
    post = event_photos_add(
        event=event,
        author=member,
        title="Line-up",
        photos=[(SimpleUploadedFile("p.jpg", jpeg_bytes()), "")],
        car_ids=[there.car_id, other.car_id],
    )
    assert set(post.cars.all()) == {there.car, other.car}


def test_album_first_post_is_held_for_moderation_and_not_shown(client, member, event, there):
    client.force_login(member)
    upload(client, event, jpeg(), cars=[there.car_id])
    post = Post.objects.get(event_page_id=event.pk)
    assert post.status == Post.Status.PENDING
    client.logout()
    assert client.get(album_url(event)).context["photos"] == []


def test_album_shows_a_photo_once_a_moderator_approves_it(client, member, staff, event, there):
    client.force_login(member)
    upload(client, event, jpeg(), cars=[there.car_id])
    post = Post.objects.get(event_page_id=event.pk)
    post_moderate(post=post, by=staff, action="approve")
    client.logout()
    response = client.get(album_url(event))
    assert [p.pk for p in response.context["photos"]] == [post.photos.get().pk]
    assert str(there.car) in response.content.decode()


def test_album_page_points_its_og_image_at_the_share_image(client, member, event, there):
    published_photos(event, member)
    soup = BeautifulSoup(client.get(album_url(event)).content.decode(), "html.parser")
    og_image = soup.find("meta", property="og:image")["content"]
    share = reverse("events:album_share", kwargs={"event_id": event.pk})
    assert og_image.startswith("http") and og_image.endswith(share)


def test_album_share_image_is_a_1200_by_630_jpeg(client, member, event, there):
    published_photos(event, member, count=4)
    response = client.get(reverse("events:album_share", kwargs={"event_id": event.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(BytesIO(response.content)) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_album_share_image_is_404_while_the_album_is_empty(client, event):
    response = client.get(reverse("events:album_share", kwargs={"event_id": event.pk}))
    assert response.status_code == 404


def test_event_page_shows_the_album_once_it_has_photos(client, member, event, there):
    published_photos(event, member)
    html = client.get(event.url).content.decode()
    assert 'id="album-heading"' in html
    assert (
        reverse("community:photo", kwargs={"pk": PostPhoto.objects.get().pk, "variant": "thumb"})
        in html
    )


def test_event_page_shows_no_album_without_photos(client, event):
    html = client.get(event.url).content.decode()
    assert 'id="album-heading"' not in html


def test_post_page_of_event_photos_links_to_the_event_and_names_the_cars(
    client, member, event, there
):
    post = published_photos(event, member, cars=[there.car])
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'href="{event.url}"' in html and str(there.car.nickname) in html
