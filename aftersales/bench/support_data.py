"""The support inbox's benchmark data (`make bench`, issue 10: the inbox queue p95 ≤ 100 ms with
100,000 tickets): tickets in every queue, mostly closed as after a year of support, each with
its first message, written in batches."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from aftersales.support.choices import MessageChannel, MessageKind, TicketStatus
from aftersales.support.measures import business_seconds, support_calendar
from aftersales.support.models import Ticket, TicketMessage

BATCH = 5_000
# A year of support: most tickets closed, a few thousand open in the queues.
SHARES = (
    (TicketStatus.CLOSED, 0.90),
    (TicketStatus.WAITING_CUSTOMER, 0.04),
    (TicketStatus.WAITING_US, 0.03),
    (TicketStatus.NEW, 0.02),
    (TicketStatus.TO_SORT, 0.01),
)


def bench_support_load(*, tickets: int, progress: Callable[[int], object] = lambda n: None) -> int:
    rng = random.Random(10)
    calendar = support_calendar()  # the measures kept on each ticket (issue 10, item 5)
    now = timezone.now()
    statuses = [status for status, _share in SHARES]
    weights = [share for _status, share in SHARES]
    made = 0
    while made < tickets:
        size = min(BATCH, tickets - made)
        rows = []
        for i in range(made, made + size):
            status = rng.choices(statuses, weights)[0]
            created = now - timedelta(minutes=rng.randrange(1, 525_600))
            responded = (
                None
                if status in (TicketStatus.NEW, TicketStatus.TO_SORT)
                else created + timedelta(hours=rng.randrange(1, 48))
            )
            closed = (
                created + timedelta(days=rng.randrange(1, 20))
                if status == TicketStatus.CLOSED
                else None
            )
            rows.append(
                Ticket(
                    number=f"SUP-B{i:07d}",
                    status=status,
                    full_name=f"Client {i}",
                    continent="europe",
                    country="FR",
                    email=f"bench-ticket-{i}@example.com",
                    subject="Mon drone ne démarre plus",
                    description="Après une chute, le drone ne démarre plus.",
                    language="fr" if i % 2 else "en",
                    reply_token=secrets.token_hex(10),
                    created_at=created,
                    last_activity_at=created + timedelta(hours=rng.randrange(0, 200)),
                    first_response_at=responded,
                    first_response_seconds=(
                        business_seconds(created, responded, calendar) if responded else None
                    ),
                    closed_at=closed,
                    resolution_seconds=(
                        business_seconds(created, closed, calendar) if closed else None
                    ),
                )
            )
        with transaction.atomic():
            saved = Ticket.objects.bulk_create(rows)
            TicketMessage.objects.bulk_create(
                TicketMessage(
                    ticket=ticket,
                    kind=MessageKind.CUSTOMER,
                    channel=MessageChannel.FORM,
                    from_email=ticket.email,
                    body=ticket.description,
                )
                for ticket in saved
            )
        made += size
        progress(size)
    return made
