"""Reads of the workshop: the work queues, the staff search, the case page and a unit's history
across its cases.

Every list here takes a fixed number of queries whatever the data size (the query-count tests
say so): the queues page through `repairs_queue_idx` (status, status_changed_at); the search
looks a case up by indexed columns only (the beginning of its number, a serial number, an
e-mail address, the beginning of a name), never by scanning the cases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.core.paginator import Page
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower, Upper
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import User
from aftersales.core.compiled import CompiledQuery
from aftersales.core.counting import capped_page, count_cap, counts_at_once
from aftersales.core.planning import custom_plans
from aftersales.devices.models import Device, normalize_serial_number
from aftersales.plans.models import Plan, PlanDevice, PlanEvent
from aftersales.plans.selectors import plan_bindings, plan_ledger, serial_numbers_bound_with
from aftersales.repairs import lifecycle, sla
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import (
    Attachment,
    CarrierInvestigation,
    CaseEvent,
    Evaluation,
    ExpressReturn,
    ParcelLabel,
    PartUsed,
    Payment,
    Quote,
    QuoteLine,
    Reception,
    RepairRequest,
    Replacement,
    ReturnShipment,
)
from aftersales.repairs.paying import case_number_of_transfer_reference
from aftersales.repairs.selectors import CoverageView, case_coverage, normalize_case_number

from .permissions import may_any

S = RequestStatus
PAGE_SIZE = 50
# The search shows this many cases, the newest first, and says when there are more.
SEARCH_LIMIT = 50


# --- The work queues ------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    """A list of cases one role works through, the longest waiting first."""

    slug: str
    title: Any
    description: Any
    team: str
    # Any of these permissions shows the queue (the dashboard, its page).
    permissions: tuple[str, ...]
    statuses: tuple[str, ...]
    # A further condition, from "now" (and the status when the queue is read one status at a
    # time): quotes unanswered for days, cases overdue.
    condition: Callable[[datetime, str | None], Q] | None = None

    def where(self, now: datetime) -> Q:
        where = Q(status__in=self.statuses)
        if self.condition is not None:
            where &= self.condition(now, None)
        return where

    def where_status(self, status: str, now: datetime) -> Q:
        """The queue's cases in one of its statuses: one range of the queue index."""
        where = Q(status=status)
        if self.condition is not None:
            where &= self.condition(now, status)
        return where

    def visible_to(self, user: Any) -> bool:
        return may_any(user, self.permissions)


def _due(now: datetime, status: str | None = None) -> Q:
    # The clock running now is past its due time (`repairs.sla`: each centre's targets in its
    # business time; a quote's reminder for the customer's clock). One range of the index
    # (status, sla_due_at) per status.
    return Q(sla_due_at__lte=now)


# A queue's condition takes "now" and, when the queue is read one status at a time, the status.
def _labels_late(now: datetime, status: str | None = None) -> Q:
    # Guide: the label, or the news that there is none, within two business days: the due day
    # (counted in the centre's calendar at submission) is over and no e-mail went out.
    return Q(return_label_sent_at__isnull=True, return_label_due_by__lt=timezone.localdate(now))


def _investigated(now: datetime, status: str | None = None) -> Q:
    # The open investigations are few (their index): the cases are found from them.
    return Q(pk__in=CarrierInvestigation.objects.filter(closed_at=None).values("request_id"))


def _not_express_replacing(now: datetime, status: str | None = None) -> Q:
    # Read one status at a time, only "replacing" needs the condition (and the others keep to
    # the queue index).
    if status is None:
        return Q(express_requested=False) | ~Q(status=S.REPLACING)
    return Q(express_requested=False) if status == S.REPLACING else Q()


def _express_replacing(now: datetime, status: str | None = None) -> Q:
    return Q(express_requested=True)


def _express_flagged(now: datetime, status: str | None = None) -> Q:
    # The flags are few: the cases are found from the open ones.
    return Q(
        pk__in=ExpressReturn.objects.filter(
            flagged_at__isnull=False, resolved_at__isnull=True
        ).values("request_id")
    )


TEAMS: dict[str, Any] = {
    "reception": _("Reception"),
    "technicians": _("Technicians"),
    "agents": _("Agents"),
    "logistics": _("Logistics"),
}

