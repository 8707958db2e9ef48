"""Issue 10's speed target (inbox queue p95 ≤ 100 ms with 100,000 tickets): a queue page reads
a fixed number of queries whatever the number of tickets, through the queue's index."""

from __future__ import annotations

import secrets

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.support.choices import TicketStatus
from aftersales.support.models import Ticket

pytestmark = pytest.mark.django_db


def tickets(n: int, assignee=None, status="new") -> None:
    now = timezone.now()
    Ticket.objects.bulk_create(
        Ticket(
            number=f"SUP-T{secrets.token_hex(5).upper()}",
            full_name="Client",
            continent="europe",
            email=f"c{i}@example.com",
            subject="Sujet",
            description="Texte",
            reply_token=secrets.token_hex(10),
            last_activity_at=now,
            assignee=assignee,
            status=status,
        )
        for i in range(n)
    )


def queries_for_queue(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/support/inbox/?queue=new").status_code == 200
    return len(captured)


def test_the_queue_page_reads_as_many_queries_for_3_or_60_tickets(agent):
    RepairCentreFactory()
    client = Client()
    client.force_login(agent)
    tickets(3, assignee=agent)
    few = queries_for_queue(client)
    tickets(57, assignee=agent)
    many = queries_for_queue(client)
    assert few == many


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_queue_is_read_through_its_index():
    tickets(3000, status="closed")  # most tickets, as in a year of support
    tickets(100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE support_ticket")
        cursor.execute(
            "EXPLAIN SELECT * FROM support_ticket WHERE status = 'new' "
            "ORDER BY last_activity_at, id LIMIT 50"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "support_queue_idx" in plan, plan


def test_the_queue_rows_show_each_ticket_escaped_and_the_counts_per_queue(agent):
    """The rows are written in Python (`templatetags/inbox.py`): what a customer typed is
    escaped; each queue's tab counts its own tickets."""
    RepairCentreFactory()
    client = Client()
    client.force_login(agent)
    tickets(2)
    tickets(1, status="waiting_customer")
    Ticket.objects.filter(status="new").update(subject="<b>Mon drone</b> & moi")
    page = client.get("/support/inbox/?queue=new").content.decode()
    assert "&lt;b&gt;Mon drone&lt;/b&gt; &amp; moi" in page
    assert "<b>Mon drone</b>" not in page
    for ticket in Ticket.objects.filter(status="new"):
        assert f'<a href="{reverse("support:ticket", args=[ticket.number])}">' in page
    assert f"{TicketStatus.NEW.label} (2)" in page
    assert f"{TicketStatus.WAITING_CUSTOMER.label} (1)" in page
    assert f"{TicketStatus.WAITING_US.label} (0)" in page
