"""The quick start's demo (issue 10): an answered ticket with an internal note, and an e-mail
waiting in "to sort"; loading again makes nothing more."""

from __future__ import annotations

import pytest

from aftersales.demo.loader import load_demo
from aftersales.support.choices import MessageKind, TicketStatus
from aftersales.support.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_answered_ticket_and_one_to_sort():
    first = load_demo()
    assert first.created["tickets"] == 2
    answered = Ticket.objects.get(number=first.tickets[0])
    assert answered.status == TicketStatus.WAITING_CUSTOMER
    assert answered.messages.filter(kind=MessageKind.NOTE).exists()
    assert Ticket.objects.get(number=first.tickets[1]).status == TicketStatus.TO_SORT
    again = load_demo()
    assert again.created["tickets"] == 0
    assert again.tickets == first.tickets
