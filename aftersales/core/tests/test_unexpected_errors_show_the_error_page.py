from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.urls("aftersales.core.tests.failing_urls")


@pytest.fixture
def quiet_client() -> Client:
    return Client(raise_request_exception=False)


def test_an_unexpected_error_shows_the_error_page_not_a_traceback(quiet_client, db):
    response = quiet_client.get("/broken/")

    assert response.status_code == 500
    assert "500.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert "Something went wrong" in content
    assert "Traceback" not in content
    assert "the view broke" not in content
    assert response["X-Request-ID"]


def test_the_error_page_is_in_the_visitors_language(quiet_client, db):
    quiet_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = quiet_client.get("/broken/")

    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="fr">' in content
    with translation.override("fr"):
        assert translation.gettext("Something went wrong") in content


def test_an_unexpected_error_is_logged_with_its_traceback(quiet_client, db, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        quiet_client.get("/broken/")

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert "/broken/" in record.getMessage()
    assert record.exc_info is not None
    assert record.exc_info[0].__name__ == "UnexpectedError"
