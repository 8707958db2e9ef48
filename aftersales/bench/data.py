"""The benchmarks' data: the demo catalogue, then a million devices and their plans, written
with COPY (a few seconds per million rows), the same every run (fixed seed).

Serial numbers are computed from the device's number, so that a load generator can ask for a
random known one without a list: `device_serial(n)` here, the same formula in the wrk scripts.
Devices 0 … plans-1 have a plan; the others have none.
"""

from __future__ import annotations

import csv
import json
import random
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from aftersales.catalog.models import ProductModel
from aftersales.demo.loader import load_demo
from aftersales.devices.models import Device
from aftersales.plans.choices import BindingChannel
from aftersales.plans.models import Offering, Plan, PlanDevice, SalesRegion, last_day_of_term
from aftersales.plans.services import _fee_schedule

SEED = 2026
# An odd multiplier that is not a multiple of 5 is a bijection modulo 10¹⁰: serial numbers are
# distinct and scattered over the index rather than in insertion order.
_SCATTER = 2_654_435_761
_SERIAL_SPACE = 10**10
DEVICE_PREFIX = "BX"  # preloaded devices
IMPORT_PREFIX = "BI"  # the CSV of the import benchmark: none of them is registered yet
# Where the benchmark devices are bought: countries of several sales regions.
COUNTRIES = ("FR", "DE", "IT", "ES", "NL", "BE", "GB", "CH", "NO", "US", "CA", "AU")
_CHUNK = 50_000

Progress = Callable[[int], object]


def device_serial(n: int, prefix: str = DEVICE_PREFIX) -> str:
    """The serial number of benchmark device n (also computed by `wrk/*.lua`)."""
    return f"{prefix}{(n * _SCATTER) % _SERIAL_SPACE:010d}"


def bench_data_load(*, devices: int, plans: int, progress: Progress | None = None) -> None:
    """Loads the demo catalogue, `devices` devices and a plan for the first `plans` of them."""
    if plans > devices:
        raise ValueError("There cannot be more plans than devices.")
    if Device.objects.filter(serial_number__startswith=DEVICE_PREFIX).exists():
        raise ValueError("The benchmark devices are already loaded: use a fresh database.")
    load_demo()
    rng = random.Random(SEED)
    now = timezone.now()
    offerings = _offerings_by_model()
    model_ids = sorted(offerings)
    regions = {country: SalesRegion.objects.for_country(country).get() for country in COUNTRIES}

    # Device n: (serial number, model id, country, activated at).
    units = []
    for n in range(devices):
        activated_at = None
        # A plan is bound within 48 hours of activation (FAQ 6): plan holders are activated.
        if n < plans or rng.random() < 0.85:
            activated_at = now - timedelta(seconds=rng.randrange(2 * 365 * 24 * 3600))
        units.append((device_serial(n), rng.choice(model_ids), rng.choice(COUNTRIES), activated_at))
    # Written in serial-number order (as the CSV import does): the unique index grows in order.
    order = sorted(range(devices), key=lambda n: units[n][0])
    first_id = _next_id(Device)
    device_ids = [0] * devices
    for position, n in enumerate(order):
        device_ids[n] = first_id + position
    _copy(
        Device,
        ("id", "serial_number", "model", "purchase_country", "activated_at", "created_at"),
        ((device_ids[n], *units[n][:3], _timestamp(units[n][3]), _timestamp(now)) for n in order),
        progress,
    )

    schedules: dict[tuple[int, int], str] = {}
    first_plan_id = _next_id(Plan)
    plan_rows = []
    for n in range(plans):
        serial_number, model_id, country, activated_at = units[n]
        offering, region = offerings[model_id], regions[country]
        key = (offering.pk, region.pk)
        if key not in schedules:
            schedule = json.dumps(_fee_schedule(offering=offering, region=region))
            schedules[key] = schedule.replace("\\", "\\\\")  # COPY's escape character
        assert activated_at is not None  # plan holders are activated (above)
        purchased_at = activated_at + timedelta(minutes=rng.randrange(48 * 60))
        starts_on = timezone.localdate(purchased_at)
        plan_rows.append(
            (
                first_plan_id + n,
                offering.pk,
                device_ids[n],
                serial_number,
                region.pk,
                country,
                _timestamp(purchased_at),
                starts_on.isoformat(),
                last_day_of_term(starts_on, offering.duration_months).isoformat(),
                offering.replacements_allowed,
                rng.choice((0, 0, 0, 1, 2)) if offering.replacements_allowed >= 2 else 0,
                schedules[key],
                BindingChannel.STORE_WITH_DEVICE.value,
                _timestamp(purchased_at),
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            )
        )
    _copy(
        Plan,
        (
            "id",
            "offering",
            "device",
            "original_serial_number",
            "region",
            "purchase_country",
            "purchased_at",
            "starts_on",
            "ends_on",
            "replacements_allowed",
            "replacements_used",
            "fee_schedule",
            "channel",
            "created_at",
            "reference",
        ),
        plan_rows,
        progress,
    )
    # "One plan per device, never renewed" lives in PlanDevice: every plan has its binding.
    # (The ledger's `plan_bound` events are left out: nothing benchmarked reads them.)
    _copy(
        PlanDevice,
        ("plan", "device", "bound_at", "unbind_reason", "case_number"),
        ((row[0], row[2], row[6], "", "") for row in plan_rows),
        None,
    )
    for model in (Device, Plan, PlanDevice):
        _reset_id_sequence(model)
    vacuum_analyze(Device, Plan, PlanDevice)