QUEUES: tuple[Queue, ...] = (
    # Guide: the return label is due two business days after submission, so the oldest case is
    # also the one whose label is due first: the index's order serves both.
    Queue(
        "parcels-expected",
        _("Parcels expected"),
        _(
            "Cases waiting for their parcel, the oldest first (return label due first), and "
            "the damaged units owed back by Express cases."
        ),
        "reception",
        (lifecycle.RECEIVE,),
        (S.SUBMITTED, S.EXPRESS_SHIPPED),
    ),
    Queue(
        "labels-late",
        _("Return labels late"),
        _(
            "Cases whose customer has had neither a return label nor the news that there is "
            "none within the business days promised."
        ),
        "reception",
        (lifecycle.RECEIVE, lifecycle.INVESTIGATE),
        (S.SUBMITTED,),
        _labels_late,
    ),
    Queue(
        "to-evaluate",
        _("To evaluate"),
        _("Parcels received and evaluations in progress."),
        "technicians",
        (lifecycle.EVALUATE,),
        (S.RECEIVED, S.EVALUATING),
    ),
    Queue(
        "to-repair",
        _("To repair"),
        _("Repairs, plan replacements and final checks."),
        "technicians",
        (lifecycle.REPAIR, lifecycle.REPLACE, lifecycle.CHECK),
        (S.REPAIRING, S.REPLACING, S.QUALITY_CHECK),
        # An Express replacement goes straight to logistics ("Express: to ship").
        _not_express_replacing,
    ),
    Queue(
        "on-hold",
        _("On hold"),
        _("Cases waiting for parts, for the customer or for another reason."),
        "technicians",
        (lifecycle.EVALUATE, lifecycle.REPAIR),
        (S.ON_HOLD,),
    ),
    Queue(
        "waiting-for-customer",
        _("Waiting for the customer"),
        _("Quotes sent and payments due."),
        "agents",
        (lifecycle.PAY, lifecycle.CLOSE),
        (S.QUOTED, S.AWAITING_PAYMENT),
    ),
    Queue(
        "quotes-unanswered",
        _("Quotes unanswered"),
        _("Quotes the customer has not answered within the reminder delay."),
        "agents",
        (lifecycle.PAY, lifecycle.CLOSE),
        (S.QUOTED,),
        _due,
    ),
    Queue(
        "overdue",
        _("Overdue"),
        _("Cases whose service level target is passed in their current step."),
        "agents",
        (lifecycle.PAY, lifecycle.CLOSE),
        tuple(S(status) for status in sla.WORKSHOP_STATUSES),
        _due,
    ),
    Queue(
        "parcels-investigated",
        _("Parcels investigated"),
        _("Parcels the carrier is looking for (« En cas de perte du colis… »)."),
        "agents",
        (lifecycle.INVESTIGATE,),
        (S.SUBMITTED, S.SHIPPED),
        _investigated,
    ),
    Queue(
        "express-flagged",
        _("Express: unit not returned / to charge"),
        _(
            "Express cases whose damaged unit is not back by the deadline, or came back with "
            "another serial number or without its battery: charge the difference or clear the "
            "flag."
        ),
        "agents",
        (lifecycle.PAY, lifecycle.CLOSE),
        (S.EXPRESS_SHIPPED, S.EXPRESS_RETURNED),
        _express_flagged,
    ),
    Queue(
        "express-to-ship",
        _("Express: to ship"),
        _("Express replacements paid for: ship them before the damaged unit arrives."),
        "logistics",
        (lifecycle.SHIP,),
        (S.REPLACING,),
        _express_replacing,
    ),
    Queue(
        "ready-to-ship",
        _("Ready to ship"),
        _("Units to send back: repaired, replaced, or returning unrepaired."),
        "logistics",
        (lifecycle.SHIP,),
        (S.READY_TO_SHIP, S.RETURNING_UNREPAIRED),
    ),
)
QUEUES_BY_SLUG = {queue.slug: queue for queue in QUEUES}


def queue_by_slug(slug: str) -> Queue:
    try:
        return QUEUES_BY_SLUG[slug]
    except KeyError:
        raise Http404 from None


def queues_of(user: Any) -> list[Queue]:
    return [queue for queue in QUEUES if queue.visible_to(user)]


# A queue is counted up to this many cases, then said to hold "more than" that many: nobody
# works through a thousand cases from a count, and counting 24,000 index entries of one status
# took 8 ms of every dashboard and queue page.
COUNT_CAP = 1000


@dataclass(frozen=True)
class QueueCount:
    queue: Queue
    count: int  # at most the cap
    more: bool = False  # the queue holds more cases than `count`


