"""The partner API's cast: a partner system with its token, and a customer who got a token
somehow (an administrator can create one in the admin) and must still be turned away."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.api import PARTNER_GROUP


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def partner(db):
    user = UserFactory(email="store@example.com", first_name="Store")
    user.groups.add(Group.objects.get(name=PARTNER_GROUP))
    return user


@pytest.fixture
def api(partner) -> APIClient:
    """A partner's client: `Authorization: Token <key>`."""
    return token_client(partner)


@pytest.fixture
def customer_api(customer) -> APIClient:
    return token_client(customer)


@pytest.fixture
def anonymous_api() -> APIClient:
    return APIClient()


def assert_refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]


@pytest.fixture(autouse=True)
def _no_cached_components():
    """The coverage endpoint keeps each offering's components a minute per process; ids are
    reused between tests, so each test starts without them."""
    from aftersales.plans.api import views

    views._components_cache.clear()
    yield
    views._components_cache.clear()
