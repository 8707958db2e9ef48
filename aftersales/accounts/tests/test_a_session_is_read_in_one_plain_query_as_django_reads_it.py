"""The sessions (`accounts/sessions.py`): Django's database sessions, each request's read made
with one plain query. The same answers as Django's own store: a live session's data, nothing
for an expired or unknown key (whose key is then forgotten), and logging in and out work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.accounts.sessions import SessionStore
from aftersales.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_project_uses_this_store():
    assert settings.SESSION_ENGINE == "aftersales.accounts.sessions"


def test_a_live_session_is_read_in_one_query_with_djangos_answer():
    stored = DjangoStore()
    stored["cart"] = {"serial": "163CFR0001", "count": 2}
    stored.create()
    with CaptureQueriesContext(connection) as queries:
        loaded = SessionStore(stored.session_key)
        assert loaded["cart"] == {"serial": "163CFR0001", "count": 2}
    assert len(queries) == 1
    assert dict(loaded.items()) == dict(DjangoStore(stored.session_key).items())
    assert loaded.session_key == stored.session_key


def test_an_expired_or_unknown_session_is_empty_and_its_key_forgotten():
    stored = DjangoStore()
    stored["a"] = 1
    stored.create()
    Session.objects.filter(session_key=stored.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(stored.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert "a" not in unknown
    assert unknown.session_key is None


def test_logging_in_reading_pages_and_logging_out(client):
    user = UserFactory(password="a long passphrase 42")
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": "a long passphrase 42"},
        secure=True,
    )
    assert response.status_code == 302
    assert client.get(reverse("devices:list"), secure=True).status_code == 200
    client.post(reverse("accounts:logout"), secure=True)
    response = client.get(reverse("devices:list"), secure=True)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
