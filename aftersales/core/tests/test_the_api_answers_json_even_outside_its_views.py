"""Errors Django answers before or after the API's views still answer the API's JSON under
/api/ (issue 7): a POST to an unknown address (it was the HTML CSRF page), a request that cannot
be read, and a database that does not answer (it was an HTML 500). Pages keep their HTML."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError
from django.test import Client
from rest_framework.authtoken.models import Token

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.api import PARTNER_GROUP


@pytest.fixture
def token(db) -> str:
    user = UserFactory(email="store@example.com")
    user.groups.add(Group.objects.get(name=PARTNER_GROUP))
    return Token.objects.create(user=user).key


@pytest.fixture
def browser_like() -> Client:
    """Checks CSRF as a browser's requests are checked; an exception answers 500."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def database_down():
    """Every new query fails as when PostgreSQL is unreachable."""
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
        side_effect=OperationalError("connection to server failed: Connection refused"),
    )


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "GET"])
def test_any_method_on_an_unknown_api_address_is_the_apis_not_found(browser_like, db, method):
    response = browser_like.generic(
        method, "/api/v1/no-such-endpoint", "{}", content_type="application/json"
    )

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "detail": "Not found."}


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_an_unknown_page_is_still_the_html_not_found_page(browser_like, db, method):
    response = browser_like.generic(method, "/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_with_the_database_down_the_api_answers_its_json_500(browser_like, token, caplog):
    with database_down(), caplog.at_level(logging.ERROR):
        response = browser_like.get(
            "/api/v1/ping", HTTP_AUTHORIZATION=f"Token {token}", HTTP_X_REQUEST_ID="req-db"
        )

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "server_error",
        "detail": "Something went wrong on our side. Quote the request id to support.",
        "request_id": "req-db",
    }
    assert any(record.exc_info for record in caplog.records), "the failure is logged"


def test_with_the_database_down_a_post_to_the_api_answers_its_json_500(browser_like, token):
    with database_down():
        response = browser_like.post(
            "/api/v1/devices",
            {"serial_number": "163DG9R00ABC12", "model": "mavic-2-pro", "purchase_country": "FR"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


def test_with_the_database_down_a_page_shows_the_html_error_page(browser_like, customer):
    browser_like.force_login(customer)

    with database_down():
        response = browser_like.get("/repairs/")

    assert response.status_code == 500
    assert "500.html" in [template.name for template in response.templates]


def test_a_request_the_api_cannot_read_is_its_json_400(browser_like, token, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2

    response = browser_like.get(
        "/api/v1/ping?a=1&b=2&c=3&d=%00", HTTP_AUTHORIZATION=f"Token {token}"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_token_that_is_not_one_is_refused_without_a_query(
    browser_like, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = browser_like.get("/api/v1/ping", HTTP_AUTHORIZATION="Token not-a-token")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
