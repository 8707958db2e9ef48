"""Bulk registration of devices from a CSV file (a factory or reseller feed).

Built to stream a million rows: the file is read row by row, model codes are mapped once,
existing serial numbers are looked up once per batch, and rows are inserted with bulk_create.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries

from aftersales.catalog.models import ProductModel

from .models import Device, normalize_serial_number

COLUMNS = ("serial_number", "model", "purchase_country", "activated_at")
_SERIAL = re.compile(r"[A-Z0-9]{4,40}")


_EXISTING_SQL_POSTGRESQL = (
    "SELECT d.serial_number FROM unnest(%s::varchar[]) AS s(serial_number) "
    "JOIN devices_device d ON d.serial_number = s.serial_number"
)


class ImportFileError(Exception):
    """The file cannot be imported at all (its header is wrong)."""


@dataclass
class ImportResult:
    created: int = 0
    skipped_existing: int = 0
    errors: int = 0
    rows: int = 0
    error_lines: list[tuple[int, str]] = field(default_factory=list)


def _parse_activated_at(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    parsed = datetime.fromisoformat(value)  # ValueError when not ISO 8601
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


Row = tuple[str, int, str, datetime | None]  # serial number, model id, country, activated at


def _parse_row(
    row: dict[str, str | None],
    model_ids: dict[str, int],
    country_codes: frozenset[str],
    now: datetime,
) -> Row:
    """The row's values, checked and normalised, or ValueError with what is wrong."""
    problems = []
    serial_number = normalize_serial_number(row.get("serial_number") or "")
    if not _SERIAL.fullmatch(serial_number):
        problems.append(f"serial number {serial_number!r} is not 4 to 40 letters and digits")
    model_code = (row.get("model") or "").strip()
    model_id = model_ids.get(model_code)
    if model_id is None:
        problems.append(f"unknown model {model_code!r}")
    country = (row.get("purchase_country") or "").strip().upper()
    if country and country not in country_codes:
        problems.append(f"unknown country {country!r} (ISO 3166 alpha-2 expected)")
    try:
        activated_at = _parse_activated_at(row.get("activated_at") or "")
    except ValueError:
        problems.append(f"activation date {row.get('activated_at')!r} is not ISO 8601")
        activated_at = None
    if activated_at and activated_at > now:
        problems.append("activation date is in the future")
    if problems:
        raise ValueError("; ".join(problems))
    return serial_number, model_id, country, activated_at  # type: ignore[return-value]


def _existing_serials(serials: list[str]) -> set[str]:
    if connection.vendor == "postgresql":
        # One array parameter, joined so that each serial is an index lookup (a long IN list
        # or = ANY() makes the planner scan the whole table).
        with connection.cursor() as cursor:
            cursor.execute(_EXISTING_SQL_POSTGRESQL, [serials])
            return {serial for (serial,) in cursor.fetchall()}
    return set(
        Device.objects.filter(serial_number__in=serials).values_list("serial_number", flat=True)
    )


def read_rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(line number, row) for each data row; ImportFileError when a column is missing."""
    reader = csv.DictReader(lines)
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ImportFileError(f"missing column(s): {', '.join(missing)}")
    for row in reader:
        yield reader.line_num, row


def import_devices(
    rows: Iterable[tuple[int, dict[str, str | None]]],
    *,
    batch_size: int = 5000,
    on_error: Callable[[int, str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Register new devices; existing serial numbers are skipped, bad rows reported."""
    result = ImportResult()
    model_ids = dict(ProductModel.objects.values_list("code", "id"))
    country_codes = frozenset(countries.countries)
    now = timezone.now()
    seen: set[str] = set()  # serials met earlier in the file
    batch: list[Row] = []

    def error(line: int, message: str) -> None:
        result.errors += 1
        if on_error:
            on_error(line, message)

    def flush() -> None:
        if not batch:
            return
        existing = _existing_serials([row[0] for row in batch])
        new = [
            Device(
                serial_number=serial_number,
                model_id=model_id,
                purchase_country=country,
                activated_at=activated_at,
            )
            for serial_number, model_id, country, activated_at in batch
            if serial_number not in existing
        ]
        with transaction.atomic():
            # ignore_conflicts: a unit registered by someone else meanwhile is not an error.
            Device.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
        result.created += len(new)
        result.skipped_existing += len(existing)
        if on_progress:
            on_progress(len(batch))
        batch.clear()

    for line, row in rows:
        result.rows += 1
        try:
            values = _parse_row(row, model_ids, country_codes, now)
        except ValueError as problem:
            error(line, str(problem))
            if on_progress:
                on_progress(1)
            continue
        if values[0] in seen:
            error(line, f"serial number {values[0]} appears earlier in the file")
            if on_progress:
                on_progress(1)
            continue
        seen.add(values[0])
        batch.append(values)
        if len(batch) >= batch_size:
            flush()
    flush()
    return result
