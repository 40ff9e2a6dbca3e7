"""Who may manage a club (``can_manage_club``): the same answer whether the caller hands it the
membership it has read already (the club page) or lets it read it."""

import pytest

from community.models import Membership
from community.selectors import can_manage_club, membership_of
from tests.factories import MemberFactory, make_club

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [choice for choice, _ in Membership.Status.choices])
@pytest.mark.parametrize("role", [choice for choice, _ in Membership.Role.choices])
def test_can_manage_club_with_the_membership_read_agrees_with_its_own_read(status, role):
    club = make_club("Sunday Drivers")
    member = MemberFactory()
    Membership.objects.create(club=club, member=member, status=status, role=role)
    read = membership_of(club=club, member=member)
    assert can_manage_club(club=club, member=member, membership=read) == can_manage_club(
        club=club, member=member
    )
    assert can_manage_club(club=club, member=member) == (status == "active" and role == "organiser")


def test_member_without_a_membership_may_not_manage_the_club():
    club = make_club("Sunday Drivers")
    member = MemberFactory()
    assert not can_manage_club(club=club, member=member, membership=None)