def queue_counts(
    queues: list[Queue], now: datetime | None = None, cap: int | None = None
) -> list[QueueCount]:
    """How many cases each queue holds, in one statement: one count per queue and per status,
    each a scalar subquery the database plans on its own, so that each reads one range of the
    index that serves it — (status, status_changed_at) for a whole status, (status, sla_due_at)
    for the overdue, the label index for the labels late, the few open investigations and
    flags — never the wide rows of every case in the queues' statuses (a single GROUP BY with
    the conditions as FILTERs read them all: 0.9 s on 200,000 cases)."""
    if not queues:
        return []
    now = now or timezone.now()
    cap = COUNT_CAP if cap is None else cap
    parts = [
        RepairRequest.objects.filter(queue.where_status(status, now))
        for queue in queues
        for status in queue.statuses
    ]
    row = counts_at_once(parts, cap=cap)
    slots, start = [], 0
    for queue in queues:
        slots.append(range(start, start + len(queue.statuses)))
        start += len(queue.statuses)
    counts = []
    for queue, mine in zip(queues, slots, strict=True):
        # Each status counted up to cap + 1: their sum passes the cap exactly when the queue
        # holds more than the cap.
        total = sum(row[i] for i in mine)
        counts.append(QueueCount(queue, min(total, cap), more=total > cap))
    return counts


@dataclass(frozen=True)
class CaseRow:
    """A case as the lists show it."""

    # The case read as a model (the reception view), None when the row was read as values
    # (the queues, the search).
    case: RepairRequest | None
    case_number: str
    status: str
    url: str
    model: str
    serial_number: str
    customer: str
    status_label: str
    since: datetime | None
    overdue: bool
    # When the clock running now breaches its target (`repairs.sla`); None when none runs.
    due: datetime | None = None


# What a row shows, and no more: a case row is wide (the answers, the coverage and address
# snapshots as JSON), and reading 50 of them whole was a good part of a list's time.
ROW_FIELDS = (
    "case_number",
    "status",
    "status_changed_at",
    "sla_due_at",
    "serial_number",
    "product_model__name",
    "device__serial_number",
    "device__model__name",
    "user__email",
    "user__first_name",
    "user__last_name",
)


def _rows_base() -> QuerySet[RepairRequest]:
    return RepairRequest.objects.select_related("product_model", "device__model", "user").only(
        *ROW_FIELDS
    )


class RowMaker:
    """Makes the rows of one list: what every row shares (the status labels in the active
    language, the case page's URL pattern, the overdue limits) is worked out once per list, not
    once per row — on a page of 50 rows that was most of the page's time."""

    _PLACEHOLDER = "CAS-0000000-PLACEH"

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.labels = {value: str(label) for value, label in RequestStatus.choices}
        self.url = reverse("workshop:case", args=[self._PLACEHOLDER])

    def __call__(self, case: RepairRequest) -> CaseRow:
        """A row from a case read as a model (with `ROW_FIELDS`)."""
        model = case.product_model
        device = case.device
        values = (
            case.pk,
            case.case_number,
            case.status,
            case.status_changed_at,
            case.sla_due_at,
            case.serial_number,
            model.name if model is not None else "",
            device.serial_number if device is not None else "",
            device.model.name if device is not None and device.model is not None else "",
            case.user.email,
            case.user.first_name,
            case.user.last_name,
        )
        return replace(self.from_values(values), case=case)

    def from_values(self, values: tuple[Any, ...]) -> CaseRow:
        """A row from the values of `ROW_VALUES` (no model instance for the case, its customer,
        unit and models: building them was a good part of a queue page's time)."""
        (
            _pk,
            number,
            status,
            since,
            due,
            serial,
            model_name,
            device_serial,
            device_model_name,
            email,
            first_name,
            last_name,
        ) = values
        number = str(number)
        return CaseRow(
            case=None,
            case_number=number,
            status=status,
            url=self.url.replace(self._PLACEHOLDER, number),
            model=model_name or device_model_name or "",
            serial_number=serial or device_serial or "",
            customer=f"{first_name} {last_name}".strip() or email,
            status_label=self.labels.get(status, status),
            since=since,
            overdue=bool(due is not None and due <= self.now),
            due=due,
        )


# The same as ROW_FIELDS, read as values, in the order `RowMaker.from_values` takes them.
ROW_VALUES = (
    "pk",
    "case_number",
    "status",
    "status_changed_at",
    "sla_due_at",
    "serial_number",
    "product_model__name",
    "device__serial_number",
    "device__model__name",
    "user__email",
    "user__first_name",
    "user__last_name",
)


def case_row(case: RepairRequest, now: datetime) -> CaseRow:
    return RowMaker(now)(case)


