"""Issue 10, item 5: a ticket's first-response and resolution times, in business hours of the
repair centre's calendar (weekends and public holidays do not count), kept on the ticket by the
services when they happen (the first public reply, the closing; cleared when it is opened
again), shown in the inbox with the last 30 days' averages, which are one SQL aggregate."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.support.choices import TicketStatus
from aftersales.support.inbound import message_receive
from aftersales.support.models import Ticket
from aftersales.support.selectors import (
    measures_summary,
    recent_measures,
    stored_measures,
    ticket_measures,
)
from aftersales.support.services import (
    ticket_reply_by_agent,
    ticket_reply_by_customer,
    ticket_status_set,
)

from .helpers import Clock, ticket_at

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def moment(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2026 in Barendrecht (Friday 6, Monday 9 … Friday 13)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def clock(monkeypatch):
    cache.clear()
    RepairCentreFactory()  # Barendrecht: 9:00-17:00, Monday to Friday, Dutch holidays
    return Clock(monkeypatch)


def test_a_ticket_sent_on_friday_evening_answered_on_monday_morning_counts_one_hour(clock, agent):
    ticket = ticket_at(moment(6, 19))  # Friday 19:00, the centre closed
    clock.set(moment(9, 10))  # Monday 10:00
    ticket_reply_by_agent(ticket=ticket, by=agent, body="Bonjour, pouvez-vous préciser ?")
    ticket.refresh_from_db()
    assert ticket.first_response_at == moment(9, 10)
    assert ticket.first_response_seconds == 3600  # Monday 9:00-10:00; the weekend not counted
    assert ticket.resolution_seconds is None

    # A later reply dates nothing: the first response was on Monday.
    clock.set(moment(10, 15))
    ticket_reply_by_agent(ticket=ticket, by=agent, body="Nous attendons votre réponse.")
    ticket.refresh_from_db()
    assert ticket.first_response_at == moment(9, 10) and ticket.first_response_seconds == 3600


def test_closing_measures_the_resolution_and_opening_again_clears_it(clock, agent):
    ticket = ticket_at(moment(6, 16))  # Friday 16:00
    clock.set(moment(9, 10))
    ticket_reply_by_agent(ticket=ticket, by=agent, body="Bonjour.")
    clock.set(moment(10, 9, 30))  # Tuesday 9:30
    ticket_status_set(ticket=ticket, by=agent, status=TicketStatus.CLOSED)
    ticket.refresh_from_db()
    assert ticket.first_response_seconds == 2 * 3600  # Friday 1 h, Monday 1 h
    assert ticket.resolution_seconds == 9 * 3600 + 30 * 60  # Friday 1 h, Monday 8 h, 30 min
    # Closed again: it keeps its closing.
    clock.set(moment(10, 11))
    ticket_status_set(ticket=ticket, by=agent, status=TicketStatus.CLOSED)
    ticket.refresh_from_db()
    assert ticket.closed_at == moment(10, 9, 30) and ticket.resolution_seconds == 34200

    # The customer answers on Wednesday: open again, not resolved; the first response stays.
    clock.set(moment(11, 10))
    ticket_reply_by_customer(ticket=ticket, body="Le problème est revenu.")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_US
    assert ticket.closed_at is None and ticket.resolution_seconds is None
    assert ticket.first_response_seconds == 7200

    # Closed on Thursday at noon: resolved from its opening, 1 + 8 + 8 + 8 + 3 hours.
    clock.set(moment(12, 12))
    ticket_status_set(ticket=ticket, by=agent, status=TicketStatus.CLOSED)
    ticket.refresh_from_db()
    assert ticket.resolution_seconds == 28 * 3600

    # Opened again by an agent: cleared too.
    ticket_status_set(ticket=ticket, by=agent, status=TicketStatus.WAITING_US)
    ticket.refresh_from_db()
    assert ticket.closed_at is None and ticket.resolution_seconds is None


def test_an_answer_by_e_mail_opens_a_closed_ticket_again_unresolved(clock, agent):
    ticket = ticket_at(moment(6, 16))
    clock.set(moment(10, 9, 30))
    ticket_status_set(ticket=ticket, by=agent, status=TicketStatus.CLOSED)
    ticket.refresh_from_db()
    assert ticket.first_response_seconds is None and ticket.resolution_seconds == 34200
    message = EmailMessage()
    message["From"] = "Élodie Martin <elodie@example.com>"
    message["To"] = f"support+{ticket.reply_token}@aftersales.localhost"
    message["Subject"] = "Re: votre demande"
    message.set_content("Finalement le drone ne démarre toujours pas.")
    assert message_receive(message.as_bytes()).matched
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_US
    assert ticket.closed_at is None and ticket.resolution_seconds is None


def _measured_tickets(clock, agent) -> list[Ticket]:
    """Four tickets: answered and closed, answered only, closed without a reply, neither."""
    plan = [
        (moment(6, 16), moment(9, 10), moment(10, 9, 30)),
        (moment(9, 9, 15), moment(9, 13, 40), None),
        (moment(10, 16, 50), None, moment(13, 11, 5)),  # Tuesday evening to Friday
        (moment(11, 8), None, None),
    ]
    tickets = []
    for created, answered, closed in plan:
        ticket = ticket_at(created)
        if answered:
            clock.set(answered)
            ticket_reply_by_agent(ticket=ticket, by=agent, body="Bonjour.")
        if closed:
            clock.set(closed)
            ticket_status_set(ticket=ticket, by=agent, status=TicketStatus.CLOSED)
        ticket.refresh_from_db()
        tickets.append(ticket)
    return tickets


def test_the_sql_summary_equals_the_measures_computed_ticket_by_ticket(clock, agent):
    tickets = _measured_tickets(clock, agent)
    computed = [ticket_measures(ticket) for ticket in tickets]
    assert [stored_measures(ticket) for ticket in tickets] == computed
    responses = [m.first_response for m in computed if m.first_response is not None]
    resolutions = [m.resolution for m in computed if m.resolution is not None]
    assert len(responses) == 2 and len(resolutions) == 2

    summary = measures_summary(Ticket.objects.all())
    assert (summary.tickets, summary.answered, summary.closed, summary.unanswered) == (4, 2, 2, 1)
    assert summary.first_response_average == sum(responses, timedelta()) / 2
    assert summary.resolution_average == sum(resolutions, timedelta()) / 2
    # (2 h + 4 h 25) / 2 and (9 h 30 + 0 h 10 + 8 h + 8 h + 2 h 05) / 2
    assert summary.first_response_average == timedelta(hours=3, minutes=12, seconds=30)
    assert summary.resolution_average == timedelta(hours=13, minutes=52, seconds=30)


def _bulk(n: int, created: datetime) -> None:
    Ticket.objects.bulk_create(
        Ticket(
            number=f"SUP-Q{i:07d}{n}",
            full_name="Client",
            continent="europe",
            email=f"c{i}@example.com",
            subject="Sujet",
            description="Texte",
            reply_token=f"{n}-{i}",
            created_at=created,
            last_activity_at=created,
            first_response_at=created + timedelta(hours=1),
            first_response_seconds=3600 + i,
            status=TicketStatus.WAITING_CUSTOMER,
        )
        for i in range(n)
    )


def test_the_summary_reads_one_query_whatever_the_number_of_tickets(clock):
    now = timezone.now()
    _bulk(3, now - timedelta(days=2))
    with CaptureQueriesContext(connection) as few:
        assert recent_measures().tickets == 3
    _bulk(200, now - timedelta(days=3))
    with CaptureQueriesContext(connection) as many:
        assert recent_measures().answered == 203
    assert len(few) == len(many) == 1


def test_the_inbox_shows_each_tickets_measures_and_the_last_30_days(clock, agent):
    ticket = ticket_at(moment(6, 16))
    clock.set(moment(9, 10))
    ticket_reply_by_agent(ticket=ticket, by=agent, body="Bonjour.")
    clock.set(moment(10, 9, 30))
    ticket_status_set(ticket=ticket, by=agent, status=TicketStatus.CLOSED)
    clock.monkeypatch.undo()
    now = timezone.now()
    recent = [ticket_at(now - timedelta(days=d)) for d in (1, 5, 40)]
    # Measures as the services keep them: 1 h and 3 h to answer, one resolved in 5 h.
    Ticket.objects.filter(pk=recent[0].pk).update(
        first_response_at=now, first_response_seconds=3600
    )
    Ticket.objects.filter(pk=recent[1].pk).update(
        first_response_at=now,
        first_response_seconds=3 * 3600,
        closed_at=now,
        resolution_seconds=5 * 3600,
        status=TicketStatus.CLOSED,
    )
    Ticket.objects.filter(pk=recent[2].pk).update(  # 40 days ago
        first_response_at=now, first_response_seconds=60
    )
    ticket_at(now, status=TicketStatus.TO_SORT)  # an e-mail to sort is not a request yet

    client = Client()
    client.force_login(agent)
    queue = client.get(reverse("support:inbox") + "?queue=closed").content.decode()
    assert "2 h 00" in queue and "9 h 30" in queue
    assert "Tickets opened in the last 30 days" in queue
    section = queue.split('id="inbox-measures"')[1].split("</section>")[0]
    assert "<dd>2</dd>" in section  # tickets, answered
    assert "<dd>1</dd>" in section  # closed
    assert "<dd>0</dd>" in section  # none waiting for a first reply
    assert "<dd>2 h 00</dd>" in section and "<dd>5 h 00</dd>" in section
    page = client.get(reverse("support:ticket", args=[ticket.number])).content.decode()
    assert "2 h 00" in page and "9 h 30" in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(reverse("support:inbox")).content.decode()
    assert "Demandes ouvertes ces 30 derniers jours" in french
    assert "Délai moyen de première réponse (heures ouvrées)" in french


def test_the_data_migration_measures_the_tickets_from_before(clock, agent):
    tickets = _measured_tickets(clock, agent)
    expected = [(t.first_response_seconds, t.resolution_seconds) for t in tickets]
    Ticket.objects.update(first_response_seconds=None, resolution_seconds=None)
    migration = importlib.import_module("aftersales.support.migrations.0004_ticket_measures_fill")
    migration.fill(apps, None)
    migration.fill(apps, None)  # run again: the same
    assert [
        (t.first_response_seconds, t.resolution_seconds)
        for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets]).order_by("pk")
    ] == expected
    assert expected[0] == (7200, 34200)
