"""Named people for every test, as in healthchecks' base test: a customer, another customer
(who must never see the first one's data), and staff in their roles."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from aftersales.accounts.choices import Role
from aftersales.accounts.tests.factories import UserFactory


def _staff(email: str, role: Role):
    user = UserFactory(email=email, is_staff=True, first_name=str(role.label))
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def customer(db):
    return UserFactory(email="alice@example.com", first_name="Alice", last_name="Durand")


@pytest.fixture
def other_customer(db):
    return UserFactory(email="bob@example.com", first_name="Bob", last_name="Bernard")


@pytest.fixture
def agent(db):
    return _staff("agent@example.com", Role.AGENT)


@pytest.fixture
def reception(db):
    return _staff("reception@example.com", Role.RECEPTION)


@pytest.fixture
def analyst(db):
    return _staff("analyst@example.com", Role.ANALYST)


@pytest.fixture
def technician(db):
    return _staff("technician@example.com", Role.TECHNICIAN)


@pytest.fixture
def administrator(db):
    return _staff("admin@example.com", Role.ADMINISTRATOR)


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def other_client(client, other_customer):
    client.force_login(other_customer)
    return client


# Browser tests (Playwright driving Debian's Chromium): fixtures `browser`, `page`, `new_page`.
pytest_plugins = [
    "aftersales.core.tests.browser.plugin",
    "aftersales.core.tests.database_plugin",
]


@pytest.fixture(autouse=True)
def _roles_on_an_emptied_database(request):
    """A transactional test (the live server's, the race tests') runs on a database that the
    one before it emptied, the rows of the migrations with it: the staff roles and their
    permissions are made again, as the migrations make them, before the test's people."""
    marker = request.node.get_closest_marker("django_db")
    # A live server's test asks for the transactional database only as it starts.
    asked = {"transactional_db", "live_server"} & set(request.fixturenames)
    if not asked and not (marker is not None and marker.kwargs.get("transaction")):
        return
    from aftersales.repairs.tests.roles import staff_roles_made_again

    request.getfixturevalue("transactional_db")
    staff_roles_made_again()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in French (LocaleMiddleware
    activates the language on the thread) must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Uploaded files of one test never meet another's (ids are reused on SQLite)."""
    settings.MEDIA_ROOT = tmp_path / "media"
