"""The workshop's benchmark data (issue 8, "Speed"): 200,000 submitted cases spread over every
status of a case's life, each with what its status implies — the timeline of its moves (who,
when, from, to, visible or not), the reception, evaluation, quote and its lines, the customer's
answer, payments, parts used, plan replacements (the plan moved to the new unit, its ledger, the
unit in the customer's account), return shipments, holds — and staff of every role logged in
without the login form (sessions written directly, a CSRF cookie each).

Run after `bench_data` (it takes its units and plans): `manage.py bench_workshop_data --output
manifest.json`. The manifest gives the staff sessions and samples to ask for: case numbers by
use (to scan, to open, to move one step), serial numbers (current and former), e-mails.

Written with COPY on PostgreSQL (the SQLite path, row by row, is for the test suite's small
runs), a chunk of cases at a time; the same data every run (fixed seed; the cases are planned
first, by a pure function, then written). Times count back from now, like `bench_data`'s.

The cases are filed by serial number: their units stay in no account (as `bench_data` left
them), but the new unit of a plan replacement, which the workshop puts in the customer's account
(`workshop.services.case_replace_unit`).

Each case follows one of the workshop's paths (a warranty repair, a paid repair, a plan
replacement after a quote, an Express replacement, a refused quote, a withdrawal) up to its
status, and every move of its timeline is one that `repairs.lifecycle.MOVES` allows, with the
records its guard asks for. What is simplified: the coverage decisions are copies of one real
decision per outcome (their reasons' texts name that first unit's dates), and a unit under a
plan is replaced at most once.
"""

from __future__ import annotations

import functools
import json
import random
import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, F, JSONField, OuterRef
from django.utils import timezone

from aftersales.accounts.choices import Role
from aftersales.accounts.models import Address, User
from aftersales.catalog.models import Component, ProductModel, RepairCentre
from aftersales.catalog.selectors import zone_for_country
from aftersales.core.business_time import BusinessCalendar
from aftersales.devices.models import Device
from aftersales.plans.choices import PlanEventKind, UnbindReason
from aftersales.plans.models import Plan, PlanDevice, PlanEvent
from aftersales.repairs import sla
from aftersales.repairs.case_numbers import ALPHABET
from aftersales.repairs.choices import (
    AccidentCause,
    ActorKind,
    EvaluatedCause,
    EventKind,
    ExpressFlag,
    ExpressResolution,
    HoldReason,
    Liability,
    PaymentMethod,
    PaymentPurpose,
    Problem,
    PurchaseChannel,
    QuoteLineKind,
    QuoteOption,
    ReceivedContents,
    ReplacementKind,
    RequestStatus,
    ServiceType,
    Shipment,
)
from aftersales.repairs.coverage import coverage_snapshot
from aftersales.repairs.models import (
    CaseEvent,
    Evaluation,
    ExpressReturn,
    PartUsed,
    Payment,
    Quote,
    QuoteAnswer,
    QuoteLine,
    Reception,
    RepairRequest,
    Replacement,
    ReturnShipment,
    SlaClock,
)
from aftersales.repairs.parcels import RETURN_LABEL_BUSINESS_DAYS
from aftersales.workshop.services import quote_defaults

from .data import SEED, _reset_id_sequence, device_serial, vacuum_analyze
from .repairs_data import _session_key

S = RequestStatus
CUSTOMER_EMAIL = "bench-owner-{:06d}@example.com"
STAFF_EMAIL = "bench-{}@example.com"
REPLACEMENT_PREFIX = "BR"  # the new units handed out by plan replacements
_CHUNK = 10_000  # cases planned and written at a time
_SCATTER = 2_654_435_761  # coprime with 10: a bijection on the case numbers' seven digits

# How the cases spread over the statuses (shares of the total; every status gets one at least):
# most are history, the open ones fill the work queues.
STATUS_SHARES: dict[str, float] = {
    S.SUBMITTED: 0.12,
    S.RECEIVED: 0.04,
    S.EVALUATING: 0.05,
    S.QUOTED: 0.06,
    S.AWAITING_PAYMENT: 0.03,
    S.REPAIRING: 0.06,
    S.REPLACING: 0.03,
    S.RETURNING_UNREPAIRED: 0.02,
    S.QUALITY_CHECK: 0.03,
    S.READY_TO_SHIP: 0.04,
    S.SHIPPED: 0.05,
    S.ON_HOLD: 0.02,
    S.CANCELLED: 0.05,
    S.EXPRESS_SHIPPED: 0.01,
    S.EXPRESS_RETURNED: 0.005,
    S.CLOSED: 0.40,
}

# The workshop's paths (workshop/services.py), as steps; a step makes a move (its status) or
# records something without one (None).
STEP_STATUS: dict[str, str | None] = {
    "submit": S.SUBMITTED,
    "receive": S.RECEIVED,
    "start": S.EVALUATING,
    "evaluate": None,
    "warranty": S.REPAIRING,
    "quote": S.QUOTED,
    "answer": None,  # its status depends on the answer (below)
    "pay": None,  # idem: repairing or replacing
    "express_due": S.AWAITING_PAYMENT,
    "express_ship": S.EXPRESS_SHIPPED,
    "express_back": S.CLOSED,
    "express_back_flagged": S.EXPRESS_RETURNED,
    "express_charge": None,
    "replace": None,
    "replacement_done": S.QUALITY_CHECK,
    "repair_done": S.QUALITY_CHECK,
    "check": S.READY_TO_SHIP,
    "fee_paid": None,
    "return_ready": S.READY_TO_SHIP,
    "ship": S.SHIPPED,
    "close": S.CLOSED,
    "hold": S.ON_HOLD,
    "cancel": S.CANCELLED,
}
_FRONT = ("submit", "receive", "start", "evaluate")
_BACK = ("check", "ship", "close")
PATHS: dict[str, tuple[str, ...]] = {
    # FAQ 8: a defect under the warranty is repaired free, without a quote.
    "warranty": (*_FRONT, "warranty", "repair_done", *_BACK),
    # No coverage: the customer pays the repair at the quoted price.
    "repair": (*_FRONT, "quote", "answer", "pay", "repair_done", *_BACK),
    # FAQ 10: « … remplacer l'appareil avec DJI Care Refresh » for the contract's fee.
    "plan": (*_FRONT, "quote", "answer", "pay", "replace", "replacement_done", *_BACK),
    # Seed 001, FAQ 3: Express, no liability assessed, no quote: the fee paid, the replacement
    # shipped ahead, the damaged unit back whole; or back without its battery (flagged), the
    # difference charged, closed.
    "express": ("submit", "express_due", "pay", "express_ship", "express_back"),
    "express_flagged": (
        "submit",
        "express_due",
        "pay",
        "express_ship",
        "express_back_flagged",
        "express_charge",
        "close",
    ),
    # Refused: the evaluation fee, and the unit goes back unrepaired.
    "refuse": (*_FRONT, "quote", "answer", "fee_paid", "return_ready", "ship", "close"),
    # Withdrawn before the parcel was sent.
    "cancel": ("submit", "cancel"),
}
PATH_WEIGHTS = {
    "warranty": 30,
    "repair": 28,
    "plan": 25,
    "refuse": 12,
    "express": 4,
    "express_flagged": 1,
}
EXPRESS_PATHS = ("express", "express_flagged")
ANSWERS = {"repair": QuoteOption.REPAIR, "plan": QuoteOption.PLAN_REPLACEMENT}
PAID_STATUS = {
    "repair": S.REPAIRING,
    "plan": S.REPLACING,
    "express": S.REPLACING,
    "express_flagged": S.REPLACING,
}
ROLES = (Role.RECEPTION, Role.TECHNICIAN, Role.AGENT, Role.ANALYST, Role.ADMINISTRATOR)
# Where the customers live (all served by the European zone and its repair centre).
CITIES = (
    ("FR", "fr", "Paris", "75011", "rue Oberkampf", "+33612345678"),
    ("FR", "fr", "Lyon", "69002", "rue de la République", "+33698765432"),
    ("DE", "en", "Berlin", "10115", "Invalidenstraße", "+4915123456789"),
    ("NL", "en", "Amsterdam", "1016 GV", "Prinsengracht", "+31612345678"),
    ("ES", "en", "Madrid", "28014", "Calle de Alcalá", "+34612345678"),
    ("IT", "en", "Milano", "20121", "Via Brera", "+393123456789"),
    ("BE", "fr", "Bruxelles", "1000", "Rue Neuve", "+32470123456"),
)
PART_PRICE = Decimal("159.00")
# The Express fee added to the plan's (the offerings' demo and bench figure).
EXPRESS_FEE = Decimal("49.00")


