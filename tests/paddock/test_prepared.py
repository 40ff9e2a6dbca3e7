"""Queries compiled once per process (paddock.prepared.Prepared): the same rows as the ORM,
whatever values the slots take, and errors where the ORM would raise them."""

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from freezegun import freeze_time

from community.models import Car, Member
from paddock.prepared import Prepared

pytestmark = pytest.mark.django_db


def _members(count: int) -> list[Member]:
    return [
        Member.objects.create(
            email=f"m{n}@example.com", display_name=f"Member {n}", handle=f"m-{n}"
        )
        for n in range(count)
    ]


def test_prepared_query_returns_model_instances_for_each_value():
    first, second = _members(2)
    by_pk = Prepared(lambda shape, *, member_id: Member.objects.filter(pk=member_id)[:1])
    assert by_pk.first(member_id=first.pk) == first
    assert by_pk.first(member_id=second.pk).email == "m1@example.com"


def test_prepared_query_is_built_once_for_many_runs():
    members = _members(3)
    built = []

    def build(shape, *, member_id):
        built.append(shape)
        return Member.objects.filter(pk=member_id)[:1]

    by_pk = Prepared(build)
    assert [by_pk.first(member_id=m.pk) for m in members] == members
    assert built == [None]


def test_prepared_query_builds_again_for_another_shape():
    [member] = _members(1)
    built = []

    def build(shape, *, member_id):
        built.append(shape)
        rows = Member.objects.filter(pk=member_id)
        return rows.values_list("email") if shape == "email" else rows.values_list("handle")

    by_pk = Prepared(build)
    assert by_pk.all(shape="email", member_id=member.pk) == [("m0@example.com",)]
    assert by_pk.all(shape="handle", member_id=member.pk) == [("m-0",)]
    assert built == ["email", "handle"]


def test_prepared_query_finds_nothing_as_none():
    by_pk = Prepared(lambda shape, *, member_id: Member.objects.filter(pk=member_id)[:1])
    assert by_pk.first(member_id=987654) is None


def test_prepared_query_loads_only_the_fields_asked_for():
    [member] = _members(1)
    by_pk = Prepared(lambda shape, *, member_id: Member.objects.only("email").filter(pk=member_id))
    loaded = by_pk.first(member_id=member.pk)
    assert loaded.get_deferred_fields() >= {"display_name", "handle"}
    assert loaded.email == "m0@example.com"


def test_prepared_query_refuses_a_slot_that_does_not_reach_the_sql():
    unused = Prepared(lambda shape, *, member_id: Member.objects.all()[:1])
    with pytest.raises(ValueError, match="member_id"):
        unused.first(member_id=1)


def test_prepared_query_takes_integers_and_strings_only():
    by_pk = Prepared(lambda shape, *, member_id: Member.objects.filter(pk=member_id)[:1])
    with pytest.raises(TypeError, match="member_id"):
        by_pk.first(member_id=1.0)


def test_prepared_query_takes_a_string_slot():
    first, second = _members(2)
    by_email = Prepared(lambda shape, *, email: Member.objects.filter(email=email)[:1])
    assert by_email.first(email="m1@example.com") == second
    assert by_email.first(email="m0@example.com") == first


def test_prepared_query_refuses_select_related():
    related = Prepared(
        lambda shape, *, car_id: Car.objects.select_related("owner").filter(pk=car_id)
    )
    with pytest.raises(ValueError, match="plain model rows"):
        related.first(car_id=1)


@pytest.mark.django_db(transaction=True)
def test_prepared_select_for_update_outside_a_transaction_is_refused():
    [member] = _members(1)
    locked = Prepared(
        lambda shape, *, member_id: Member.objects.select_for_update().filter(pk=member_id)
    )
    with transaction.atomic():
        assert locked.first(member_id=member.pk) == member
    with pytest.raises(TransactionManagementError):
        locked.first(member_id=member.pk)


@pytest.mark.postgres  # datetimes reach PostgreSQL as they are, not SQLite
@freeze_time("2026-12-05 10:15:00")
def test_prepared_query_takes_a_frozen_clocks_datetime():
    [member] = _members(1)
    joined = Prepared(
        lambda shape, *, member_id, before: Member.objects.filter(
            pk=member_id, date_joined__lte=before
        )[:1]
    )
    assert joined.first(member_id=member.pk, before=timezone.now()) == member
