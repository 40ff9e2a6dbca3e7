"""Writes for the community app: plain functions called by views, admin and tasks alike."""

from typing import Literal

from django.db import transaction

from community.models import Car, Member

Contributions = Literal["remove", "anonymise"]


class CommunityError(Exception):
    """A domain rule said no; ``code`` is machine-readable, the message is for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def _delete_file_on_commit(field_file) -> None:
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def car_save(*, car: Car) -> Car:
    """Save a car a member added or edited, removing a replaced photo file once committed."""
    if car.pk:
        old_photo = Car.objects.filter(pk=car.pk).values_list("photo", flat=True).first()
        if old_photo and old_photo != car.photo.name:
            _delete_file_on_commit(Car(photo=old_photo).photo)
    car.full_clean()
    car.save()
    return car


@transaction.atomic
def car_delete(*, car: Car, member: Member) -> None:
    if car.owner_id != member.pk:
        raise CommunityError("Only the owner can remove a car from a garage.", code="not_owner")
    _delete_file_on_commit(car.photo)
    car.delete()


@transaction.atomic
def member_profile_save(*, member: Member, old_avatar: str = "") -> Member:
    if old_avatar and old_avatar != member.avatar.name:
        _delete_file_on_commit(Member(avatar=old_avatar).avatar)
    member.save()
    return member


@transaction.atomic
def member_delete(*, member: Member, contributions: Contributions) -> None:
    """Delete a member's account for good: profile, garage, photos and email addresses.

    ``contributions`` says what happens to what they posted in the community: ``"remove"`` deletes
    it, ``"anonymise"`` keeps it under "Former member". Apps that hold contributions handle both.
    """
    if contributions not in ("remove", "anonymise"):
        raise CommunityError(
            "Choose whether to remove or anonymise your posts.", code="contributions"
        )
    if member.is_superuser:
        raise CommunityError(
            "A superuser account cannot be deleted from the site; ask another administrator.",
            code="superuser",
        )
    _delete_file_on_commit(member.avatar)
    for car in member.cars.all():
        _delete_file_on_commit(car.photo)
    member.delete()
