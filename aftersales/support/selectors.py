"""Reads of the support app: the inbox's queues and search, a ticket for its private link, what
the agent sees beside a ticket, and the measures (first response and resolution in business
hours of the repair centre's calendar)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.core.business_time import BusinessCalendar
from aftersales.core.counting import CappedCount, capped_page, count_cap, counts_at_once
from aftersales.devices.selectors import devices_of
from aftersales.plans.selectors import plans_of
from aftersales.repairs.models import RepairRequest

from .choices import MessageKind, TicketStatus
from .measures import support_calendar
from .models import Ticket, TicketFile, TicketMessage
from .services import token_hash

PAGE_SIZE = 50
QUEUES: tuple[str, ...] = (
    TicketStatus.NEW,
    TicketStatus.WAITING_US,
    TicketStatus.WAITING_CUSTOMER,
    TicketStatus.TO_SORT,
    TicketStatus.CLOSED,
)
QUEUE_SLUGS = {status.replace("_", "-"): status for status in QUEUES}


# A queue is counted up to this many tickets, then said to hold "more than" that many (as the
# workshop's queues): counting 30,000 index entries of a status at every page is time nobody
# reads.
COUNT_CAP = 1000


def queue_counts(cap: int | None = None) -> dict[str, int]:
    """Open queues' counts (closed tickets are not counted), in one statement: a count per
    status, each a scalar subquery read from `support_queue_idx` alone (a GROUP BY over the
    open tickets read their rows), and each stopped at `cap + 1`: a count above `cap` means
    "more than `cap`"."""
    cap = COUNT_CAP if cap is None else cap
    statuses = [status for status in QUEUES if status != TicketStatus.CLOSED]
    row = counts_at_once([Ticket.objects.filter(status=status) for status in statuses], cap=cap)
    return dict(zip(statuses, row, strict=True))


# What a queue's row shows, and no more (a ticket's description and the customer's answers
# are wide).
ROW_FIELDS = (
    "number",
    "status",
    "subject",
    "email",
    "last_activity_at",
    "first_response_seconds",
    "resolution_seconds",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__email",
)


def queue_page(
    *, status: str, page: Any = 1, assignee: Any = None, counts: dict[str, int] | None = None
) -> Page[Ticket]:
    """One queue, the longest waiting first (closed: the latest first), 50 a page, through
    `support_queue_idx` / `support_assigned_idx`. Counted up to the cap or past the page asked
    for (`page.more`: the queue holds more), or taken from `counts` (`queue_counts`) when they
    reach that far."""
    tickets = Ticket.objects.filter(status=status).select_related("assignee").only(*ROW_FIELDS)
    if assignee is not None:
        tickets = tickets.filter(assignee=assignee)
    order = "-last_activity_at" if status == TicketStatus.CLOSED else "last_activity_at"
    cap = count_cap(page, PAGE_SIZE, COUNT_CAP)
    known = (counts or {}).get(status) if assignee is None and cap == COUNT_CAP else None
    listed = CappedCount(tickets.order_by(order, "id"), cap=cap, known=known)
    return capped_page(listed, page, PAGE_SIZE)


def ticket_search(text: str) -> QuerySet[Ticket]:
    """By ticket number (whole), e-mail (exact), serial number (exact) or case number."""
    text = text.strip()
    if not text:
        return Ticket.objects.none()
    query = Q(number=text.upper()) | Q(serial_number=text.upper()) | Q(serial_number=text)
    if "@" in text:
        # Through `support_email_idx`, lower(email).
        query |= Q(email_lower=text.lower())
    if text.upper().startswith("CAS-"):
        query |= Q(repair_request__case_number=text.upper())
    return (
        Ticket.objects.alias(email_lower=Lower("email"))
        .filter(query)
        .select_related("assignee", "product_model")
        .order_by("-last_activity_at")[:PAGE_SIZE]
    )  # type: ignore[return-value]


def ticket_for_staff(number: str) -> Ticket:
    try:
        return Ticket.objects.select_related(
            "customer", "assignee", "product_model", "repair_request"
        ).get(number=number)
    except Ticket.DoesNotExist as missing:
        raise Http404 from missing


def ticket_for_link(token: str) -> Ticket | None:
    """The ticket of a private link, or None (forged, revoked, or an old one renewed)."""
    if not token or len(token) > 128:
        return None
    return (
        Ticket.objects.select_related("product_model")
        .filter(access_token_hash=token_hash(token))
        .exclude(access_token_hash="")
        .first()
    )


CUSTOMER_STATUS: dict[str, Any] = {
    TicketStatus.WAITING_CUSTOMER: _("Waiting for your answer"),
    TicketStatus.CLOSED: pgettext_lazy("ticket", "Closed"),
}


def status_for_customer(ticket: Ticket) -> str:
    """The status in the customer's words: the inbox's queues say nothing to them."""
    found = CUSTOMER_STATUS.get(ticket.status)
    return str(found if found is not None else _("We are looking at your request"))


def messages_for_customer(ticket: Ticket) -> list[TicketMessage]:
    """The conversation as the customer reads it: never an internal note."""
    return list(
        ticket.messages.exclude(kind=MessageKind.NOTE)
        .select_related("author")
        .prefetch_related("files")
    )


def messages_for_staff(ticket: Ticket) -> list[TicketMessage]:
    return list(ticket.messages.select_related("author").prefetch_related("files"))


def file_for_customer(ticket: Ticket, token: str) -> TicketFile:
    found = (
        TicketFile.objects.filter(ticket=ticket, token=token)
        .exclude(message__kind=MessageKind.NOTE)
        .first()
    )
    if found is None:
        raise Http404
    return found


def file_for_staff(token: str) -> TicketFile:
    found = TicketFile.objects.filter(token=token, ticket__isnull=False).first()
    if found is None:
        raise Http404
    return found


def tickets_of(user: Any) -> QuerySet[Ticket]:
    return Ticket.objects.filter(customer=user).order_by("-last_activity_at")


def _by_email(email: str) -> QuerySet[Ticket]:
    return Ticket.objects.alias(email_lower=Lower("email")).filter(email_lower=email.lower())


@dataclass
class CustomerSide:
    """What the agent reads beside a ticket: the customer's other tickets, devices, plans and
    cases."""

    customer: Any
    tickets: list[Ticket]
    devices: list[Any]
    plans: list[Any]
    cases: list[RepairRequest]


def customer_side(ticket: Ticket, customer: Any) -> CustomerSide | None:
    if customer is None:
        others = list(Ticket.objects.filter(email__iexact=ticket.email).exclude(pk=ticket.pk)[:20])
        return CustomerSide(None, others, [], [], []) if others else None
    return CustomerSide(
        customer=customer,
        tickets=list(
            (Ticket.objects.filter(customer=customer) | _by_email(customer.email))
            .exclude(pk=ticket.pk)
            .order_by("-last_activity_at")[:20]
        ),
        devices=list(devices_of(customer)[:20]),
        plans=list(plans_of(customer)[:20]),
        cases=list(
            RepairRequest.objects.filter(user=customer)
            .exclude(case_number="")
            .order_by("-submitted_at")[:20]
        ),
    )


# --- Measures (issue 10, item 5) ---------------------------------------------------------------

# The inbox's summary: the tickets opened in the last 30 days.
SUMMARY_DAYS = 30


@dataclass(frozen=True)
class TicketMeasures:
    first_response: timedelta | None  # business time from the ticket to the first reply
    resolution: timedelta | None  # business time from the ticket to its closing


def ticket_measures(ticket: Ticket, calendar: BusinessCalendar | None = None) -> TicketMeasures:
    """The measures computed from the ticket's dates with the calendar (what the services
    store when they happen, and the data migration for the tickets before)."""
    calendar = calendar or support_calendar()

    def between(end: Any) -> timedelta | None:
        return calendar.business_time_between(ticket.created_at, end) if end else None

    return TicketMeasures(between(ticket.first_response_at), between(ticket.closed_at))


def stored_measures(ticket: Ticket) -> TicketMeasures:
    """The measures kept on the ticket (no query, no calendar): for the inbox's rows and page."""

    def seconds(value: int | None) -> timedelta | None:
        return None if value is None else timedelta(seconds=value)

    return TicketMeasures(
        seconds(ticket.first_response_seconds), seconds(ticket.resolution_seconds)
    )


