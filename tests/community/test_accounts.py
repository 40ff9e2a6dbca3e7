"""Accounts through django-allauth: email sign-up with mandatory verification, login by email."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from community.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.owner@example.com",
    "display_name": "New Owner",
    "town": "Dartmouth",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def test_signup_creates_member_with_display_name_and_town(client):
    client.post(reverse("account_signup"), SIGNUP)
    member = Member.objects.get(email="new.owner@example.com")
    assert (member.display_name, member.town) == ("New Owner", "Dartmouth")


def test_signup_sends_verification_email_with_link(client):
    client.post(reverse("account_signup"), SIGNUP)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.owner@example.com"]
    assert re.search(r"/accounts/confirm-email/\S+/", mail.outbox[0].body)


def test_verification_link_is_on_the_site_address_like_every_other_mail(client, settings):
    # One rule for absolute links (community.showrooms.absolute_url), not the request's host.
    settings.SITE_URL = "https://club.example.com"
    client.post(reverse("account_signup"), SIGNUP, HTTP_HOST="127.0.0.1:8100")
    assert re.search(
        r"^https://club\.example\.com/accounts/confirm-email/\S+/$", mail.outbox[0].body, re.M
    )


def test_password_reset_link_is_on_the_site_address(client, settings, member):
    settings.SITE_URL = "https://club.example.com"
    client.post(
        reverse("account_reset_password"), {"email": member.email}, HTTP_HOST="127.0.0.1:8100"
    )
    assert re.search(
        r"^https://club\.example\.com/accounts/password/reset/key/\S+/$", mail.outbox[-1].body, re.M
    )


def test_following_verification_link_signs_the_new_member_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    response = client.post(link.group(1))
    member = Member.objects.get(email="new.owner@example.com")
    assert client.session["_auth_user_id"] == str(member.pk)
    assert response["Location"] == reverse("community:garage")


def test_signup_does_not_log_in_before_verification(client):
    client.post(reverse("account_signup"), SIGNUP)
    assert "_auth_user_id" not in client.session


def test_login_before_verification_is_refused(client):
    MemberFactory(email="pending@example.com", verified=False)
    client.post(
        reverse("account_login"),
        {"login": "pending@example.com", "password": "correct-horse-battery"},
    )
    assert "_auth_user_id" not in client.session


def test_following_verification_link_verifies_email(client):
    client.post(reverse("account_signup"), SIGNUP)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(
        1
    )
    client.post(link)
    assert EmailAddress.objects.get(email="new.owner@example.com").verified


def test_login_by_email_is_case_insensitive(client, member):
    client.post(
        reverse("account_login"),
        {"login": member.email.upper(), "password": "correct-horse-battery"},
    )
    assert client.session["_auth_user_id"] == str(member.pk)


def test_login_redirects_to_garage(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("community:garage")


def test_login_as_staff_redirects_to_admin_dashboard(client, staff):
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("wagtailadmin_home")


def test_login_as_staff_with_next_follows_next(client, staff):
    response = client.post(
        f"{reverse('account_login')}?next={reverse('events:my_events')}",
        {"login": staff.email, "password": "correct-horse-battery"},
    )
    assert response["Location"] == reverse("events:my_events")


def test_signup_with_existing_email_creates_no_second_member(client, member):
    client.post(reverse("account_signup"), {**SIGNUP, "email": member.email})
    assert Member.objects.filter(email=member.email).count() == 1


def test_password_reset_sends_mail_to_member(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_logout_ends_session(client, member):
    client.force_login(member)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_change_email_sends_verification_to_new_address(client, member):
    client.force_login(member)
    client.post(reverse("account_email"), {"action_add": "", "email": "new.address@example.com"})
    assert mail.outbox[-1].to == ["new.address@example.com"]
    assert EmailAddress.objects.filter(
        user=member, email="new.address@example.com", verified=False
    ).exists()


def test_signup_builds_profile_address_from_name_not_email(client):
    client.post(reverse("account_signup"), {**SIGNUP, "email": "secret.person@example.com"})
    member = Member.objects.get(email="secret.person@example.com")
    assert member.handle.startswith("new-owner-") and "secret" not in member.handle
