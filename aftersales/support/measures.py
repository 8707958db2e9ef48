"""The measures of a ticket (issue 10, item 5): its first response and its resolution, in
business time of the support calendar (the workshop's SLA calendar: the first active repair
centre's hours, weekend, public holidays and closed days), from the ticket's creation.

The services write them on the ticket when they happen (`first_response_seconds` at the first
public reply, `resolution_seconds` at the closing, cleared when the ticket is opened again), so
that a period's averages are one aggregate query (`selectors.measures_summary`), never a loop
over tickets."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from aftersales.catalog.models import RepairCentre
from aftersales.core.business_time import BusinessCalendar

from .models import Ticket


def support_calendar() -> BusinessCalendar:
    """The SLA calendar: the first active repair centre's, else the site's time zone with the
    default hours."""
    centre = RepairCentre.objects.filter(is_active=True).order_by("pk").first()
    if centre is not None:
        return centre.business_calendar()
    return BusinessCalendar(time_zone=settings.TIME_ZONE)


def business_seconds(start: datetime, end: datetime, calendar: BusinessCalendar) -> int:
    """The whole business seconds from `start` to `end` (never negative)."""
    return max(0, round(calendar.business_time_between(start, end).total_seconds()))


def first_response_measure(
    ticket: Ticket, at: datetime, calendar: BusinessCalendar | None = None
) -> None:
    """Dates the ticket's first response (once: a later reply changes nothing). Not saved; the
    calendar is read only when there is something to measure."""
    if ticket.first_response_at is None:
        ticket.first_response_at = at
        ticket.first_response_seconds = business_seconds(
            ticket.created_at, at, calendar or support_calendar()
        )


def resolution_measure(
    ticket: Ticket, at: datetime, calendar: BusinessCalendar | None = None
) -> None:
    """Dates the ticket's closing, unless it is closed already. Not saved."""
    if ticket.closed_at is None:
        ticket.closed_at = at
        ticket.resolution_seconds = business_seconds(
            ticket.created_at, at, calendar or support_calendar()
        )


def resolution_clear(ticket: Ticket) -> None:
    """The ticket is open again: it is resolved when it closes again (measured from its
    creation then). Its first response stays. Not saved."""
    ticket.closed_at = None
    ticket.resolution_seconds = None
