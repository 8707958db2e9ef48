"""Anyone can write to support logged out with any e-mail address. When the address is an
account's, the inbox shows that account beside the ticket (its products, plans, cases) — and
says the writer was not logged in, so that the agent tells nothing of the account to a writer
who may not own it (audit); a ticket sent from the account itself carries no such warning."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from .helpers import ticket_made

pytestmark = pytest.mark.django_db

WARNING = 'id="ticket-not-logged-in"'


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def staff_page(agent, ticket) -> str:
    client = Client()
    client.force_login(agent)
    return client.get(reverse("support:ticket", args=[ticket.number])).content.decode()


def test_logged_out_with_an_accounts_address_is_flagged(agent, customer):
    ticket, _token = ticket_made(Client(), email=customer.email)
    page = staff_page(agent, ticket)
    assert "has an account" in page
    assert WARNING in page


def test_from_the_account_itself_is_not_flagged(agent, customer):
    client = Client()
    client.force_login(customer)
    ticket, _token = ticket_made(client, email=customer.email)
    assert ticket.customer_id == customer.pk
    assert WARNING not in staff_page(agent, ticket)


def test_an_address_of_no_account_is_not_flagged(agent):
    ticket, _token = ticket_made(Client(), email="nobody@example.com")
    page = staff_page(agent, ticket)
    assert "has an account" not in page
    assert WARNING not in page
