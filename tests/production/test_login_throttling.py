"""Failed logins are throttled on the site and in the admin, and a forged X-Forwarded-For or Host
header does not buy an attacker a fresh set of guesses.

Limits (settings.ACCOUNT_RATE_LIMITS["login_failed"]): 10 failures a minute per client IP and 5
per 5 minutes per account, shared by /accounts/login/ and /admin/login/.
"""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py
TOO_MANY = "Too many failed login attempts"
CLIENT_IP = "203.0.113.7"
PROXY_IP = "10.0.0.2"


def site_login(client, email, password, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def admin_login(client, email, password, **headers):
    return client.post(
        reverse("wagtailadmin_login"), {"username": email, "password": password}, **headers
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Per account --------------------------------------------------------------------------------


def test_site_login_after_five_wrong_passwords_refuses_even_the_right_one(client, member):
    for _ in range(5):
        site_login(client, member.email, "wrong-guess")
    response = site_login(client, member.email, PASSWORD)
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


def test_site_login_with_four_wrong_passwords_still_lets_the_owner_in(client, member):
    for _ in range(4):
        site_login(client, member.email, "wrong-guess")
    site_login(client, member.email, PASSWORD)
    assert logged_in(client)


def test_admin_login_after_five_wrong_passwords_refuses_even_the_right_one(client, staff):
    for _ in range(5):
        admin_login(client, staff.email, "wrong-guess")
    response = admin_login(client, staff.email, PASSWORD)
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


def test_admin_login_with_the_right_password_logs_staff_in(client, staff):
    response = admin_login(client, staff.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_site_and_admin_share_one_budget_per_account(client, staff):
    for _ in range(3):
        site_login(client, staff.email, "wrong-guess")
    for _ in range(2):
        admin_login(client, staff.email, "wrong-guess")
    response = admin_login(client, staff.email, PASSWORD)
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


def test_changing_the_host_header_does_not_reset_the_account_limit(client, member):
    for _ in range(5):
        site_login(client, member.email, "wrong-guess", HTTP_HOST="club.example.com")
    response = site_login(client, member.email, PASSWORD, HTTP_HOST="other.example.com")
    assert TOO_MANY in response.content.decode()


def test_changing_the_case_of_the_email_does_not_reset_the_account_limit(client, member):
    for _ in range(5):
        site_login(client, member.email, "wrong-guess")
    response = site_login(client, member.email.upper(), PASSWORD)
    assert TOO_MANY in response.content.decode()


# --- Per client IP ------------------------------------------------------------------------------


def _fail_ten_times(login, client, **headers):
    """Ten failures from one client, each for a different account (so no account limit trips)."""
    for n in range(10):
        login(client, f"guess{n}@example.com", "wrong-guess", **headers)


@pytest.mark.parametrize("login", [site_login, admin_login], ids=["site", "admin"])
def test_ten_failures_from_one_address_block_it(client, login):
    victim = StaffFactory()
    _fail_ten_times(login, client, REMOTE_ADDR=CLIENT_IP)
    response = login(client, victim.email, PASSWORD, REMOTE_ADDR=CLIENT_IP)
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


@pytest.mark.parametrize("login", [site_login, admin_login], ids=["site", "admin"])
def test_without_a_trusted_proxy_a_forged_x_forwarded_for_does_not_unblock(client, login):
    victim = StaffFactory()
    _fail_ten_times(login, client, REMOTE_ADDR=CLIENT_IP)
    response = login(
        client, victim.email, PASSWORD, REMOTE_ADDR=CLIENT_IP, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


@pytest.mark.parametrize("login", [site_login, admin_login], ids=["site", "admin"])
def test_behind_one_proxy_a_prepended_x_forwarded_for_does_not_unblock(client, settings, login):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim = StaffFactory()
    # The proxy appends the address it saw, so the real client is the last entry.
    _fail_ten_times(login, client, REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=CLIENT_IP)
    forged = f"198.51.100.9, {CLIENT_IP}"  # the client sent "X-Forwarded-For: 198.51.100.9"
    response = login(
        client, victim.email, PASSWORD, REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=forged
    )
    assert TOO_MANY in response.content.decode()
    assert not logged_in(client)


@pytest.mark.parametrize("login", [site_login, admin_login], ids=["site", "admin"])
def test_behind_one_proxy_another_client_is_not_blocked(client, settings, login):
    """The control for the test above: the limit follows the client's address, not the proxy's."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim = StaffFactory()
    _fail_ten_times(login, client, REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=CLIENT_IP)
    login(client, victim.email, PASSWORD, REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert logged_in(client)


def test_a_member_blocked_on_one_address_can_still_log_in_from_another(client, member):
    _fail_ten_times(site_login, client, REMOTE_ADDR=CLIENT_IP)
    site_login(client, member.email, PASSWORD, REMOTE_ADDR="203.0.113.99")
    assert logged_in(client)


def test_unknown_and_wrong_password_get_the_same_admin_error(client):
    MemberFactory(email="known@example.com", is_staff=True)
    known = admin_login(client, "known@example.com", "wrong-guess")
    unknown = admin_login(client, "nobody@example.com", "wrong-guess")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