class _QueueCases:
    """The queue's cases for the paginator: a count, and a page read in the index's order:
    what breaches first (the running clock's due time, `repairs.sla`), then the longest
    waiting (cases with no clock running: paused, or waiting for the customer).

    A queue spans several statuses, and one index scan cannot return (status IN …) ordered by
    time: the database would read every case of the queue to sort them. On PostgreSQL each
    status's first `offset + size` ids are read in the index's order (a short range each) and
    merged, then the page's rows are fetched by id: three queries whatever the queue's size.
    """

    def __init__(self, queue: Queue, now: datetime, cap: int) -> None:
        self.queue = queue
        self.now = now
        self.cap = cap
        self.more = False

    def count(self) -> int:
        # Status by status, each through its index (`queue_counts`), like the dashboard, up to
        # the cap (past it, the paginator offers one more page than it has counted).
        counted = queue_counts([self.queue], self.now, cap=self.cap)[0]
        self.more = counted.more
        return counted.count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[tuple[Any, ...]]:
        """The page's rows as the values of `ROW_VALUES`."""
        start, stop = page.start or 0, page.stop or 0
        if stop <= start:
            return []  # an empty queue's empty first page
        order = QUEUE_ORDER
        if (
            not connection.features.supports_slicing_ordering_in_compound
            or len(self.queue.statuses) == 1
        ):
            # SQLite (the demo): its compound queries take no per-part LIMIT; one query.
            return list(
                RepairRequest.objects.filter(self.queue.where(self.now))
                .order_by(*order)
                .values_list(*ROW_VALUES)[start:stop]
            )
        parts = [
            RepairRequest.objects.filter(self.queue.where_status(status, self.now))
            .order_by(*order)
            .values_list(*QUEUE_COLUMNS)[:stop]
            for status in self.queue.statuses
        ]
        ids = [row[-1] for row in parts[0].union(*parts[1:], all=True).order_by(*order)[start:stop]]
        rows = {
            values[0]: values
            for values in RepairRequest.objects.filter(pk__in=ids)
            .order_by()
            .values_list(*ROW_VALUES)
        }
        return [rows[pk] for pk in ids if pk in rows]


# The queues' order: what breaches first (no clock running: last), then the longest waiting;
# the index `repairs_sla_queue_idx` (status, sla_due_at, status_changed_at) reads it in order.
QUEUE_COLUMNS = ("sla_due_at", "status_changed_at", "pk")
QUEUE_ORDER = (F("sla_due_at").asc(nulls_last=True), "status_changed_at", "pk")


def queue_page(queue: Queue, page_number: Any, now: datetime | None = None) -> Page[CaseRow]:
    """One page of the queue, the longest waiting first: a count and a page of rows."""
    now = now or timezone.now()
    cases = _QueueCases(queue, now, cap=count_cap(page_number, PAGE_SIZE, COUNT_CAP))
    page = capped_page(cases, page_number, PAGE_SIZE)
    row = RowMaker(now)
    page.object_list = [row.from_values(values) for values in page.object_list]
    return page


# --- The search --------------------------------------------------------------------------------

_CASE_PREFIX = re.compile(r"^(?:CAS-?)?([0-9]{1,7})(?:-?([A-Z0-9]{0,6}))?$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?$")


def case_number_prefix(text: str) -> str | None:
    """The beginning of a case number as typed ("cas-2600", "2600123abc", "CAS-2600123-AB"),
    written as the case numbers are (CAS-1234567-ABCDEF); None when it cannot be one."""
    value = normalize_case_number(text)
    match = _CASE_PREFIX.match(value)
    if match is None or (not value.startswith("CAS") and len(match.group(1)) < 3):
        return None
    digits, suffix = match.group(1), match.group(2) or ""
    if len(digits) < 7:
        return None if suffix else f"CAS-{digits}"
    return f"CAS-{digits}-{suffix}" if suffix or value.endswith("-") else f"CAS-{digits}"


@dataclass
class SearchResult:
    query: str
    rows: list[CaseRow] = field(default_factory=list)
    more: bool = False
    # How the query was read: "case number", "serial number", "e-mail", "name".
    ways: list[str] = field(default_factory=list)
    # A whole case number typed and found (its number): the page opens the case.
    exact: str | None = None


def _tables() -> dict[str, str]:
    return {
        "binding": PlanDevice._meta.db_table,
        "device": Device._meta.db_table,
        "case": RepairRequest._meta.db_table,
        "reception": Reception._meta.db_table,
        "swap": Replacement._meta.db_table,
    }


