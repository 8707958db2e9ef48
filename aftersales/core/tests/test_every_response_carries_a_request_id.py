from __future__ import annotations

import logging
import re

import pytest

from aftersales.core.logging import RequestIdFilter, request_id_var


def test_a_response_gets_a_new_request_id(client, db):
    response = client.get("/healthz")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_two_requests_get_different_ids(client, db):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_a_valid_incoming_request_id_is_kept(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-2024.abc_DEF-42"})

    assert response["X-Request-ID"] == "lb-2024.abc_DEF-42"


@pytest.mark.parametrize(
    "incoming",
    ["has spaces", "semi;colon", "x" * 65, "<script>", "é"],
    ids=["spaces", "punctuation", "too-long", "markup", "non-ascii"],
)
def test_an_invalid_incoming_request_id_is_replaced(client, db, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_request_id_is_on_error_pages_too(client, db):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "trace-404"})

    assert response.status_code == 404
    assert response["X-Request-ID"] == "trace-404"


def test_log_records_carry_the_current_request_id():
    record = logging.makeLogRecord({"msg": "hello"})
    token = request_id_var.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)

    assert record.request_id == "abc123"


def test_log_records_outside_a_request_have_no_request_id():
    record = logging.makeLogRecord({"msg": "hello"})

    RequestIdFilter().filter(record)

    assert record.request_id is None
