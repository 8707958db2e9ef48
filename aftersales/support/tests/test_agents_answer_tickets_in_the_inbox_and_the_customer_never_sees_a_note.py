"""Issue 10, item 2: the inbox's queues, assignment, search, public replies e-mailed in the
customer's language with the conversation, internal notes the customer never sees, canned
answers in both languages, files both ways, the customer's records beside the ticket; and who
may see what (every view)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs.tests import sample_files
from aftersales.support.choices import MessageKind, TicketStatus
from aftersales.support.models import CannedAnswer, TicketFile

from .helpers import ticket_made

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.fixture
def french_ticket():
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    return ticket_made(client)


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_agent_replies_in_the_customers_language_and_adds_a_note_the_customer_never_sees(
    agent, french_ticket
):
    ticket, token = french_ticket
    staff = _as(agent)
    queue = staff.get(reverse("support:inbox") + "?queue=new").content.decode()
    assert ticket.number in queue
    page = staff.get(reverse("support:ticket", args=[ticket.number])).content.decode()
    assert "Après une chute" in page
    note = staff.post(
        reverse("support:action", args=[ticket.number, "note"]),
        {"note-body": "Client connu, chute probable."},
    )
    assert note.status_code == 302
    mail.outbox.clear()
    reply = staff.post(
        reverse("support:action", args=[ticket.number, "reply"]),
        {
            "reply-body": "Bonjour, pouvez-vous nous envoyer une photo ?",
            "reply-attachments": SimpleUploadedFile("notice.pdf", sample_files.pdf()),
        },
    )
    assert reply.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_CUSTOMER
    assert ticket.assignee == agent
    assert ticket.first_response_at is not None
    [email] = mail.outbox
    assert "pouvez-vous nous envoyer une photo" in email.body
    assert "Après une chute" in email.body  # the conversation
    assert "Client connu" not in email.body
    customer_page = Client().get(reverse("support:follow", args=[token])).content.decode()
    assert "pouvez-vous nous envoyer une photo" in customer_page
    assert "notice.pdf" in customer_page
    assert "Client connu" not in customer_page
    # The note's file is not the customer's either.
    staff.post(
        reverse("support:action", args=[ticket.number, "note"]),
        {
            "note-body": "Scan interne",
            "note-attachments": SimpleUploadedFile("interne.png", sample_files.png()),
        },
    )
    internal = TicketFile.objects.get(original_name="interne.png")
    assert (
        Client().get(reverse("support:follow_file", args=[token, internal.token])).status_code
        == 404
    )
    sent = TicketFile.objects.get(original_name="notice.pdf")
    download = Client().get(reverse("support:follow_file", args=[token, sent.token]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_the_customer_answers_through_the_link_with_a_file_and_the_ticket_waits_for_us(
    agent, french_ticket
):
    ticket, token = french_ticket
    answer = Client().post(
        reverse("support:follow", args=[token]),
        {
            "body": "Voici la photo.",
            "attachments": SimpleUploadedFile("photo.jpg", sample_files.jpeg()),
        },
    )
    assert answer.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_US
    staff_page = _as(agent).get(reverse("support:ticket", args=[ticket.number])).content.decode()
    assert "Voici la photo." in staff_page and "photo.jpg" in staff_page
    stored = TicketFile.objects.get(original_name="photo.jpg")
    assert _as(agent).get(reverse("support:staff_file", args=[stored.token])).status_code == 200


def test_a_forged_or_revoked_link_is_a_plain_page(agent, french_ticket):
    ticket, token = french_ticket
    forged = Client().get(reverse("support:follow", args=["0" * 64]))
    assert forged.status_code == 404
    assert "no longer valid" in forged.content.decode()
    _as(agent).post(reverse("support:action", args=[ticket.number, "revoke-link"]))
    assert Client().get(reverse("support:follow", args=[token])).status_code == 404
    mail.outbox.clear()
    _as(agent).post(reverse("support:action", args=[ticket.number, "renew-link"]))
    from .helpers import link_token_in_last_mail

    new_token = link_token_in_last_mail()
    assert new_token != token
    assert Client().get(reverse("support:follow", args=[new_token])).status_code == 200
    assert Client().get(reverse("support:follow", args=[token])).status_code == 404


def test_queues_assignment_status_and_search(agent, administrator, french_ticket):
    ticket, _token = french_ticket
    staff = _as(agent)
    assert (
        staff.post(
            reverse("support:action", args=[ticket.number, "assign"]),
            {"assignee": administrator.pk},
        ).status_code
        == 302
    )
    ticket.refresh_from_db()
    assert ticket.assignee == administrator
    mine = staff.get(reverse("support:inbox") + "?queue=new&mine=1").content.decode()
    assert ticket.number not in mine
    for query in (ticket.number, "ELODIE@example.com", "163CG12345"):
        found = staff.get(reverse("support:inbox"), {"q": query}).content.decode()
        assert ticket.number in found, query
    staff.post(reverse("support:action", args=[ticket.number, "status"]), {"status": "closed"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.closed_at is not None
    closed = staff.get(reverse("support:inbox") + "?queue=closed").content.decode()
    assert ticket.number in closed


def test_a_customer_cannot_be_assigned_a_ticket(agent, customer, french_ticket):
    ticket, _token = french_ticket
    response = _as(agent).post(
        reverse("support:action", args=[ticket.number, "assign"]), {"assignee": customer.pk}
    )
    assert response.status_code == 422


def test_canned_answers_start_the_reply_in_the_customers_language(agent, french_ticket):
    ticket, _token = french_ticket
    canned = CannedAnswer.objects.get(title__startswith="FAQ 9")
    page = (
        _as(agent)
        .get(reverse("support:ticket", args=[ticket.number]), {"canned": canned.pk})
        .content.decode()
    )
    assert "ne peut pas être renouvelé" in page.replace("&#x27;", "'")


def test_the_customers_records_are_beside_the_ticket(agent, customer):
    device = DeviceFactory(owner=customer, serial_number="163CG77777")
    client = Client()
    client.force_login(customer)
    ticket, _token = ticket_made(client, email=customer.email)
    page = _as(agent).get(reverse("support:ticket", args=[ticket.number])).content.decode()
    assert device.serial_number in page


@pytest.mark.parametrize(
    "who", ["anonymous", "customer", "other_customer", "reception", "technician", "analyst"]
)
def test_the_inbox_is_for_those_who_may_answer_tickets(request, who, french_ticket):
    ticket, _token = french_ticket
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    stored = TicketFile.objects.create(
        ticket=ticket, token="x" * 32, file="support/none", extension=".pdf",
        original_name="a.pdf", content_type="application/pdf", size=1, sha256="0" * 64,
    )  # fmt: skip
    urls = [
        ("get", reverse("support:inbox")),
        ("get", reverse("support:ticket", args=[ticket.number])),
        ("get", reverse("support:staff_file", args=[stored.token])),
        *[
            ("post", reverse("support:action", args=[ticket.number, action]))
            for action in ("reply", "note", "assign", "status", "link-case", "repair-request",
                           "revoke-link", "renew-link")
        ],
    ]  # fmt: skip
    for method, url in urls:
        data = {"reply-body": "x", "note-body": "x"} if method == "post" else None
        response = getattr(client, method)(url, data)
        expected = 302 if who == "anonymous" else 403
        assert response.status_code == expected, url
        if who == "anonymous":
            assert "/account/login" in response["Location"] or "login" in response["Location"]
    ticket.refresh_from_db()
    assert ticket.messages.filter(kind=MessageKind.NOTE).count() == 0


def test_administrators_may_answer_too(administrator, french_ticket):
    ticket, _token = french_ticket
    assert (
        _as(administrator).get(reverse("support:ticket", args=[ticket.number])).status_code == 200
    )


def test_my_tickets_are_only_mine(customer, other_customer):
    client = Client()
    client.force_login(customer)
    ticket, _token = ticket_made(client, email=customer.email)
    other = Client()
    other.force_login(other_customer)
    assert ticket.number not in other.get(reverse("support:my_tickets")).content.decode()
    assert Client().get(reverse("support:my_tickets")).status_code == 302