class RawJson(str):
    """A JSON document already serialised (insert_rows writes it as it is)."""


# The problems ticked: accident damage, or (under the warranty) the gimbal.
_PROBLEMS = {
    True: RawJson(json.dumps([Problem.ACCIDENT_DAMAGE.value])),
    False: RawJson(json.dumps([Problem.GIMBAL_CAMERA.value])),
}


# --- What is read from the database first --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    serial_number: str
    model_id: int
    country: str


@dataclass(frozen=True, slots=True)
class PlanUnit:
    id: int
    unit: Unit
    replacements_used: int
    replacements_allowed: int
    fee_schedule: dict[str, Any]

    def fee(self) -> dict[str, str]:
        number = self.replacements_used + 1
        for row in self.fee_schedule.get("replacements", []):
            if row["number"] == number:
                return {"amount": str(row["amount"]), "currency": str(row["currency"])}
        raise ValueError(f"Plan {self.id} has no fee for replacement {number}.")


@dataclass
class Pools:
    """Units in no account that the cases are about: in their warranty's first year (the
    warranty path), older ones without a plan (paid repairs, refusals, withdrawals), and plans
    with a replacement left, active for the last 90 days (plan and Express replacements)."""

    warranty: list[Unit]
    old: list[Unit]
    plans: list[PlanUnit]
    express_plans: list[PlanUnit]


def pools_read(*, now: datetime, needed: int) -> Pools:
    today = timezone.localdate(now)
    bound = PlanDevice.objects.filter(device=OuterRef("pk"))
    free = Device.objects.filter(owner__isnull=True).filter(~Exists(bound))
    warranty = free.filter(
        activated_at__gte=now - timedelta(days=270), activated_at__lte=now - timedelta(days=95)
    )
    old = free.filter(activated_at__lte=now - timedelta(days=430))

    def units(queryset: Any) -> list[Unit]:
        rows = queryset.order_by("pk").values_list(
            "pk", "serial_number", "model_id", "purchase_country"
        )[:needed]
        return [
            Unit(pk, serial, model, str(country or "FR")) for pk, serial, model, country in rows
        ]

    plans = (
        Plan.objects.filter(
            device__owner__isnull=True,
            starts_on__lte=today - timedelta(days=90),
            ends_on__gt=today,
        )
        .filter(replacements_used__lt=F("replacements_allowed"))
        .order_by("pk")
        .values_list(
            "pk",
            "device_id",
            "device__serial_number",
            "device__model_id",
            "device__purchase_country",
            "replacements_used",
            "replacements_allowed",
            "fee_schedule",
            "offering__express_offered",
        )[:needed]
    )
    with_plan: list[PlanUnit] = []
    express: list[PlanUnit] = []
    for pk, device, serial, model, country, used, allowed, schedule, express_offered in plans:
        item = PlanUnit(
            pk, Unit(device, serial, model, str(country or "FR")), used, allowed, schedule
        )
        (express if express_offered else with_plan).append(item)
    return Pools(warranty=units(warranty), old=units(old), plans=with_plan, express_plans=express)


# --- The plan of each case (pure: the same pools and seed give the same cases) -------------------


@dataclass(slots=True)
class CasePlan:
    index: int
    status: str
    path: str
    customer: int  # index of the customer
    unit: Unit
    plan: PlanUnit | None
    steps: list[str]
    times: list[datetime]
    hold_reason: str = ""
    flagged: bool = False  # reception found a serial number that differs


def case_number_of(index: int) -> str:
    """The benchmark case number n: seven scattered digits (distinct for every n below ten
    million), six letters of the case numbers' alphabet."""
    digits = (index * _SCATTER) % 10**7
    value = (index * 40_503 + 104_729) % len(ALPHABET) ** 6
    letters = ""
    for _ in range(6):
        value, position = divmod(value, len(ALPHABET))
        letters += ALPHABET[position]
    return f"CAS-{digits:07d}-{letters}"


def status_counts(total: int) -> dict[str, int]:
    counts: dict[str, int] = {
        status: max(1, round(share * total)) for status, share in STATUS_SHARES.items()
    }
    counts[S.CLOSED] += total - sum(counts.values())
    if counts[S.CLOSED] < 1:
        raise ValueError(f"Too few cases for every status: at least {len(STATUS_SHARES)}.")
    return counts


# The statuses a bench case is put on hold from.
HOLDABLE_HERE = (S.RECEIVED, S.EVALUATING, S.REPAIRING)


@functools.cache
def _paths_reaching(status: str) -> list[str]:
    if status == S.CANCELLED:
        return ["cancel"]
    if status == S.ON_HOLD:
        return [path for path in PATH_WEIGHTS if set(_statuses(path)) & set(HOLDABLE_HERE)]
    return [path for path in PATH_WEIGHTS if status in _statuses(path)]


@functools.cache
def _statuses(path: str) -> list[str]:
    status: str = S.DRAFT
    seen: list[str] = []
    for step in PATHS[path]:
        status = _after(path, step, status)
        seen.append(status)
    return seen


def _after(path: str, step: str, status: str) -> str:
    if step == "answer":
        return S.RETURNING_UNREPAIRED if path == "refuse" else S.AWAITING_PAYMENT
    if step == "pay":
        return PAID_STATUS[path]
    return STEP_STATUS[step] or status