@dataclass(frozen=True)
class MeasuresSummary:
    tickets: int
    answered: int
    closed: int
    unanswered: int  # neither answered nor closed yet: still waiting for a first reply
    first_response_average: timedelta | None
    resolution_average: timedelta | None


def measures_summary(tickets: QuerySet[Ticket]) -> MeasuresSummary:
    """The averages over some tickets (e.g. those opened in a period), from the measures kept
    on each: one aggregate query whatever the number of tickets."""
    # Counting a column of `support_created_idx` (never null), not the id: the index covers
    # the summary, which then reads no row.
    row = tickets.order_by().aggregate(
        tickets=Count("created_at"),
        answered=Count("created_at", filter=Q(first_response_seconds__isnull=False)),
        closed=Count("created_at", filter=Q(resolution_seconds__isnull=False)),
        unanswered=Count(
            "created_at", filter=Q(first_response_at__isnull=True) & ~Q(status=TicketStatus.CLOSED)
        ),
        first_response=Avg("first_response_seconds"),
        resolution=Avg("resolution_seconds"),
    )

    def average(value: Any) -> timedelta | None:
        return None if value is None else timedelta(seconds=round(float(value)))

    return MeasuresSummary(
        tickets=row["tickets"],
        answered=row["answered"],
        closed=row["closed"],
        unanswered=row["unanswered"],
        first_response_average=average(row["first_response"]),
        resolution_average=average(row["resolution"]),
    )


def tickets_opened_between(since: datetime, until: datetime) -> QuerySet[Ticket]:
    """The tickets opened from `since` (included) to `until` (excluded), through
    `support_created_idx`; an e-mail still "to sort" is not a request yet."""
    return Ticket.objects.filter(created_at__gte=since, created_at__lt=until).exclude(
        status=TicketStatus.TO_SORT
    )


def recent_measures(days: int = SUMMARY_DAYS) -> MeasuresSummary:
    """The inbox's summary: the tickets opened in the last `days` days."""
    now = timezone.now()
    return measures_summary(tickets_opened_between(now - timedelta(days=days), now))


# The inbox's summary is a month's averages: read at most once a minute, not at every page of
# every agent (it summed 30 days of tickets, a third of the page's time).
_SUMMARY_KEY = "support:recent-measures:{}"
SUMMARY_SECONDS = 60


def recent_measures_shown(days: int = SUMMARY_DAYS) -> MeasuresSummary:
    """`recent_measures`, as of the last minute."""
    summary = cache.get_or_set(
        _SUMMARY_KEY.format(days), lambda: recent_measures(days), SUMMARY_SECONDS
    )
    return summary if isinstance(summary, MeasuresSummary) else recent_measures(days)


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d}"
