"""`manage.py bench_support_data` (make bench, issue 10): tickets in every queue, most closed,
each with its first message and its measures; the inbox reads them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from aftersales.bench.scenarios import HTTP_SCENARIOS
from aftersales.support.choices import TicketStatus
from aftersales.support.models import Ticket, TicketMessage

pytestmark = pytest.mark.django_db


def test_the_benchmark_tickets_fill_every_queue_and_the_inbox_reads_them(agent):
    call_command("bench_support_data", "--tickets=600")
    assert Ticket.objects.count() == TicketMessage.objects.count() == 600
    counts = {status: Ticket.objects.filter(status=status).count() for status in TicketStatus}
    assert all(counts.values()), counts
    assert counts[TicketStatus.CLOSED] > 400
    # The measures are kept on each ticket, as the services keep them (issue 10, item 5).
    assert not Ticket.objects.filter(status=TicketStatus.CLOSED, resolution_seconds=None).exists()
    assert not Ticket.objects.filter(
        first_response_at__isnull=False, first_response_seconds=None
    ).exists()
    client = Client()
    client.force_login(agent)
    for scenario in HTTP_SCENARIOS:
        if scenario.name.startswith("support-queue-"):
            queue = scenario.name.removeprefix("support-queue-")
            assert client.get(f"/support/inbox/?queue={queue}").status_code == 200
