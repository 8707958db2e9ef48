from __future__ import annotations

import logging
from unittest import mock

from django.db import OperationalError, connection


def test_the_health_check_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_answers_503_when_the_database_does_not(client, db, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="aftersales.core.views"),
        mock.patch.object(connection, "cursor", side_effect=OperationalError("down")),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert "database does not answer" in caplog.text


def test_the_health_check_only_answers_get(client, db):
    assert client.post("/healthz").status_code == 405
