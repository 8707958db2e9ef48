"""Issue 10, item 3: from ticket to case. An agent starts a repair request for the customer
with the ticket's product, serial number and problem (a draft the customer owns and finishes in
the wizard), or links the ticket to a sent case; each one's timeline shows the link."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs.choices import EventKind, RequestStatus
from aftersales.repairs.models import CaseEvent, RepairRequest
from aftersales.repairs.tests.factories import SubmittedCaseFactory

from .helpers import ticket_made

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_repair_request_started_from_a_ticket_is_the_customers_draft_prefilled(
    agent, customer, other_customer
):
    device = DeviceFactory(owner=customer, serial_number="163CG55555")
    # Sent logged out, with the account's address: the agent's request is still the customer's.
    ticket, _token = ticket_made(
        Client(HTTP_ACCEPT_LANGUAGE="fr"),
        email=customer.email,
        serial_number="163cg55555",
        description="La nacelle tremble.",
    )
    mail.outbox.clear()
    response = _as(agent).post(reverse("support:action", args=[ticket.number, "repair-request"]))
    assert response.status_code == 302
    draft = RepairRequest.objects.get()
    assert draft.user == customer and draft.status == RequestStatus.DRAFT
    assert draft.device == device and draft.product_model == device.model
    assert draft.serial_number == "163CG55555"
    assert draft.description == "La nacelle tremble."
    ticket.refresh_from_db()
    assert ticket.repair_request == draft and ticket.customer == customer
    note = CaseEvent.objects.get(request=draft, kind=EventKind.NOTE)
    assert ticket.number in note.note and not note.customer_visible
    # The customer is told, in French, where to finish it; only they can open it.
    [email] = mail.outbox
    assert reverse("repairs:resume", args=[draft.pk]) in email.body
    assert _as(customer).get(reverse("repairs:resume", args=[draft.pk])).status_code == 302
    assert _as(other_customer).get(reverse("repairs:resume", args=[draft.pk])).status_code == 404
    staff_page = _as(agent).get(reverse("support:ticket", args=[ticket.number])).content.decode()
    assert 'id="ticket-case"' in staff_page
    # Twice is refused.
    again = _as(agent).post(reverse("support:action", args=[ticket.number, "repair-request"]))
    assert again.status_code == 302
    assert RepairRequest.objects.count() == 1


def test_without_an_account_the_agent_is_told_to_have_the_customer_sign_up(agent):
    ticket, _token = ticket_made(Client(), email="nobody@example.com")
    response = _as(agent).post(
        reverse("support:action", args=[ticket.number, "repair-request"]), follow=True
    )
    assert "no account with this e-mail address" in response.content.decode()
    assert RepairRequest.objects.count() == 0


def test_a_ticket_linked_to_a_case_shows_in_both_timelines(agent):
    case = SubmittedCaseFactory()
    ticket, _token = ticket_made(Client())
    response = _as(agent).post(
        reverse("support:action", args=[ticket.number, "link-case"]),
        {"case_number": case.case_number.lower()},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.repair_request == case
    assert CaseEvent.objects.filter(request=case, note__contains=ticket.number).exists()
    assert ticket.messages.filter(body__contains=case.case_number).exists()
    case_page = _as(agent).get(reverse("workshop:case", args=[case.case_number])).content
    assert ticket.number in case_page.decode()


def test_an_unknown_case_number_is_said_at_the_form(agent):
    ticket, _token = ticket_made(Client())
    response = _as(agent).post(
        reverse("support:action", args=[ticket.number, "link-case"]), {"case_number": "CAS-0"}
    )
    assert response.status_code == 422
    assert "We know no sent case with this number." in response.content.decode()
