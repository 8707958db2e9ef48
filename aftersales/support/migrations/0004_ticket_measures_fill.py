"""The measures of the tickets answered or closed before they were kept on the ticket (issue 10,
item 5): business seconds from the ticket's creation to its first response and to its closing,
in the support calendar (the first active repair centre's, as `support.measures.support_calendar`
reads it, built here from the historical models), else the site's zone, 9:00-17:00. Written in
batches; run again, it writes the same."""

import holidays
from django.conf import settings
from django.db import migrations

from aftersales.core.business_time import BusinessCalendar, ClosedDates

BATCH = 2000


def calendar_of(apps):
    centre_model = apps.get_model("catalog", "RepairCentre")
    closed_day_model = apps.get_model("catalog", "ClosedDay")
    centre = centre_model.objects.filter(is_active=True).order_by("pk").first()
    if centre is None:
        return BusinessCalendar(time_zone=settings.TIME_ZONE)
    try:
        public = holidays.country_holidays(
            str(centre.country), subdiv=centre.holiday_subdivision or None
        )
    except NotImplementedError:
        public = holidays.HolidayBase()
    own = frozenset(closed_day_model.objects.filter(centre=centre).values_list("day", flat=True))
    return BusinessCalendar(
        time_zone=centre.time_zone,
        opens=centre.opens_at,
        closes=centre.closes_at,
        weekend=frozenset(centre.weekend_days or ()),
        closed_dates=ClosedDates(public, own),
    )


def seconds(calendar, start, end):
    if end is None:
        return None
    return max(0, round(calendar.business_time_between(start, end).total_seconds()))


def fill(apps, schema_editor):
    ticket_model = apps.get_model("support", "Ticket")
    tickets = (
        ticket_model.objects.exclude(first_response_at=None, closed_at=None)
        .only("created_at", "first_response_at", "closed_at")
        .order_by("pk")
    )
    if not tickets.exists():
        return
    calendar = calendar_of(apps)
    batch = []
    for ticket in tickets.iterator(chunk_size=BATCH):
        ticket.first_response_seconds = seconds(
            calendar, ticket.created_at, ticket.first_response_at
        )
        ticket.resolution_seconds = seconds(calendar, ticket.created_at, ticket.closed_at)
        batch.append(ticket)
        if len(batch) == BATCH:
            ticket_model.objects.bulk_update(
                batch, ["first_response_seconds", "resolution_seconds"]
            )
            batch = []
    if batch:
        ticket_model.objects.bulk_update(batch, ["first_response_seconds", "resolution_seconds"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_service_level_targets"),
        ("support", "0003_ticket_measures"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
