"""paddock.sessions: Django's database sessions, read with a query compiled once per process."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from paddock.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_session_written_by_djangos_store_is_read_by_paddocks():
    django_store = DjangoStore()
    django_store[SESSION_KEY] = "42"
    django_store.create()
    assert SessionStore(django_store.session_key)[SESSION_KEY] == "42"


def test_expired_session_reads_as_empty_and_gets_a_new_key():
    store = SessionStore()
    store["note"] = "kept"
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(store.session_key)
    assert again.get("note") is None and again.session_key is None


def test_unknown_session_key_reads_as_empty():
    store = SessionStore("x" * 32)
    assert store.load() == {} and store.session_key is None


def test_signed_in_member_is_known_on_the_next_request(client, member, site_tree):
    client.force_login(member)
    response = client.get(reverse("community:garage"))
    assert response.status_code == 200 and response.wsgi_request.user == member