# A serial number, every one the same unit had or has — the plan's history (the units it
# followed, FAQ 10) and the replacements recorded through cases (old and new units, replaced
# parts) — then the cases about any of them: as the customer gave it, as the case's device, as
# reception read it, as a replacement's old or new unit. One statement, each part an index
# lookup (the same answer as `serial_numbers_bound_with` and `case_ids_for_serials`, in one
# round trip instead of three: the search is typed all day long).
_CASES_BY_SERIAL = """
WITH bound AS (
    SELECT d2.serial_number AS s FROM {binding} b1
    JOIN {device} d1 ON d1.id = b1.device_id
    JOIN {binding} b2 ON b2.plan_id = b1.plan_id
    JOIN {device} d2 ON d2.id = b2.device_id
    WHERE d1.serial_number = %s
), first_serials AS (
    SELECT CAST(%s AS varchar(40)) AS s UNION SELECT s FROM bound
), swaps AS (
    SELECT old_serial_number AS a, new_serial_number AS b FROM {swap}
    WHERE old_serial_number IN (SELECT s FROM first_serials)
       OR new_serial_number IN (SELECT s FROM first_serials)
), serials AS (
    SELECT s FROM first_serials
    UNION SELECT a FROM swaps WHERE a <> ''
    UNION SELECT b FROM swaps WHERE b <> ''
)
SELECT c.id FROM {case} c WHERE c.serial_number IN (SELECT s FROM serials)
UNION SELECT c.id FROM {case} c JOIN {device} d ON d.id = c.device_id
    WHERE d.serial_number IN (SELECT s FROM serials)
UNION SELECT request_id FROM {reception} WHERE serial_number_read IN (SELECT s FROM serials)
UNION SELECT request_id FROM {swap} WHERE old_serial_number IN (SELECT s FROM serials)
UNION SELECT request_id FROM {swap} WHERE new_serial_number IN (SELECT s FROM serials)
"""


# The same on PostgreSQL, the serial numbers gathered into arrays first: the statement above
# leaves the planner guessing how many serial numbers its CTEs hold (thousands), so it read the
# replacements whole (25–50 ms on 200,000 cases); with an array, each part is an index lookup
# per serial number (1–5 ms).
_CASES_BY_SERIAL_POSTGRESQL = """
WITH f AS (
    SELECT ARRAY(
        SELECT CAST(%s AS varchar(40))
        UNION SELECT d2.serial_number FROM {binding} b1
        JOIN {device} d1 ON d1.id = b1.device_id
        JOIN {binding} b2 ON b2.plan_id = b1.plan_id
        JOIN {device} d2 ON d2.id = b2.device_id
        WHERE d1.serial_number = %s
    ) AS a
), serials AS (
    SELECT ARRAY(
        SELECT unnest(a) FROM f
        UNION SELECT old_serial_number FROM {swap}
            WHERE new_serial_number = ANY(CAST((SELECT a FROM f) AS varchar[]))
            AND old_serial_number <> ''
        UNION SELECT new_serial_number FROM {swap}
            WHERE old_serial_number = ANY(CAST((SELECT a FROM f) AS varchar[]))
            AND new_serial_number <> ''
    ) AS a
)
SELECT c.id FROM {case} c
    WHERE c.serial_number = ANY(CAST((SELECT a FROM serials) AS varchar[]))
UNION SELECT c.id FROM {case} c JOIN {device} d ON d.id = c.device_id
    WHERE d.serial_number = ANY(CAST((SELECT a FROM serials) AS varchar[]))
UNION SELECT request_id FROM {reception}
    WHERE serial_number_read = ANY(CAST((SELECT a FROM serials) AS varchar[]))
UNION SELECT request_id FROM {swap}
    WHERE old_serial_number = ANY(CAST((SELECT a FROM serials) AS varchar[]))
UNION SELECT request_id FROM {swap}
    WHERE new_serial_number = ANY(CAST((SELECT a FROM serials) AS varchar[]))
"""


def case_ids_for_serial(serial: str) -> set[int]:
    """The cases about this unit, by any serial number it had or has (see above)."""
    serial = normalize_serial_number(serial)
    if not serial:
        return set()
    with connection.cursor() as cursor:
        statement = (
            _CASES_BY_SERIAL_POSTGRESQL if connection.vendor == "postgresql" else _CASES_BY_SERIAL
        )
        cursor.execute(statement.format(**_tables()), [serial, serial])
        return {pk for (pk,) in cursor.fetchall()}


def case_ids_for_serials(serials: set[str]) -> set[int]:
    """The cases about any of these serial numbers: as the customer gave it, as the device the
    case is about, as reception read it on the unit, as a replacement's old or new unit. Each
    part is an index lookup; one query for all of them."""
    if not serials:
        return set()
    # No ordering: the models' default one is not allowed in a UNION's parts.
    by_case = RepairRequest.objects.filter(serial_number__in=serials).values_list("pk")
    by_device = RepairRequest.objects.filter(device__serial_number__in=serials).values_list("pk")
    by_reception = Reception.objects.filter(serial_number_read__in=serials).values_list(
        "request_id"
    )
    by_swap = Replacement.objects.filter(
        Q(old_serial_number__in=serials) | Q(new_serial_number__in=serials)
    ).values_list("request_id")
    parts = [part.order_by() for part in (by_case, by_device, by_reception, by_swap)]
    return {pk for (pk,) in parts[0].union(*parts[1:])}


