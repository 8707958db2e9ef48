from __future__ import annotations

import json
import logging
import sys

from django.core.exceptions import BadRequest

from aftersales.core.logging import JsonFormatter


def _record(**kwargs) -> logging.LogRecord:
    logger = logging.getLogger("aftersales.plans")
    return logger.makeRecord(
        logger.name,
        kwargs.pop("level", logging.WARNING),
        __file__,
        1,
        "Plan %s bound",
        ("P-1",),
        kwargs.pop("exc_info", None),
        extra=kwargs or None,
    )


def test_a_record_becomes_one_json_line_with_level_logger_and_message():
    line = JsonFormatter().format(_record())

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "aftersales.plans"
    assert entry["message"] == "Plan P-1 bound"
    assert "time" in entry
    assert "request_id" not in entry


def test_the_request_id_and_extra_fields_are_kept():
    class Unserialisable:
        def __repr__(self) -> str:
            return "<Unserialisable>"

    record = _record(request_id="req-1", case_number="R-42", count=3, thing=Unserialisable())

    entry = json.loads(JsonFormatter().format(record))

    assert entry["request_id"] == "req-1"
    assert entry["case_number"] == "R-42"
    assert entry["count"] == 3
    assert entry["thing"] == "<Unserialisable>"


def test_an_exception_is_written_with_its_traceback_on_the_same_line():
    try:
        raise ValueError("serial number unknown")
    except ValueError:
        record = _record(level=logging.ERROR, exc_info=sys.exc_info())

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert "Traceback" in entry["exception"]
    assert "ValueError: serial number unknown" in entry["exception"]


def test_non_ascii_messages_stay_readable():
    record = logging.makeLogRecord({"name": "x", "msg": "Caméra réparée", "levelname": "INFO"})

    assert "Caméra réparée" in JsonFormatter().format(record)


def test_a_refused_page_is_logged_by_name_without_its_traceback(client, customer, caplog):
    """Django logs the PermissionDenied (or bad request) it answered with a 4xx as a warning,
    with the exception: its name is kept, its traceback is not (it would bury the real errors).
    A 500 keeps its traceback (above)."""
    client.force_login(customer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/workshop/queues/to-evaluate/")
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None  # Django gives the exception…

    line = JsonFormatter().format(record)

    assert "Traceback" not in line
    entry = json.loads(line)
    assert entry["status_code"] == 403
    assert entry["exception"] == "django.core.exceptions.PermissionDenied"  # …its name


def test_a_bad_request_keeps_its_message_after_its_name():
    try:
        raise BadRequest("the multipart body is malformed")
    except BadRequest:
        record = _record(status_code=400, exc_info=sys.exc_info())

    entry = json.loads(JsonFormatter().format(record))

    assert entry["exception"] == (
        "django.core.exceptions.BadRequest: the multipart body is malformed"
    )