def vacuum_analyze(*models: Any) -> None:
    """Fresh statistics and visibility map for the tables just written, as autovacuum would
    leave them on a server that has had these rows for a while: without them the planner
    guesses (it read 2,900 rows of the support inbox's queue for its 50, guessing 50) and no
    count is taken from an index alone. PostgreSQL only, and not inside a transaction (the test
    suite's), where VACUUM cannot run."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def write_import_csv(path: Path, *, count: int) -> None:
    """The CSV file of the import benchmark: `count` devices none of which is registered."""
    rng = random.Random(SEED + 1)
    model_codes = sorted(
        ProductModel.objects.filter(offerings__is_active=True)
        .values_list("code", flat=True)
        .distinct()
    )
    now = timezone.now()
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["serial_number", "model", "purchase_country", "activated_at"])
        for n in range(count):
            activated_at = ""
            if rng.random() < 0.5:
                moment = now - timedelta(seconds=rng.randrange(365 * 24 * 3600))
                activated_at = moment.isoformat(timespec="seconds")
            writer.writerow(
                [
                    device_serial(n, IMPORT_PREFIX),
                    rng.choice(model_codes),
                    rng.choice(COUNTRIES),
                    activated_at,
                ]
            )


def _offerings_by_model() -> dict[int, Offering]:
    return {
        model.pk: offering
        for offering in Offering.objects.filter(is_active=True).prefetch_related("product_models")
        for model in offering.product_models.all()
    }


def _timestamp(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat() if moment else "\\N"


def _next_id(model: type[Any]) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _copy(
    model: type[Any],
    fields: tuple[str, ...],
    rows: Iterable[tuple[Any, ...]],
    progress: Progress | None,
) -> None:
    """COPY rows (values already in COPY's text format, nothing to escape) into the model's
    table, a chunk at a time."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(sql) as copy:
        chunk: list[str] = []
        for row in rows:
            chunk.append("\t".join(map(str, row)) + "\n")
            if len(chunk) >= _CHUNK:
                copy.write("".join(chunk))
                if progress:
                    progress(len(chunk))
                chunk.clear()
        copy.write("".join(chunk))
        if progress:
            progress(len(chunk))


def _reset_id_sequence(model: type[Any]) -> None:
    # The ids were written explicitly: the next one the sequence gives must follow them.
    table = model._meta.db_table
    quoted = connection.ops.quote_name(table)
    sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {quoted}))"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [table])