def _name_filter(words: list[str]) -> Q | None:
    if not 1 <= len(words) <= 4 or not all(_NAME_WORD.match(word) for word in words):
        return None
    words = [word.upper() for word in words]
    if len(words) == 1:
        return Q(first_upper__prefix=words[0]) | Q(last_upper__prefix=words[0])
    first, rest = words[0], " ".join(words[1:])
    last, before = words[-1], " ".join(words[:-1])
    return (
        Q(first_upper=first, last_upper__prefix=rest)
        | Q(last_upper=first, first_upper__prefix=rest)
        | Q(first_upper=before, last_upper__prefix=last)
    )


def case_search(query: str, now: datetime | None = None) -> SearchResult:
    """Cases by case number (whole or its beginning), serial number (current or former),
    customer e-mail (exact, any case) or name (the beginning of the first or last name). A
    query may be read several ways (a string of digits is a case number's beginning and maybe
    a serial number): the cases found each way are listed together, the newest first.

    A query that may be a name is planned with its words (`core.planning`): how many customers
    a name's beginning matches decides the plan (the generic plan of a common name took a
    second on 200,000 cases). The other ways are index lookups whatever the values: their
    prepared plans serve, and they save the transaction that planning with the words needs
    (three more round trips to the database)."""
    query = " ".join((query or "").split())[:100]
    by_name = "@" not in query and _name_filter(query.split()) is not None
    with custom_plans() if by_name else nullcontext():
        return _case_search(query, now)


def _case_search(query: str, now: datetime | None) -> SearchResult:
    """`case_search` of a query already normalized (words separated by one space, 100
    characters at most)."""
    now = now or timezone.now()
    result = SearchResult(query=query)
    if not query:
        return result
    wheres: list[Q] = []

    # Issue 9: a bank transfer's structured reference (RF…) names its case.
    transfer_case = case_number_of_transfer_reference(query)
    if transfer_case:
        result.ways.append("transfer_reference")
        wheres.append(Q(case_number=transfer_case))
    prefix = None if transfer_case else case_number_prefix(query)
    if prefix is not None:
        result.ways.append("case_number")
        numbered = case_ids_for_number(prefix)
        if numbered is None:
            wheres.append(Q(case_number__prefix=prefix))
        elif numbered:
            wheres.append(Q(pk__in=numbered))

    # Serial numbers are letters and digits, with at least one digit (a word is a name); one
    # written as a case number ("CAS-…") is not a serial number.
    serial = normalize_serial_number(query)
    if (
        not (prefix is not None and serial.startswith("CAS"))
        and serial.isascii()
        and serial.isalnum()
        and 4 <= len(serial) <= 40
        and any(char.isdigit() for char in serial)
    ):
        result.ways.append("serial_number")
        ids = case_ids_for_serial(serial)
        if ids:
            wheres.append(Q(pk__in=ids))

    if "@" in query:
        result.ways.append("email")
        # One account at most (e-mail addresses are unique, whatever their case): compared as
        # a value, the planner plans the search in a fifth of the time of an IN (subquery).
        wheres.append(Q(user_id=Subquery(_users_by_email(query)[:1])))
    else:
        names = _name_filter(query.split())
        if names is not None:
            result.ways.append("name")
            wheres.append(Q(user_id__in=_users_by_name(names)))

    if not wheres:
        return result
    where = wheres[0]
    for other in wheres[1:]:
        where |= other
    # Read as values, as the queues are: no model instance for each case, customer and unit.
    cases = list(
        RepairRequest.objects.filter(where)
        .exclude(status=S.DRAFT)
        .order_by("-submitted_at", "-pk")
        .values_list(*ROW_VALUES)[: SEARCH_LIMIT + 1]
    )
    result.more = len(cases) > SEARCH_LIMIT
    row = RowMaker(now)
    result.rows = [row.from_values(values) for values in cases[:SEARCH_LIMIT]]
    typed = transfer_case or normalize_case_number(query)
    result.exact = next((r.case_number for r in result.rows if r.case_number == typed), None)
    return result


# More cases than this start with the number typed (a short beginning, "CAS-12"): the newest
# are then read first until enough match.
CASE_NUMBER_CAP = 500


def case_ids_for_number(prefix: str) -> list[int] | None:
    """The cases whose number starts with `prefix`, read in the numbers' index order (one
    index entry for a whole number, a few for a long beginning), or None when more than
    `CASE_NUMBER_CAP` do. Asked as one query with the newest first, the database guessed that
    one case in a hundred would match any beginning and read the cases newest first until it
    had 51: every case, for the one that matches (half a second)."""
    ids = list(
        RepairRequest.objects.filter(case_number__prefix=prefix)
        .order_by("case_number")
        .values_list("pk", flat=True)[: CASE_NUMBER_CAP + 1]
    )
    return None if len(ids) > CASE_NUMBER_CAP else ids


