"""Sign-up, password reset and login answer the same whether or not an email address has an
account, so nobody can use them to find out who is a member; the owner of an address is told by
email instead."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from community.models import Member

pytestmark = pytest.mark.django_db

PASSPHRASE = "a-long-unusual-passphrase"


def signup(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "Curious Visitor",
            "town": "Dartmouth",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
        },
    )


def visible(response, client) -> str:
    """What the visitor sees: the page the response leads to, with its status."""
    if response.status_code in (301, 302):
        page = client.get(response["Location"])
        return f"{response.status_code} {response['Location']} {page.status_code}"
    return f"{response.status_code}"


def test_signup_with_an_existing_email_looks_the_same_as_with_a_new_one(client, member):
    new = signup(client, "someone.new@example.com")
    client.logout()
    existing = signup(client, member.email)
    assert visible(existing, client) == visible(new, client)


def test_signup_with_an_existing_email_shows_no_error_naming_the_address(client, member):
    response = signup(client, member.email)
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    body = response.content.decode() + page
    assert "already" not in body.lower()


def test_signup_with_an_existing_email_mails_the_owner_instead(client, member):
    signup(client, member.email)
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "already" in mail.outbox[0].body.lower()
    assert Member.objects.filter(email__iexact=member.email).count() == 1


def test_password_reset_for_an_unknown_email_looks_the_same_as_for_a_member(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert visible(unknown, client) == visible(known, client)


def test_password_reset_for_an_unknown_email_sends_no_reset_link(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert not any(re.search(r"/accounts/password/reset/key/", m.body) for m in mail.outbox)


def test_password_reset_for_a_member_mails_the_reset_link(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert re.search(r"/accounts/password/reset/key/\S+", mail.outbox[-1].body)


def test_login_gives_the_same_error_for_an_unknown_email_and_a_wrong_password(client, member):
    wrong = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    unknown = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_wagtail_password_reset_is_off_in_favour_of_the_throttled_one(client):
    response = client.get("/admin/password_reset/")
    assert response.status_code == 404


def test_admin_login_links_to_the_sites_password_reset(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert f'href="{reverse("account_reset_password")}"' in response.content.decode()
