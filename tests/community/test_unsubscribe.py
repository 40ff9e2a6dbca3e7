"""One-click unsubscribe (RFC 8058): a POST with no login switches the preference off; a GET does not."""

import pytest
from django.test import Client

from community.mail import list_unsubscribe_headers, unsubscribe_url

pytestmark = pytest.mark.django_db


def test_list_unsubscribe_headers_name_one_click_post(member):
    headers = list_unsubscribe_headers(member=member, category="invitations")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        headers["List-Unsubscribe"].startswith("<http")
        and "/unsubscribe/" in headers["List-Unsubscribe"]
    )


def test_unsubscribe_one_click_post_without_login_or_csrf_turns_invitations_off(member):
    client = Client(enforce_csrf_checks=True)
    url = "/" + unsubscribe_url(member=member, category="invitations").split("/", 3)[3]
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    member.refresh_from_db()
    assert response.status_code == 200
    assert (member.email_invitations, member.email_reminders) == (False, True)


def test_unsubscribe_get_changes_nothing(client, member):
    url = "/" + unsubscribe_url(member=member, category="reminders").split("/", 3)[3]
    client.get(url)
    client.head(url)
    member.refresh_from_db()
    assert member.email_reminders is True


def test_unsubscribe_tampered_token_is_refused(client, member):
    url = "/" + unsubscribe_url(member=member, category="reminders").split("/", 3)[3]
    response = client.post(url[:-4] + "abc/")
    member.refresh_from_db()
    assert response.status_code == 400 and member.email_reminders is True