def _users_by_email(query: str) -> QuerySet[Any, Any]:
    # The accounts' unique index on lower(email) answers this.
    return (
        User.objects.alias(email_lower=Lower("email"))
        .filter(email_lower=query.strip().lower())
        .values("pk")
    )


def _users_by_name(names: Q) -> QuerySet[Any, Any]:
    # accounts' migration 0006 indexes upper(first_name) and upper(last_name) for a prefix.
    return (
        User.objects.alias(first_upper=Upper("first_name"), last_upper=Upper("last_name"))
        .filter(names)
        .values("pk")
    )


# --- Scanning a case number --------------------------------------------------------------------


# What the reception view shows and its form reads: the case's own columns, its customer, model,
# unit and component, in one query (the scanner's answer is the page the parcel is checked on).
RECEPTION_FIELDS = (
    *ROW_FIELDS,
    "express_requested",
    "shipment",
    "component__name_en",
    "component__name_fr",
    "return_label_due_by",
    "return_label_sent_at",
    "submitted_at",
)


# Built once per connection (`core.compiled`): building this query's SQL cost three quarters of
# the scan's lookup, and a scanner at the bench asks it parcel after parcel.
_CASE_AT_RECEPTION = CompiledQuery(
    RepairRequest,
    lambda number: (
        RepairRequest.objects.exclude(status=S.DRAFT)
        .select_related("product_model", "device__model", "user", "component")
        .only(*RECEPTION_FIELDS)
        .filter(case_number=number)
    ),
)


def case_by_number(case_number: str) -> RepairRequest | None:
    """The submitted case with this number (a scanner types it whole), with what its reception
    view shows, or None."""
    return _CASE_AT_RECEPTION.one(normalize_case_number(case_number))


def case_to_confirm(case_number: str) -> RepairRequest:
    """A case to act on with a button alone (a form with nothing typed, `ConfirmForm`): its
    own row. The move's service locks and reads it again with what the move needs; anything
    else is read if it is read. 404 for a draft or no case."""
    try:
        return RepairRequest.objects.exclude(status=S.DRAFT).get(
            case_number=normalize_case_number(case_number)
        )
    except RepairRequest.DoesNotExist:
        raise Http404 from None


def case_for_action(case_number: str) -> RepairRequest:
    """A case to act on: its row with its customer, model, unit, component, centre and plan
    joined; what an action's form reads besides (quotes, payments…) is read when it is read.
    404 for a draft or no case."""
    try:
        return (
            RepairRequest.objects.exclude(status=S.DRAFT)
            .select_related(
                "user", "product_model", "device__model", "component", "repair_centre", "plan"
            )
            .get(case_number=normalize_case_number(case_number))
        )
    except RepairRequest.DoesNotExist:
        raise Http404 from None


# --- The case page -----------------------------------------------------------------------------


def case_for_staff(case_number: str) -> RepairRequest:
    """A case with everything its staff page shows, in a fixed number of queries; 404 for a
    draft or no case."""
    # The case's own columns joined; the rest prefetched. One query joining all of them would
    # take PostgreSQL longer to plan (16 joins: about 40 ms) than every prefetch to run.
    queryset = (
        RepairRequest.objects.exclude(status=S.DRAFT)
        .select_related(
            "user",
            "zone",
            "product_model",
            "device__model",
            "component",
            "repair_centre",
            "express_return",
        )
        .prefetch_related(
            Prefetch(
                "plan",
                queryset=Plan.objects.select_related("offering", "device__model", "region"),
            ),
            Prefetch("reception", queryset=Reception.objects.select_related("received_by")),
            Prefetch(
                "return_shipment",
                queryset=ReturnShipment.objects.select_related("shipped_by"),
            ),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related("actor").order_by("occurred_at", "id"),
            ),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.select_related("evaluated_by")
                .prefetch_related("damaged_components")
                .order_by("-evaluated_at", "-id"),
            ),
            Prefetch(
                "quotes",
                queryset=Quote.objects.select_related(
                    "created_by", "answer__answered_by"
                ).prefetch_related(
                    Prefetch(
                        "lines",
                        queryset=QuoteLine.objects.select_related("component").order_by(
                            "position", "id"
                        ),
                    )
                ),
            ),
            Prefetch(
                "payments",
                queryset=Payment.objects.select_related("recorded_by", "quote").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "parts_used",
                queryset=PartUsed.objects.select_related("component", "recorded_by").order_by(
                    "recorded_at", "id"
                ),
            ),
            Prefetch(
                "replacements",
                queryset=Replacement.objects.select_related("component", "recorded_by"),
            ),
            # The labels without their PDF; the investigations, newest first.
            Prefetch("labels", queryset=ParcelLabel.objects.defer("pdf"), to_attr="label_list"),
            Prefetch(
                "investigations",
                queryset=CarrierInvestigation.objects.select_related("opened_by", "closed_by"),
            ),
        )
    )
    try:
        return queryset.get(case_number=normalize_case_number(case_number))
    except RepairRequest.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class ClockRow:
    """A service level clock as the staff case page shows it."""

    key: str
    label: Any
    days: int  # the target: business days (calendar days for the customer's clock)
    customer: bool
    state: str
    used_hours: float
    remaining_hours: float
    due_at: datetime | None
    breached_at: datetime | None
    ended_at: datetime | None
    expires_at: datetime | None
    breached: bool