def cases_plan(
    *, total: int, customers: int, pools: Pools, now: datetime, seed: int = SEED
) -> list[CasePlan]:
    """Which case is what: status, path, customer, unit (and plan), the steps taken and when."""
    rng = random.Random(seed + 8)
    statuses = [status for status, count in status_counts(total).items() for _ in range(count)]
    rng.shuffle(statuses)
    warranty, old = list(pools.warranty), list(pools.old)
    plans, express_plans = list(pools.plans), list(pools.express_plans)
    for pool in (warranty, old, plans, express_plans):
        rng.shuffle(pool)
    # Per customer: their units without a plan whose last case is over (a second case about the
    # same unit makes its history across cases).
    finished: dict[tuple[int, str], list[Unit]] = {}
    planned = []
    for index, status in enumerate(statuses):
        paths = _paths_reaching(status)
        if not express_plans:
            paths = [path for path in paths if path not in EXPRESS_PATHS] or paths
        path = rng.choices(paths, [PATH_WEIGHTS.get(path, 1) for path in paths])[0]
        customer = rng.randrange(customers)
        plan: PlanUnit | None = None
        if path == "plan" or path in EXPRESS_PATHS:
            source = express_plans if path in EXPRESS_PATHS else (plans or express_plans)
            if not source:
                raise ValueError("Not enough plans with a replacement left: load more plans.")
            plan = source.pop()
            unit = plan.unit
        else:
            kind = "warranty" if path == "warranty" else "old"
            mine = finished.get((customer, kind))
            if mine and rng.random() < 0.2:
                unit = mine.pop()
            else:
                pool = warranty if kind == "warranty" else old
                if not pool:
                    raise ValueError(f"Not enough units for the {kind} cases: load more devices.")
                unit = pool.pop()
        steps = _steps_to(path, status, rng)
        hold_reason = ""
        if status == S.ON_HOLD:
            hold_reason = rng.choice(
                [HoldReason.WAITING_FOR_PARTS, HoldReason.WAITING_FOR_CUSTOMER]
            )
        times = _times(steps, status, path, now, rng)
        planned.append(
            CasePlan(
                index=index,
                status=status,
                path=path,
                customer=customer,
                unit=unit,
                plan=plan,
                steps=steps,
                times=times,
                hold_reason=hold_reason,
                flagged=rng.random() < 0.02,
            )
        )
        if status in (S.CLOSED, S.CANCELLED) and plan is None:
            kind = "warranty" if path == "warranty" else "old"
            finished.setdefault((customer, kind), []).append(unit)
    return planned


def _steps_to(path: str, status: str, rng: random.Random) -> list[str]:
    """The path's steps up to `status`; then, by chance, the records made in that status before
    the next move (an evaluation being written, a replacement recorded, a fee paid)."""
    target = status
    if status == S.ON_HOLD:
        holdable = [s for s in HOLDABLE_HERE if s in _statuses(path)]
        target = rng.choice(holdable)
    steps: list[str] = []
    current: str = S.DRAFT
    full = PATHS[path]
    position = 0
    while current != target:
        step = full[position]
        steps.append(step)
        current = _after(path, step, current)
        position += 1
    # Records that do not move the case.
    while position < len(full) and _is_record(full[position]) and rng.random() < 0.5:
        steps.append(full[position])
        position += 1
    if status == S.ON_HOLD:
        steps.append("hold")
    return steps


def _replaced(case: CasePlan) -> bool:
    """The unit was replaced under the plan: after a quote, or shipped ahead (Express)."""
    return "replace" in case.steps or "express_ship" in case.steps


def _is_record(step: str) -> bool:
    return step in ("evaluate", "replace", "fee_paid", "express_charge")


def _times(
    steps: list[str], status: str, path: str, now: datetime, rng: random.Random
) -> list[datetime]:
    gaps = [timedelta(0)]
    for step in steps[1:]:
        if _is_record(step):
            gaps.append(timedelta(minutes=rng.uniform(5, 120)))
        else:
            gaps.append(timedelta(days=rng.uniform(0.1, 2.0)))
    if status in (S.CLOSED, S.CANCELLED):
        # Plans and warranties are recent (their units were chosen so): their history too.
        longest = 60 if path in ("plan", "warranty", *EXPRESS_PATHS) else 400
        in_status = timedelta(days=rng.uniform(1, longest))
    else:
        in_status = timedelta(days=rng.uniform(0.01, 12))
    start = now - sum(gaps, timedelta(0)) - in_status
    times = []
    moment = start
    for gap in gaps:
        moment += gap
        times.append(moment)
    return times


# --- Writing -------------------------------------------------------------------------------------


@dataclass
class _Context:
    now: datetime
    zone_id: int
    centre_id: int
    staff: dict[str, int]  # role -> user id
    components: dict[int, int]  # model id -> its main component id
    component_names: dict[int, str]  # component id -> English name
    component_codes: dict[int, str]
    customer_ids: list[int]
    customer_emails: list[str]
    snapshots: list[dict[str, Any]]  # per customer: the return address as sent
    snapshots_json: list[str]  # the same, serialised once
    languages: list[str]
    coverage: dict[str, dict[str, Any]]  # outcome -> a real decision to copy
    terms: dict[str, Any]
    # The centre's calendar and targets: each case's service level clocks (`repairs.sla`).
    calendar: BusinessCalendar
    targets: sla.Targets
    ids: dict[type, int] = field(default_factory=dict)
    bindings: dict[int, int] = field(default_factory=dict)  # plan id -> its unit's binding
    # (outcome, the keys a case has of its own) -> the rest of the decision, as JSON
    coverage_json: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    def next_id(self, model: type) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value


