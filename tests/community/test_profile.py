"""Member profiles: editing, privacy of profile and garage, data download, account deletion."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from community.models import Car, Member
from tests.factories import CarFactory, MemberFactory

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "display_name": "Sam Porter",
        "town": "Kingsbridge",
        "bio": "Weekend drives.",
        "profile_visibility": "public",
        "show_garage": "on",
        "email_invitations": "on",
        "email_reminders": "on",
    }
    data.update(overrides)
    return data


def test_profile_edit_saves_email_preferences(client, member):
    client.force_login(member)
    client.post(reverse("community:profile_edit"), profile_data())
    member.refresh_from_db()
    assert (member.email_invitations, member.email_reminders, member.email_community) == (
        True,
        True,
        False,
    )


def test_profile_edit_with_bad_avatar_keeps_saved_profile(client, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(member)
    response = client.post(
        reverse("community:profile_edit"),
        {
            **profile_data(display_name="Changed"),
            "avatar": SimpleUploadedFile("a.gif", b"GIF89a-broken", "image/gif"),
        },
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.display_name == "Sam Porter"


def test_profile_edit_requires_display_name(client, member):
    client.force_login(member)
    response = client.post(reverse("community:profile_edit"), profile_data(display_name=""))
    assert "This field is required." in response.content.decode()


def test_public_profile_shows_garage_to_visitors(client, cooper_s):
    owner = MemberFactory(profile_visibility=Member.Visibility.PUBLIC)
    CarFactory(owner=owner, car_model=cooper_s, nickname="Pepper")
    html = client.get(owner.get_absolute_url()).content.decode()
    assert "Pepper" in html


def test_profile_hides_garage_when_member_hides_it(client, cooper_s):
    owner = MemberFactory(profile_visibility=Member.Visibility.PUBLIC, show_garage=False)
    CarFactory(owner=owner, car_model=cooper_s, nickname="Pepper")
    html = client.get(owner.get_absolute_url()).content.decode()
    assert owner.display_name in html and "Pepper" not in html


def test_profile_never_shows_plate_or_vin_to_other_members(client, member, cooper_s):
    owner = MemberFactory(profile_visibility=Member.Visibility.PUBLIC)
    CarFactory(owner=owner, car_model=cooper_s, registration="KB21 XYZ", vin="WMWXU720X0TX12345")
    client.force_login(member)
    html = client.get(owner.get_absolute_url()).content.decode()
    assert "KB21 XYZ" not in html and "WMWXU720X0TX12345" not in html


def test_members_only_profile_is_not_found_for_visitors(client):
    owner = MemberFactory(profile_visibility=Member.Visibility.MEMBERS)
    assert client.get(owner.get_absolute_url()).status_code == 404


def test_members_only_profile_is_shown_to_signed_in_members(client, member):
    owner = MemberFactory(profile_visibility=Member.Visibility.MEMBERS)
    client.force_login(member)
    assert client.get(owner.get_absolute_url()).status_code == 200


def test_private_profile_is_not_found_for_other_members(client, member):
    owner = MemberFactory(profile_visibility=Member.Visibility.PRIVATE)
    client.force_login(member)
    assert client.get(owner.get_absolute_url()).status_code == 404


def test_private_profile_is_shown_to_its_owner(client):
    owner = MemberFactory(profile_visibility=Member.Visibility.PRIVATE)
    client.force_login(owner)
    assert client.get(owner.get_absolute_url()).status_code == 200


def test_data_export_downloads_profile_and_garage_as_json(client, member, cooper_s):
    CarFactory(owner=member, car_model=cooper_s, nickname="Pepper", vin="WMWXU720X0TX12345")
    client.force_login(member)
    response = client.get(reverse("community:data_export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == member.email
    assert (
        data["garage"][0]["nickname"] == "Pepper"
        and data["garage"][0]["vin"] == "WMWXU720X0TX12345"
    )


def test_data_export_lists_only_own_data(client, member, cooper_s):
    CarFactory(car_model=cooper_s, nickname="Not mine")
    client.force_login(member)
    data = json.loads(client.get(reverse("community:data_export")).content)
    assert data["garage"] == []


def test_account_delete_removes_member_cars_and_email_addresses(client, member, cooper_s):
    CarFactory(owner=member, car_model=cooper_s)
    client.force_login(member)
    response = client.post(
        reverse("community:account_delete"),
        {"contributions": "anonymise", "password": "correct-horse-battery", "confirm": "on"},
    )
    assert response.status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not Car.objects.exists() and not EmailAddress.objects.filter(email=member.email).exists()


def test_account_delete_logs_the_member_out(client, member):
    client.force_login(member)
    client.post(
        reverse("community:account_delete"),
        {"contributions": "remove", "password": "correct-horse-battery", "confirm": "on"},
    )
    assert "_auth_user_id" not in client.session


def test_account_delete_with_wrong_password_deletes_nothing(client, member):
    client.force_login(member)
    response = client.post(
        reverse("community:account_delete"),
        {"contributions": "remove", "password": "wrong", "confirm": "on"},
    )
    assert "That is not your password." in response.content.decode()
    assert Member.objects.filter(pk=member.pk).exists()


def test_account_delete_needs_the_confirmation_box(client, member):
    client.force_login(member)
    client.post(
        reverse("community:account_delete"),
        {"contributions": "remove", "password": "correct-horse-battery"},
    )
    assert Member.objects.filter(pk=member.pk).exists()


def test_profile_lists_members_published_posts(client):
    from tests.factories import PostFactory

    owner = MemberFactory(profile_visibility=Member.Visibility.PUBLIC)
    PostFactory(author=owner, title="Dartmoor loop")
    PostFactory(author=owner, title="Draft thoughts", status="pending")
    html = client.get(owner.get_absolute_url()).content.decode()
    assert "Dartmoor loop" in html and "Draft thoughts" not in html


def test_profile_photo_field_shows_a_thumbnail_not_the_storage_path(client, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    member.avatar.save("me.png", SimpleUploadedFile("me.png", _png(), "image/png"))
    client.force_login(member)
    html = client.get(reverse("community:profile_edit")).content.decode()
    assert f'<img class="photo-input__thumb" src="{member.avatar.url}"' in html
    assert f">{member.avatar.name}<" not in html and "Currently" not in html


def test_profile_photo_remove_tick_box_empties_the_avatar(client, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    member.avatar.save("me.png", SimpleUploadedFile("me.png", _png(), "image/png"))
    client.force_login(member)
    client.post(reverse("community:profile_edit"), profile_data(**{"avatar-clear": "on"}))
    member.refresh_from_db()
    assert not member.avatar


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (8, 8), "#0f3b5f").save(out, "PNG")
    return out.getvalue()