def case_clock_rows(case: RepairRequest, now: datetime | None = None) -> list[ClockRow]:
    """The case's clocks from its prefetched timeline (`repairs.sla`, the one place)."""
    now = now or timezone.now()
    targets = sla.targets_of(case.repair_centre)
    return [
        ClockRow(
            key=clock.stage.key,
            label=clock.label,
            days=targets.days(clock.stage.key),
            customer=clock.stage.customer,
            state=clock.state,
            used_hours=clock.used.total_seconds() / 3600,
            remaining_hours=max(clock.remaining.total_seconds(), 0) / 3600,
            due_at=clock.due_at,
            breached_at=clock.breached_at,
            ended_at=clock.ended_at,
            expires_at=clock.expires_at,
            breached=sla.clock_breached(clock, now),
        )
        for clock in sla.case_clocks(case, events=case.events.all(), now=now)
    ]


@dataclass(frozen=True)
class _Decision:
    coverage: dict[str, Any]


def coverage_as(coverage: dict[str, Any] | None) -> CoverageView | None:
    """A recorded coverage decision (the case's, as declared, or an evaluation's) in staff
    words, with the FAQ items."""
    return case_coverage(_Decision(coverage or {}), audience="staff")  # type: ignore[arg-type]


def case_serials(case: RepairRequest) -> set[str]:
    serials = {
        normalize_serial_number(value)
        for value in (
            case.serial_number,
            case.device.serial_number if case.device else "",
            case.reception.serial_number_read if hasattr(case, "reception") else "",
            *(r.old_serial_number for r in case.replacements.all()),
            *(r.new_serial_number for r in case.replacements.all()),
        )
    }
    return serials - {""}


def device_history(case: RepairRequest) -> list[RepairRequest]:
    """The unit's other cases, by every serial number it had (old serials included), the newest
    first."""
    serials = set(case_serials(case))
    serials |= serial_numbers_bound_with(serials)
    ids = case_ids_for_serials(serials) - {case.pk}
    if not ids:
        return []
    return list(
        RepairRequest.objects.filter(pk__in=ids)
        .exclude(status=S.DRAFT)
        .select_related("product_model")
        .order_by("-submitted_at", "-pk")
    )


@dataclass(frozen=True)
class PlanRecord:
    plan: Plan
    ledger: list[PlanEvent]
    bindings: list[PlanDevice]


def plan_record(case: RepairRequest) -> PlanRecord | None:
    plan = case.plan
    if plan is None:
        return None
    return PlanRecord(plan=plan, ledger=list(plan_ledger(plan)), bindings=list(plan_bindings(plan)))


def events_of(case: RepairRequest) -> Iterable[CaseEvent]:
    return case.events.all()


# --- The overdue cases, per team (the daily e-mail, issue 9, item 5) ---------------------------


def overdue_by_team(now: datetime | None = None) -> dict[str, list[CaseRow]]:
    """The cases whose workshop clock is past its target now, by the role (staff group) that
    answers for the stage (`repairs.sla.STAGES`), what breached first first: one query, through
    the queue index (status, sla_due_at)."""
    now = now or timezone.now()
    cases = (
        _rows_base()
        .only(*ROW_FIELDS, "held_from_status")
        .filter(status__in=sla.WORKSHOP_STATUSES, sla_due_at__lte=now)
        .order_by("sla_due_at", "pk")
    )
    row = RowMaker(now)
    teams: dict[str, list[CaseRow]] = {}
    for case in cases:
        status = case.held_from_status if case.status == S.ON_HOLD else case.status
        stage = sla.STAGE_OF_STATUS.get(status)
        if stage is None or stage.customer:
            continue
        teams.setdefault(stage.team, []).append(row(case))
    return teams