class _Rows:
    """Rows waiting to be written, per model."""

    def __init__(self) -> None:
        self.rows: dict[type, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = {}

    def add(self, model: type, fields: tuple[str, ...], row: tuple[Any, ...]) -> None:
        self.rows.setdefault(model, (fields, []))[1].append(row)

    def flush(self) -> None:
        # Referenced tables first, one transaction: a chunk is written whole or not at all.
        with transaction.atomic():
            for model in sorted(self.rows, key=_TABLES.index):
                fields, rows = self.rows[model]
                insert_rows(model, fields, rows)
        self.rows.clear()


def insert_rows(model: type, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Writes rows of `fields` (names or attnames); every other column gets its field's default
    (auto_now fields: now). COPY on PostgreSQL, INSERTs elsewhere."""
    meta = model._meta  # type: ignore[attr-defined]
    given = [meta.get_field(name) for name in fields]
    named = {f.attname for f in given}
    now = timezone.now()
    rest = []
    for f in meta.concrete_fields:
        if f.attname in named or f.primary_key:
            continue  # an id not given is the database's to number
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            rest.append((f, now))
        else:
            rest.append((f, f.get_default()))
    columns = given + [f for f, _ in rest]
    tail = tuple(value for _, value in rest)
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns)
    table = quote(meta.db_table)
    json_at = [i for i, f in enumerate(columns) if isinstance(f, JSONField)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    values = list(row) + list(tail)
                    for i in json_at:
                        if not isinstance(values[i], RawJson):
                            values[i] = json.dumps(values[i])
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (our own names)
                [
                    tuple(
                        value
                        if isinstance(value, RawJson)
                        else f.get_db_prep_save(value, connection)
                        for f, value in zip(columns, list(row) + list(tail), strict=True)
                    )
                    for row in rows
                ],
            )


def update_rows(model: type, fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Sets `fields` of the rows whose id is each row's first value."""
    if not rows:
        return
    meta = model._meta  # type: ignore[attr-defined]
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quote(f.column) for f in columns)
            cursor.execute(
                f"CREATE TEMP TABLE bench_changes ON COMMIT DROP AS "  # noqa: S608
                f"SELECT id, {names} FROM {table} WITH NO DATA"
            )
            with cursor.copy(f"COPY bench_changes (id, {names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            sets = ", ".join(f"{quote(f.column)} = c.{quote(f.column)}" for f in columns)
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM bench_changes c WHERE {table}.id = c.id"  # noqa: S608
            )
            cursor.execute("DROP TABLE bench_changes")
        else:
            sets = ", ".join(f"{quote(f.column)} = %s" for f in columns)
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE id = %s",  # noqa: S608
                [
                    (
                        *(
                            f.get_db_prep_save(value, connection)
                            for f, value in zip(columns, row[1:], strict=True)
                        ),
                        row[0],
                    )
                    for row in rows
                ],
            )


_TABLES = (
    User,
    Address,
    Device,
    PlanDevice,
    PlanEvent,
    RepairRequest,
    CaseEvent,
    Reception,
    Evaluation,
    Evaluation.damaged_components.through,
    Quote,
    QuoteLine,
    QuoteAnswer,
    Payment,
    PartUsed,
    Replacement,
    ReturnShipment,
    SlaClock,
    ExpressReturn,
)


def bench_workshop_load(
    *,
    cases: int,
    customers: int,
    progress: Callable[[int], object] | None = None,
    trusted: bool = False,
) -> dict[str, Any]:
    """Creates the staff and their sessions, the customers and their cases; returns the
    manifest. `trusted` (on PostgreSQL): the foreign keys of what is written are not checked
    row by row at each commit (when the role may turn them off), and the tables' indexes are
    built once at the end; the test suite runs the same generator with both on."""
    if User.objects.filter(email=CUSTOMER_EMAIL.format(0)).exists():
        raise ValueError("The workshop benchmark data is already loaded: use a fresh database.")
    if customers < 1 or cases < len(STATUS_SHARES):
        raise ValueError(f"At least one customer and {len(STATUS_SHARES)} cases.")
    now = timezone.now()
    pools = pools_read(now=now, needed=cases)
    planned = cases_plan(total=cases, customers=customers, pools=pools, now=now)
    context = _context(now=now, customers=customers, pools=pools)
    context.bindings = _bindings([c.plan.id for c in planned if c.plan and _replaced(c)])
    with _indexes_built_afterwards(_FILLED if trusted else ()):
        _write(planned, context, progress, trusted=trusted)
    _finish()
    return _manifest(planned, context)


def _write(
    planned: list[CasePlan],
    context: _Context,
    progress: Callable[[int], object] | None,
    *,
    trusted: bool,
) -> None:
    """Writes the cases a chunk at a time, each chunk in one transaction."""
    for start in range(0, len(planned), _CHUNK):
        rows = _Rows()
        plan_changes: list[tuple[Any, ...]] = []
        unbound: list[tuple[Any, ...]] = []
        for case in planned[start : start + _CHUNK]:
            _case_rows(case, context, rows, plan_changes, unbound)
        with transaction.atomic():
            if trusted:
                _skip_foreign_key_checks()
            # A plan has one current unit (a constraint): the old binding ends before the new
            # one is written; the plan points to its new unit once that unit exists.
            update_rows(PlanDevice, ("unbound_at", "unbind_reason"), unbound)
            rows.flush()
            update_rows(Plan, ("device", "replacements_used"), plan_changes)
        if progress:
            progress(len(planned[start : start + _CHUNK]))


# The tables this generator fills (nearly empty before it runs).
_FILLED = (
    RepairRequest,
    CaseEvent,
    Reception,
    Evaluation,
    Evaluation.damaged_components.through,
    Quote,
    QuoteLine,
    QuoteAnswer,
    Payment,
    PartUsed,
    Replacement,
    ReturnShipment,
    SlaClock,
    ExpressReturn,
)


@contextmanager
def _indexes_built_afterwards(models: Sequence[type]) -> Iterator[None]:
    """On PostgreSQL, drops the indexes of these tables that back no constraint (primary keys and
    unique constraints stay) and builds them again at the end: one sort per index rather than an
    insertion per row, half the time of the COPYs."""
    if connection.vendor != "postgresql" or not models:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [[model._meta.db_table for model in models]],  # type: ignore[attr-defined]
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)


