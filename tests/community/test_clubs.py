"""Clubs: joining open, approval and private clubs; organisers decide; suggestions for a member's cars."""

import pytest
from django.core import mail
from django.urls import reverse

from community import selectors, services
from community.models import ClubPage, Membership
from tests.factories import CarFactory, MemberFactory, make_club

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(db):
    return MemberFactory(display_name="Olive Organiser")


def test_club_join_open_club_makes_active_member(member):
    club = make_club(access=ClubPage.Access.OPEN)
    services.club_join(club=club, member=member)
    assert Membership.objects.get(club=club, member=member).status == Membership.Status.ACTIVE


def test_club_join_approval_club_creates_pending_request(member, organiser):
    club = make_club(access=ClubPage.Access.APPROVAL, organisers=[organiser])
    services.club_join(club=club, member=member)
    assert Membership.objects.get(club=club, member=member).status == Membership.Status.PENDING


def test_club_join_approval_club_emails_organisers(
    member, organiser, django_capture_on_commit_callbacks
):
    club = make_club(access=ClubPage.Access.APPROVAL, organisers=[organiser])
    with django_capture_on_commit_callbacks(execute=True):
        services.club_join(club=club, member=member)
    assert [m.to for m in mail.outbox] == [[organiser.email]]
    assert "Sam Porter" in mail.outbox[0].subject


def test_club_join_private_club_without_invitation_is_refused(member):
    club = make_club(access=ClubPage.Access.PRIVATE)
    with pytest.raises(services.CommunityError) as excinfo:
        services.club_join(club=club, member=member)
    assert excinfo.value.code == "invitation_only"
    assert not Membership.objects.filter(club=club, member=member).exists()


def test_membership_decide_approve_activates_and_emails_member(
    member, organiser, django_capture_on_commit_callbacks
):
    club = make_club(access=ClubPage.Access.APPROVAL, organisers=[organiser])
    request = services.club_join(club=club, member=member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(membership=request, by=organiser, approve=True)
    request.refresh_from_db()
    assert request.status == Membership.Status.ACTIVE
    assert mail.outbox[-1].to == [member.email] and "Welcome" in mail.outbox[-1].subject


def test_membership_decide_decline_emails_member(
    member, organiser, django_capture_on_commit_callbacks
):
    club = make_club(access=ClubPage.Access.APPROVAL, organisers=[organiser])
    request = services.club_join(club=club, member=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(membership=request, by=organiser, approve=False)
    request.refresh_from_db()
    assert request.status == Membership.Status.DECLINED
    assert mail.outbox[-1].to == [member.email]


def test_membership_decide_by_ordinary_member_is_refused(member, organiser):
    bystander = MemberFactory()
    club = make_club(access=ClubPage.Access.APPROVAL, organisers=[organiser], members=[bystander])
    request = services.club_join(club=club, member=member)
    with pytest.raises(services.CommunityError) as excinfo:
        services.membership_decide(membership=request, by=bystander, approve=True)
    assert excinfo.value.code == "not_organiser"


def test_club_invite_then_accept_joins_private_club(member, organiser):
    club = make_club(access=ClubPage.Access.PRIVATE, organisers=[organiser])
    invitation = services.club_invite(club=club, by=organiser, member=member)
    services.club_invitation_accept(membership=invitation, member=member)
    assert selectors.is_club_member(club=club, member=member)


def test_club_leave_removes_membership(member):
    club = make_club(members=[member])
    services.club_leave(club=club, member=member)
    assert not Membership.objects.filter(club=club, member=member).exists()


def test_join_view_joins_open_club(client, member):
    club = make_club()
    client.force_login(member)
    response = client.post(reverse("community:club_join", args=[club.pk]))
    assert response.status_code == 302
    assert selectors.is_club_member(club=club, member=member)


def test_join_view_by_get_changes_nothing(client, member):
    club = make_club()
    client.force_login(member)
    assert client.get(reverse("community:club_join", args=[club.pk])).status_code == 405
    assert not Membership.objects.filter(club=club, member=member).exists()


def test_clubs_suggested_for_member_match_garage_models(member, cooper_s):
    CarFactory(owner=member, car_model=cooper_s)
    matching = make_club("Cooper S Owners", car_models=[cooper_s])
    make_club("Sunday Drivers")
    assert selectors.clubs_suggested_for(member=member) == [matching]


def test_clubs_suggested_for_member_skip_joined_and_private(member, cooper_s):
    CarFactory(owner=member, car_model=cooper_s)
    make_club("Joined", car_models=[cooper_s], members=[member])
    make_club("Secret", access=ClubPage.Access.PRIVATE, car_models=[cooper_s])
    assert selectors.clubs_suggested_for(member=member) == []


def test_club_page_lists_only_members_whose_profile_viewer_may_see(client):
    public = MemberFactory(display_name="Pat Public", profile_visibility="public")
    hidden = MemberFactory(display_name="Hal Hidden", profile_visibility="private")
    club = make_club(members=[public, hidden])
    html = client.get(club.url).content.decode()
    assert "Pat Public" in html and "Hal Hidden" not in html
    assert "1 more who keep" in html
