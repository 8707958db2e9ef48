"""Structured logs: one JSON object per line, carrying the request id when there is one."""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value if _is_json_safe(value) else repr(value)
        if record.exc_info and _answered_4xx(record):
            # A request refused (Django logs the PermissionDenied or bad request it answered):
            # its name says it all; a traceback would bury the real errors.
            entry["exception"] = _exception_name(record.exc_info)
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _answered_4xx(record: logging.LogRecord) -> bool:
    status = getattr(record, "status_code", None)
    return isinstance(status, int) and 400 <= status < 500


def _exception_name(exc_info: Any) -> str:
    error = exc_info[1]
    name = f"{type(error).__module__}.{type(error).__qualname__}"
    return f"{name}: {error}" if str(error) else name


def _is_json_safe(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | type(None) | list | dict)
