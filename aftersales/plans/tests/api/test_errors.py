"""How the API answers what goes wrong: always JSON with a code, never a bare 500."""

from __future__ import annotations

import logging
from unittest import mock

from django.db import IntegrityError

from aftersales.core.errors import published_codes

from .conftest import assert_refused


def test_an_unexpected_failure_answers_a_json_500_without_the_traceback(api, device, caplog):
    with (
        mock.patch(
            "aftersales.plans.api.views.warranty_status", side_effect=RuntimeError("secret boom")
        ),
        caplog.at_level(logging.ERROR, logger="aftersales.core.api"),
    ):
        response = api.get(
            f"/api/v1/devices/{device.serial_number}/coverage", HTTP_X_REQUEST_ID="req-42"
        )

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response["X-Request-ID"] == "req-42"
    body = response.json()
    assert body["code"] == "server_error"
    assert body["request_id"] == "req-42"
    assert "secret boom" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_an_unexpected_failure_is_logged_with_the_request_id_and_the_view(api, device, caplog):
    with (
        mock.patch(
            "aftersales.plans.api.views.warranty_status", side_effect=RuntimeError("secret boom")
        ),
        caplog.at_level(logging.ERROR, logger="aftersales.core.api"),
    ):
        api.get(f"/api/v1/devices/{device.serial_number}/coverage", HTTP_X_REQUEST_ID="req-42")

    [record] = [r for r in caplog.records if r.name == "aftersales.core.api"]
    assert record.levelno == logging.ERROR
    assert record.request_id == "req-42"
    assert record.view == "CoverageView"
    assert record.method == "GET"
    assert record.exc_info[1].args == ("secret boom",)


def test_a_stray_integrity_error_is_a_conflict_not_a_500(api, device, offering):
    with mock.patch(
        "aftersales.plans.api.views.plan_bind", side_effect=IntegrityError("duplicate key")
    ):
        response = api.post(
            "/api/v1/plans",
            {
                "serial_number": device.serial_number,
                "offering": offering.code,
                "purchase_country": "FR",
            },
            format="json",
        )

    assert_refused(response, 409, "conflict")


def test_a_wrong_method_answers_405_in_json(api):
    response = api.delete("/api/v1/ping")

    assert_refused(response, 405, "method_not_allowed")


def test_every_rule_code_is_published(db):
    assert {
        "binding_window_passed",
        "already_has_plan",
        "region_mismatch",
        "not_sold_in_country",
        "model_not_covered",
        "code_invalid",
        "code_used",
        "plan_expired",
        "no_replacements_left",
    } <= set(published_codes())


def test_an_unknown_api_url_answers_json_not_found(api):
    response = api.get("/api/v1/no-such-endpoint")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"