def _skip_foreign_key_checks() -> None:
    """For this transaction: PostgreSQL's foreign key checks are triggers, which the replica
    role does not fire (as when restoring a dump). Needs a superuser, or the right to set it
    (PostgreSQL 15+); without it the checks simply run."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def _context(*, now: datetime, customers: int, pools: Pools) -> _Context:
    zone = zone_for_country("FR")
    centre = RepairCentre.objects.filter(zone=zone).order_by("name", "pk").first()
    if zone is None or centre is None:
        raise ValueError("No zone or repair centre for France: load the demo catalogue first.")
    staff = _staff()  # saved one by one: before the ids the COPYs will write are counted
    ids = {model: _next_id(model) for model in _TABLES}
    context = _Context(
        now=now,
        zone_id=zone.pk,
        centre_id=centre.pk,
        staff=staff,
        components=_main_components(),
        component_names=dict(Component.objects.values_list("pk", "name_en")),
        component_codes=dict(Component.objects.values_list("pk", "code")),
        customer_ids=[],
        customer_emails=[],
        snapshots=[],
        snapshots_json=[],
        languages=[],
        coverage=_coverage_templates(pools, now),
        terms=quote_defaults(),
        calendar=centre.business_calendar(),
        targets=sla.targets_of(centre),
        ids=ids,
    )
    _customers(context, customers)
    return context


def _bindings(plan_ids: list[int]) -> dict[int, int]:
    """The current binding (PlanDevice) of each plan: unbound when its unit is replaced."""
    found: dict[int, int] = {}
    for start in range(0, len(plan_ids), 10_000):
        found.update(
            PlanDevice.objects.filter(
                plan_id__in=plan_ids[start : start + 10_000], unbound_at__isnull=True
            ).values_list("plan_id", "pk")
        )
    return found


def _next_id(model: type) -> int:
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()  # type: ignore[attr-defined]
    return (last or 0) + 1


def _staff() -> dict[str, int]:
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    staff: dict[str, int] = {}
    for role in ROLES:
        user = User.objects.filter(email=STAFF_EMAIL.format(role)).first() or User(
            email=STAFF_EMAIL.format(role),
            first_name="Bench",
            last_name=str(role).capitalize(),
            is_staff=True,
            preferred_language="fr" if role == Role.RECEPTION else "en",
            email_verified_at=timezone.now(),
        )
        user.set_unusable_password()  # logged in by session only
        user.save()
        user.groups.add(groups[role])
        staff[role] = user.pk
    return staff


def _main_components() -> dict[int, int]:
    main = {}
    for model in ProductModel.objects.prefetch_related("components"):
        ordered = sorted(model.components.all(), key=lambda c: (c.position, c.code))
        if ordered:
            main[model.pk] = ordered[0].pk
    return main


def _coverage_templates(pools: Pools, now: datetime) -> dict[str, dict[str, Any]]:
    """One real decision per outcome, asked of the coverage rules (repairs.coverage) for the
    first unit of each pool; the cases copy it with their own unit and plan."""
    templates: dict[str, dict[str, Any]] = {}
    samples = [
        ("warranty", pools.warranty, [Problem.GIMBAL_CAMERA]),
        ("not_covered", pools.old, [Problem.ACCIDENT_DAMAGE]),
        ("plan_replacement", [p.unit for p in pools.plans + pools.express_plans], [
            Problem.ACCIDENT_DAMAGE
        ]),
    ]  # fmt: skip
    models = {model.pk: model for model in ProductModel.objects.all()}
    for outcome, units, problems in samples:
        if not units:
            continue
        unit = units[0]
        request = RepairRequest(
            serial_number=unit.serial_number,
            problems=[str(p) for p in problems],
            product_model=models[unit.model_id],
        )
        templates[outcome] = coverage_snapshot(request)
    return templates


def _customers(context: _Context, count: int) -> None:
    rng = random.Random(SEED + 9)
    first_user = context.ids[User]
    first_address = context.ids[Address]
    users, addresses = [], []
    now = context.now
    for n in range(count):
        country, language, city, postcode, street, phone = CITIES[n % len(CITIES)]
        last_name = "".join(rng.choices(string.ascii_uppercase, k=1)) + "".join(
            rng.choices(string.ascii_lowercase, k=7)
        )
        email = CUSTOMER_EMAIL.format(n)
        joined = now - timedelta(days=rng.uniform(400, 900))
        users.append(
            (first_user + n, email, "!bench", "Owner", last_name, language, joined, joined)
        )
        full_name = f"Owner {last_name}"
        line = f"{n % 300 + 1} {street}"
        addresses.append(
            (first_address + n, first_user + n, full_name, line, postcode, city, country, phone)
        )
        snapshot = {
            "full_name": full_name,
            "company": "",
            "street": line,
            "street2": "",
            "postcode": postcode,
            "city": city,
            "country": country,
            "phone": phone,
            "vat_number": "",
            "country_name": country,
            "lines": [full_name, line, f"{postcode} {city}", country],
            "address_id": first_address + n,
        }
        context.customer_ids.append(first_user + n)
        context.customer_emails.append(email)
        context.snapshots.append(snapshot)
        context.snapshots_json.append(RawJson(json.dumps(snapshot)))
        context.languages.append(language)
    insert_rows(
        User,
        (
            "id",
            "email",
            "password",
            "first_name",
            "last_name",
            "preferred_language",
            "date_joined",
            "email_verified_at",
        ),
        users,
    )
    insert_rows(
        Address,
        ("id", "user", "full_name", "street", "postcode", "city", "country", "phone"),
        addresses,
    )
    context.ids[User] += count
    context.ids[Address] += count


def _local_date(moment: datetime) -> date:
    # timezone.localdate() looks the zone up on every call: a tenth of the run for 200,000 cases.
    return moment.astimezone(_ZONE).date()


_ZONE = timezone.get_default_timezone()


# --- One case's rows -----------------------------------------------------------------------------

_CASE_FIELDS = (
    "id",
    "user",
    "status",
    "status_changed_at",
    "hold_reason",
    "held_from_status",
    "current_step",
    "created_at",
    "updated_at",
    "zone",
    "country",
    "device",
    "serial_number",
    "product_model",
    "service_type",
    "problems",
    "description",
    "support_contacted",
    "purchase_channel",
    "received_on",
    "has_plan",
    "plan",
    "accident_cause",
    "express_requested",
    "express_serial_number",
    "shipment",
    "return_address",
    "terms_accepted_at",
    "case_number",
    "submitted_at",
    "repair_centre",
    "return_address_snapshot",
    "coverage",
    "return_label_due_by",
    "return_label_sent_at",
    "evaluation_fee",
    "evaluation_fee_currency",
    "language",
    "sla_due_at",
)
_EVENT_FIELDS = (
    "id",
    "request",
    "kind",
    "from_status",
    "status",
    "occurred_at",
    "actor",
    "actor_kind",
    "note",
    "customer_visible",
    "hold_reason",
)
_OUTCOMES = {
    "warranty": "warranty",
    "repair": "not_covered",
    "refuse": "not_covered",
    "cancel": "not_covered",
    "plan": "plan_replacement",
    "express": "plan_replacement",
    "express_flagged": "plan_replacement",
}
_EVALUATED = {
    "warranty": (EvaluatedCause.MANUFACTURING_DEFECT, Liability.PRODUCT),
    "repair": (EvaluatedCause.ACCIDENT, Liability.USER),
    "refuse": (EvaluatedCause.ACCIDENT, Liability.USER),
    "plan": (EvaluatedCause.ACCIDENT, Liability.USER),
    "express": (EvaluatedCause.ACCIDENT, Liability.NOT_ASSESSED),
}


def _coverage(case: CasePlan, context: _Context, on: date, **extra: Any) -> RawJson:
    """The case's coverage decision: the template of its outcome with the case's own unit,
    plan and date. Serialised here, the template's part once per outcome: the reasons' texts in
    every language are most of the document, and of the time json.dumps takes."""
    outcome = _OUTCOMES[case.path]
    own: dict[str, Any] = {
        "serial_number": case.unit.serial_number,
        "decided_on": on.isoformat(),
        "component": _component_code(case, context),
        **extra,
    }
    if case.plan is not None:
        own.update(
            plan_id=case.plan.id,
            replacement_number=case.plan.replacements_used + 1,
            replacements_allowed=case.plan.replacements_allowed,
            replacements_left=case.plan.replacements_allowed - case.plan.replacements_used,
            fee=case.plan.fee(),
        )
    rest = context.coverage_json.get((outcome, tuple(sorted(own))))
    if rest is None:
        template = context.coverage.get(outcome) or {"outcome": outcome, "reasons": []}
        others = {key: value for key, value in template.items() if key not in own}
        rest = context.coverage_json[(outcome, tuple(sorted(own)))] = json.dumps(others)
    head = json.dumps(own)
    return RawJson(head if rest == "{}" else f"{head[:-1]}, {rest[1:]}")


def _component_code(case: CasePlan, context: _Context) -> str:
    component = context.components.get(case.unit.model_id)
    return context.component_codes.get(component, "aircraft") if component else "aircraft"


def _case_rows(
    case: CasePlan,
    context: _Context,
    rows: _Rows,
    plan_changes: list[tuple[Any, ...]],
    unbound: list[tuple[Any, ...]],
) -> None:
    case_id = context.next_id(RepairRequest)
    number = case_number_of(case.index)
    user = context.customer_ids[case.customer]
    staff = context.staff
    submitted = case.times[0]
    status: str = S.DRAFT
    status_at = submitted
    component = context.components.get(case.unit.model_id)
    accident = case.path != "warranty"
    evaluation_id: int | None = None
    quote_id: int | None = None
    payment_id: int | None = None
    terms = context.terms
    options: list[dict[str, Any]] = []
    held_from = ""
    timeline: list[sla.Move] = []

    def event(
        at: datetime,
        *,
        to: str | None = None,
        actor: int | None,
        kind_of_actor: str = ActorKind.STAFF,
        kind: str = EventKind.STATUS,
        note: str = "",
        visible: bool = True,
    ) -> None:
        nonlocal status, status_at
        source = status
        held = case.hold_reason if to == S.ON_HOLD else ""
        if to is not None:
            status, status_at = to, at
            timeline.append(sla.Move(at, to, held))
        rows.add(
            CaseEvent,
            _EVENT_FIELDS,
            (
                context.next_id(CaseEvent),
                case_id,
                kind,
                source if to is not None else "",
                status,
                at,
                actor,
                kind_of_actor,
                note,
                visible,
                held,
            ),
        )

    for step, at in zip(case.steps, case.times, strict=True):
        if step == "submit":
            event(at, to=S.SUBMITTED, actor=user, kind_of_actor=ActorKind.CUSTOMER)
        elif step == "receive":
            rows.add(
                Reception,
                (
                    "request",
                    "received_at",
                    "received_by",
                    "contents",
                    "serial_number_read",
                    "serial_mismatch",
                    "battery_included",
                    "note",
                ),
                (
                    case_id,
                    at,
                    staff[Role.RECEPTION],
                    ReceivedContents.COMPLETE_SET,
                    "X" + case.unit.serial_number[1:] if case.flagged else case.unit.serial_number,
                    case.flagged,
                    None,
                    "",
                ),
            )
            event(at, to=S.RECEIVED, actor=staff[Role.RECEPTION])
            if case.flagged:
                event(
                    at,
                    actor=staff[Role.RECEPTION],
                    kind=EventKind.NOTE,
                    note="Serial number on the unit differs from the case. Check before going on.",
                    visible=False,
                )
        elif step == "start":
            event(at, to=S.EVALUATING, actor=staff[Role.TECHNICIAN])
        elif step == "evaluate":
            evaluation_id = context.next_id(Evaluation)
            cause, liability = _EVALUATED[case.path]
            evaluated = _coverage(
                case, context, _local_date(submitted), evaluated=True, liability=liability
            )
            rows.add(
                Evaluation,
                (
                    "id",
                    "request",
                    "evaluated_at",
                    "evaluated_by",
                    "findings",
                    "cause",
                    "liability",
                    "labour_hours",
                    "evaluation_hours",
                    "coverage",
                ),
                (
                    evaluation_id,
                    case_id,
                    at,
                    staff[Role.TECHNICIAN],
                    "Inspected on the bench; damage as described.",
                    cause,
                    liability,
                    Decimal("1.50"),
                    Decimal("1.00"),
                    evaluated,
                ),
            )
            if component is not None:
                rows.add(
                    Evaluation.damaged_components.through,
                    ("evaluation_id", "component_id"),
                    (evaluation_id, component),
                )
            event(
                at,
                actor=staff[Role.TECHNICIAN],
                kind=EventKind.NOTE,
                note=f"Evaluated: {cause}, liability {liability}.",
                visible=False,
            )
        elif step == "warranty":
            event(at, to=_after(case.path, step, status), actor=staff[Role.TECHNICIAN])
        elif step == "express_due":
            # Seed 001: the plan's fee and the Express fee, due at submission (no e-mail of its
            # own: the confirmation says it).
            assert case.plan is not None
            fee = case.plan.fee()
            paid_later = _paid_at(case)
            payment_id = context.next_id(Payment)
            rows.add(
                Payment,
                (
                    "id",
                    "request",
                    "purpose",
                    "quote",
                    "amount",
                    "currency",
                    "created_at",
                    "method",
                    "reference",
                    "paid_at",
                    "recorded_by",
                ),
                (
                    payment_id,
                    case_id,
                    PaymentPurpose.EXPRESS_FEE,
                    None,
                    Decimal(fee["amount"]) + EXPRESS_FEE,
                    fee["currency"],
                    at,
                    PaymentMethod.BANK_TRANSFER if paid_later else "",
                    f"VIR-{number}" if paid_later else "",
                    paid_later,
                    staff[Role.AGENT] if paid_later else None,
                ),
            )
            event(
                at, to=S.AWAITING_PAYMENT, actor=None, kind_of_actor=ActorKind.SYSTEM, visible=False
            )
        elif step == "express_ship":
            assert case.plan is not None
            _replacement_rows(case, context, rows, at, case_id, number, user, plan_changes, unbound)
            rows.add(
                ReturnShipment,
                ("request", "carrier", "tracking_number", "shipped_at", "shipped_by"),
                (case_id, "UPS", f"1Z999AA1{case.index:010d}", at, staff[Role.RECEPTION]),
            )
            flagged = "express_back_flagged" in case.steps
            charged = "express_charge" in case.steps
            charged_at = case.times[case.steps.index("express_charge")] if charged else None
            flagged_at = case.times[case.steps.index("express_back_flagged")] if flagged else None
            rows.add(
                ExpressReturn,
                (
                    "request",
                    "serial_number",
                    "shipped_at",
                    "due_by",
                    "flags",
                    "flagged_at",
                    "resolution",
                    "resolved_at",
                    "resolved_by",
                ),
                (
                    case_id,
                    case.unit.serial_number,
                    at,
                    at + timedelta(days=14),
                    [ExpressFlag.NO_BATTERY.value] if flagged else [],
                    flagged_at,
                    ExpressResolution.CHARGED if charged else "",
                    charged_at,
                    staff[Role.AGENT] if charged else None,
                ),
            )
            event(at, to=S.EXPRESS_SHIPPED, actor=staff[Role.RECEPTION])
        elif step in ("express_back", "express_back_flagged"):
            rows.add(
                Reception,
                (
                    "request",
                    "received_at",
                    "received_by",
                    "contents",
                    "serial_number_read",
                    "serial_mismatch",
                    "battery_included",
                    "note",
                ),
                (
                    case_id,
                    at,
                    staff[Role.RECEPTION],
                    ReceivedContents.COMPLETE_SET,
                    case.unit.serial_number,
                    False,
                    step == "express_back",
                    "",
                ),
            )
            event(at, to=STEP_STATUS[step], actor=staff[Role.RECEPTION])
        elif step == "express_charge":
            rows.add(
                Payment,
                (
                    "id",
                    "request",
                    "purpose",
                    "quote",
                    "amount",
                    "currency",
                    "created_at",
                    "method",
                    "reference",
                    "paid_at",
                    "recorded_by",
                ),
                (
                    context.next_id(Payment),
                    case_id,
                    PaymentPurpose.EXPRESS_CHARGE,
                    None,
                    Decimal("120.00"),
                    terms["currency"],
                    at,
                    "",
                    "",
                    None,
                    None,
                ),
            )
            event(
                at,
                actor=staff[Role.AGENT],
                kind=EventKind.PAYMENT,
                note="Express: came back without its battery. We charge you the difference.",
            )
        elif step == "quote":
            quote_id = context.next_id(Quote)
            labour = Decimal("1.50") * Decimal(terms["labour_rate"])
            subtotal = PART_PRICE + labour
            vat = (subtotal * Decimal(terms["vat_rate"]) / 100).quantize(Decimal("0.01"))
            total = subtotal + vat
            currency = terms["currency"]
            if case.path == "plan" and case.plan is not None:
                fee = case.plan.fee()
                options.append(
                    {
                        "option": QuoteOption.PLAN_REPLACEMENT.value,
                        **fee,
                        "replacement_number": case.plan.replacements_used + 1,
                        "replacements_allowed": case.plan.replacements_allowed,
                    }
                )
            options.append({"option": "repair", "amount": str(total), "currency": currency})
            refuse_fee = Decimal(terms["evaluation_fee_per_hour"]).quantize(Decimal("0.01"))
            options.append(
                {"option": "refuse", "amount": str(refuse_fee), "currency": currency, "hours": "1"}
            )
            rows.add(
                Quote,
                (
                    "id",
                    "request",
                    "version",
                    "evaluation",
                    "created_at",
                    "created_by",
                    "valid_until",
                    "currency",
                    "vat_rate",
                    "subtotal",
                    "vat",
                    "total",
                    "options",
                ),
                (
                    quote_id,
                    case_id,
                    1,
                    evaluation_id,
                    at,
                    staff[Role.TECHNICIAN],
                    _local_date(at) + timedelta(days=terms["validity_days"]),
                    currency,
                    terms["vat_rate"],
                    subtotal,
                    vat,
                    total,
                    options,
                ),
            )
            line_fields = (
                "quote",
                "position",
                "kind",
                "component",
                "description",
                "quantity",
                "unit_price",
            )
            rows.add(
                QuoteLine,
                line_fields,
                (
                    quote_id,
                    0,
                    QuoteLineKind.PART,
                    component,
                    context.component_names.get(component or 0, "Part"),
                    Decimal(1),
                    PART_PRICE,
                ),
            )
            rows.add(
                QuoteLine,
                line_fields,
                (quote_id, 1, QuoteLineKind.LABOUR, None, "Labour", Decimal("1.50"), labour),
            )
            event(
                at,
                to=S.QUOTED,
                actor=staff[Role.TECHNICIAN],
                note="Here is our quote: answer it on your case page.",
            )
        elif step == "answer":
            option = ANSWERS.get(case.path, QuoteOption.REFUSE)
            chosen = next(o for o in options if o["option"] == option)
            rows.add(
                QuoteAnswer,
                ("quote", "option", "amount", "currency", "answered_at", "answered_by"),
                (quote_id, option, Decimal(chosen["amount"]), chosen["currency"], at, user),
            )
            payment_id = context.next_id(Payment)
            purpose = {
                QuoteOption.REPAIR: PaymentPurpose.REPAIR,
                QuoteOption.PLAN_REPLACEMENT: PaymentPurpose.PLAN_FEE,
                QuoteOption.REFUSE: PaymentPurpose.EVALUATION_FEE,
            }[option]
            paid_later = _paid_at(case)
            rows.add(
                Payment,
                (
                    "id",
                    "request",
                    "purpose",
                    "quote",
                    "amount",
                    "currency",
                    "created_at",
                    "method",
                    "reference",
                    "paid_at",
                    "recorded_by",
                ),
                (
                    payment_id,
                    case_id,
                    purpose,
                    quote_id,
                    Decimal(chosen["amount"]),
                    chosen["currency"],
                    at,
                    PaymentMethod.BANK_TRANSFER if paid_later else "",
                    f"VIR-{number}" if paid_later else "",
                    paid_later,
                    staff[Role.AGENT] if paid_later else None,
                ),
            )
            event(
                at,
                to=_after(case.path, step, status),
                actor=user,
                kind_of_actor=ActorKind.CUSTOMER,
            )
        elif step in ("pay", "fee_paid"):
            event(
                at,
                actor=staff[Role.AGENT],
                kind=EventKind.PAYMENT,
                note="We have received your payment.",
            )
            if step == "pay":
                event(at, to=_after(case.path, step, status), actor=staff[Role.AGENT])
        elif step == "replace":
            assert case.plan is not None
            _replacement_rows(case, context, rows, at, case_id, number, user, plan_changes, unbound)
            event(
                at,
                actor=staff[Role.TECHNICIAN],
                kind=EventKind.NOTE,
                note="Your product is replaced by a new unit, now covered by your plan.",
            )
        elif step == "replacement_done":
            event(at, to=S.QUALITY_CHECK, actor=staff[Role.TECHNICIAN])
        elif step == "repair_done":
            if component is not None:
                rows.add(
                    PartUsed,
                    ("request", "component", "quantity", "recorded_at", "recorded_by"),
                    (case_id, component, 1, at, staff[Role.TECHNICIAN]),
                )
            event(at, to=S.QUALITY_CHECK, actor=staff[Role.TECHNICIAN])
        elif step == "check":
            event(at, to=S.READY_TO_SHIP, actor=staff[Role.TECHNICIAN])
        elif step == "return_ready":
            event(at, to=S.READY_TO_SHIP, actor=staff[Role.RECEPTION])
        elif step == "ship":
            rows.add(
                ReturnShipment,
                ("request", "carrier", "tracking_number", "shipped_at", "shipped_by"),
                (case_id, "UPS", f"1Z999AA1{case.index:010d}", at, staff[Role.RECEPTION]),
            )
            event(at, to=S.SHIPPED, actor=staff[Role.RECEPTION])
        elif step == "close":
            event(at, to=S.CLOSED, actor=staff[Role.AGENT])
        elif step == "hold":
            held_from = status
            event(at, to=S.ON_HOLD, actor=staff[Role.TECHNICIAN])
        elif step == "cancel":
            event(at, to=S.CANCELLED, actor=user, kind_of_actor=ActorKind.CUSTOMER)
        else:  # pragma: no cover (PATHS and this walk are written together)
            raise ValueError(step)
    assert status == case.status, (case, status)

    # The label task sends it minutes after the submission; one expected parcel in a hundred is
    # still waiting for it (the labels-late queue).
    label_sent_at = (
        None if case.status == S.SUBMITTED and case.index % 100 == 0 else submitted + LABEL_SENT
    )
    # The clocks derived from the timeline, as each move keeps them (`repairs.sla`).
    clocks = sla.clocks_compute(
        timeline,
        calendar=context.calendar,
        targets=context.targets,
        now=context.now,
        label_sent_at=label_sent_at,
    )
    running = sla.current_clock(clocks)
    for clock in clocks:
        rows.add(SlaClock, sla.CLOCK_FIELDS, sla.clock_row(clock, case_id, context.centre_id))
    declared_on = _local_date(submitted)
    decision = _coverage(case, context, declared_on)
    rows.add(
        RepairRequest,
        _CASE_FIELDS,
        (
            case_id,
            user,
            status,
            status_at,
            case.hold_reason,
            held_from if case.status == S.ON_HOLD else "",
            "summary",
            submitted - timedelta(minutes=20),
            case.times[-1],
            context.zone_id,
            context.snapshots[case.customer]["country"],
            case.unit.id,
            case.unit.serial_number,
            case.unit.model_id,
            ServiceType.REPAIR,
            _PROBLEMS[accident],
            "Fell from about two metres." if accident else "The gimbal does not level.",
            True,
            PurchaseChannel.AUTHORISED_DEALER,
            declared_on - timedelta(days=200),
            case.plan is not None,
            case.plan.id if case.plan else None,
            AccidentCause.USER if accident else "",
            case.path in EXPRESS_PATHS,
            case.unit.serial_number if case.path in EXPRESS_PATHS else "",
            Shipment.COMPLETE_SET,
            context.snapshots[case.customer]["address_id"],
            submitted,
            number,
            submitted,
            context.centre_id,
            context.snapshots_json[case.customer],
            decision,
            # Guide: within two business days, a label or the news that there is none.
            _WEEKDAYS.business_days_after(declared_on, RETURN_LABEL_BUSINESS_DAYS),
            label_sent_at,
            Decimal(terms["evaluation_fee_per_hour"]),
            terms["currency"],
            context.languages[case.customer],
            running.due_at if running is not None else None,
        ),
    )


_WEEKDAYS = BusinessCalendar(time_zone="Europe/Amsterdam")
LABEL_SENT = timedelta(minutes=3)


def _paid_at(case: CasePlan) -> datetime | None:
    """When the payment the answer made due was recorded (the next `pay` or `fee_paid` step)."""
    for step, at in zip(case.steps, case.times, strict=True):
        if step in ("pay", "fee_paid"):
            return at
    return None


def _replacement_rows(
    case: CasePlan,
    context: _Context,
    rows: _Rows,
    at: datetime,
    case_id: int,
    number: str,
    user: int,
    plan_changes: list[tuple[Any, ...]],
    unbound: list[tuple[Any, ...]],
) -> None:
    """FAQ 3, 10: the new unit (same model) takes the old one's place in the account, the plan
    follows it (a new binding, the old one unbound), and the ledger records the replacement
    n of N with its fee (as plans.services.replacement_grant writes them)."""
    plan = case.plan
    assert plan is not None
    unit_id = context.next_id(Device)
    serial = device_serial(case.index, REPLACEMENT_PREFIX)
    fee = plan.fee()
    rows.add(
        Device,
        (
            "id",
            "serial_number",
            "model",
            "purchase_country",
            "owner",
            "added_to_account_at",
            "created_at",
        ),
        (unit_id, serial, case.unit.model_id, case.unit.country, user, at, at),
    )
    rows.add(
        PlanDevice,
        ("id", "plan", "device", "bound_at", "case_number"),
        (context.next_id(PlanDevice), plan.id, unit_id, at, number),
    )
    rows.add(
        PlanEvent,
        (
            "id",
            "plan",
            "kind",
            "occurred_at",
            "case_number",
            "replacement_number",
            "fee_amount",
            "fee_currency",
            "old_serial_number",
            "new_serial_number",
            "note",
        ),
        (
            context.next_id(PlanEvent),
            plan.id,
            PlanEventKind.REPLACEMENT_GRANTED,
            at,
            number,
            plan.replacements_used + 1,
            Decimal(fee["amount"]),
            fee["currency"],
            case.unit.serial_number,
            serial,
            f"Replacement through case {number}",
        ),
    )
    rows.add(
        Replacement,
        (
            "request",
            "kind",
            "old_serial_number",
            "new_serial_number",
            "replacement_number",
            "fee_amount",
            "fee_currency",
            "recorded_at",
            "recorded_by",
        ),
        (
            case_id,
            ReplacementKind.UNIT,
            case.unit.serial_number,
            serial,
            plan.replacements_used + 1,
            Decimal(fee["amount"]),
            fee["currency"],
            at,
            context.staff[Role.TECHNICIAN],
        ),
    )
    plan_changes.append((plan.id, unit_id, plan.replacements_used + 1))
    unbound.append((context.bindings[plan.id], at, UnbindReason.REPLACED))


def _finish() -> None:
    if connection.vendor != "postgresql":
        return
    for model in _TABLES:
        if model is not Evaluation.damaged_components.through:
            _reset_id_sequence(model)
    vacuum_analyze(*_TABLES, Plan)  # the plans replaced have changed too


# --- The manifest --------------------------------------------------------------------------------


def _manifest(planned: list[CasePlan], context: _Context) -> dict[str, Any]:
    rng = random.Random(SEED + 10)
    sessions = {}
    for role, user_id in context.staff.items():
        user = User.objects.get(pk=user_id)
        sessions[str(role)] = {
            "email": user.email,
            "session": _session_key(user),
            "csrf": "".join(rng.choices(string.ascii_letters + string.digits, k=32)),
            "language": user.preferred_language,
        }

    def sample(items: list[Any], size: int = 5000) -> list[Any]:
        return rng.sample(items, min(size, len(items)))

    numbers = {status: [] for status in STATUS_SHARES}  # type: dict[str, list[str]]
    for case in planned:
        numbers[case.status].append(case_number_of(case.index))
    replaced = [c for c in planned if _replaced(c)]
    received = list(numbers[S.RECEIVED])
    rng.shuffle(received)
    return {
        "staff": sessions,
        "cases": len(planned),
        "statuses": {status: len(items) for status, items in numbers.items()},
        # Parcels expected: what reception scans.
        "scan": sample(numbers[S.SUBMITTED]),
        # Any case, to open.
        "open": sample([case_number_of(c.index) for c in planned]),
        # Received cases, each to be moved one step (evaluation started) once, in this order.
        "received": received,
        "serials": sample(
            [
                device_serial(c.index, REPLACEMENT_PREFIX) if _replaced(c) else c.unit.serial_number
                for c in planned
            ]
        ),
        # Former serial numbers: the units replaced under a plan.
        "former_serials": sample([c.unit.serial_number for c in replaced]),
        "emails": sample(sorted({context.customer_emails[c.customer] for c in planned})),
    }
