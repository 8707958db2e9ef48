"""Issue 10, item 5: a ticket's first-response and resolution times, in business hours of the
repair centre's calendar (weekends and public holidays do not count), shown in the inbox; and
the summary the workshop dashboard can call."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.support.choices import TicketStatus
from aftersales.support.models import Ticket
from aftersales.support.selectors import measures_summary, ticket_measures

from .helpers import ticket_made

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def timed_ticket():
    cache.clear()
    RepairCentreFactory()  # Barendrecht: 9:00-17:00, Monday to Friday, Dutch holidays
    ticket, _token = ticket_made(Client())
    # Friday 6 March 2026 16:00; answered Monday 9 March 10:00; closed Tuesday 10 March 9:30.
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=datetime(2026, 3, 6, 16, 0, tzinfo=AMSTERDAM),
        first_response_at=datetime(2026, 3, 9, 10, 0, tzinfo=AMSTERDAM),
        closed_at=datetime(2026, 3, 10, 9, 30, tzinfo=AMSTERDAM),
        status=TicketStatus.CLOSED,
    )
    ticket.refresh_from_db()
    return ticket


def test_the_weekend_does_not_count(timed_ticket):
    measures = ticket_measures(timed_ticket)
    assert measures.first_response == timedelta(hours=2)
    assert measures.resolution == timedelta(hours=9, minutes=30)


def test_the_summary_averages_what_was_answered_and_closed(timed_ticket):
    ticket_made(Client())  # not answered yet
    summary = measures_summary(Ticket.objects.all())
    assert summary.tickets == 2 and summary.answered == 1 and summary.closed == 1
    assert summary.first_response_average == timedelta(hours=2)


def test_the_inbox_shows_them(timed_ticket, agent):
    client = Client()
    client.force_login(agent)
    queue = client.get(reverse("support:inbox") + "?queue=closed").content.decode()
    assert "2 h 00" in queue and "9 h 30" in queue
    page = client.get(reverse("support:ticket", args=[timed_ticket.number])).content.decode()
    assert "2 h 00" in page
