"""Only partners and repair centres (and superusers) call the API: no token is 401, anyone else
403. What each partner may do: aftersales/tests/test_a_second_partner_touches_nothing_of_another.py.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from aftersales.accounts.tests.factories import UserFactory

from .conftest import token_client

EVERY_ENDPOINT = [
    ("get", "/api/v1/ping"),
    ("get", "/api/v1/models"),
    ("get", "/api/v1/offerings"),
    ("post", "/api/v1/devices"),
    ("post", "/api/v1/plans"),
    ("post", "/api/v1/plans/activate"),
    ("get", "/api/v1/devices/163DG9R0000001/coverage"),
    ("post", "/api/v1/plans/4f1e1a7c-5f5e-4d7b-9b7e-2b1d2c3e4f50/replacements"),
]


@pytest.mark.parametrize(("method", "url"), EVERY_ENDPOINT)
def test_a_request_without_a_token_is_unauthorised(db, anonymous_api, method, url):
    response = getattr(anonymous_api, method)(url, {}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("method", "url"), EVERY_ENDPOINT)
def test_an_unknown_token_is_unauthorised(db, method, url):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = getattr(client, method)(url, {}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize(("method", "url"), EVERY_ENDPOINT)
def test_a_customer_with_a_token_is_forbidden(customer_api, method, url):
    response = getattr(customer_api, method)(url, {}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(("method", "url"), EVERY_ENDPOINT)
def test_staff_outside_the_partner_group_are_forbidden(agent, method, url):
    response = getattr(token_client(agent), method)(url, {}, format="json")

    assert response.status_code == 403


def test_an_inactive_partner_is_turned_away(partner, api):
    partner.is_active = False
    partner.save()

    assert api.get("/api/v1/ping").status_code == 401


def test_a_partner_may_call_the_api(api):
    assert api.get("/api/v1/ping").status_code == 200


def test_a_superuser_may_call_the_api(db):
    admin = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)

    assert token_client(admin).get("/api/v1/ping").status_code == 200


def test_a_session_login_is_not_enough(client, customer):
    client.force_login(customer)

    assert client.get("/api/v1/ping").status_code == 401
