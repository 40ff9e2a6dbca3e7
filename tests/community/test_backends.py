"""Paddock's authentication backends (community.backends): the member of a signed-in request is
read with a prepared query, with Django's rules kept; sessions from before them keep working."""

from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.backends import MemberAccountBackend, MemberModelBackend

pytestmark = pytest.mark.django_db

rename = import_module("community.migrations.0018_sessions_name_paddocks_backends")


def test_backend_reads_a_signed_in_member_in_one_query(member):
    with CaptureQueriesContext(connection) as queries:
        found = MemberAccountBackend().get_user(member.pk)
    assert (found, len(queries)) == (member, 1)


def test_backend_reads_nobody_for_an_inactive_member(member):
    member.is_active = False
    member.save()
    assert MemberModelBackend().get_user(member.pk) is None


def test_backend_reads_nobody_for_a_member_who_is_gone():
    assert MemberAccountBackend().get_user(987654) is None


def test_member_signing_in_by_email_gets_a_session_naming_paddocks_backend(client, member):
    member.set_password("correct horse battery")
    member.save()
    client.post(
        reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
    )
    assert client.session[BACKEND_SESSION_KEY] in settings.AUTHENTICATION_BACKENDS
    assert client.session[BACKEND_SESSION_KEY].startswith("community.backends.")


def _old_session(member, backend: str) -> SessionStore:
    store = SessionStore()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.create()
    return store


def test_session_signed_in_through_allauths_backend_is_renamed_and_stays_signed_in(client, member):
    store = _old_session(member, "allauth.account.auth_backends.AuthenticationBackend")
    rename.forwards(apps, None)
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    response = client.get(reverse("events:my_events"))
    assert response.status_code == 200 and response.wsgi_request.user == member


def test_session_rename_names_djangos_backend_as_paddocks(member):
    store = _old_session(member, "django.contrib.auth.backends.ModelBackend")
    rename.forwards(apps, None)
    renamed = SessionStore(session_key=store.session_key).load()
    assert renamed[BACKEND_SESSION_KEY] == "community.backends.MemberModelBackend"


def test_session_rename_runs_back_to_the_old_names(member):
    store = _old_session(member, "allauth.account.auth_backends.AuthenticationBackend")
    rename.forwards(apps, None)
    rename.backwards(apps, None)
    renamed = SessionStore(session_key=store.session_key).load()
    assert renamed[BACKEND_SESSION_KEY] == "allauth.account.auth_backends.AuthenticationBackend"
