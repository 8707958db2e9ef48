"""Outbound through a real SMTP exchange on 127.0.0.1 (the core tests' capturing server): the
confirmation and the agent's reply leave with our Message-ID and the ticket's reply address;
the customer's mail program answers the reply as it would (In-Reply-To, References, To the
reply address), and that raw answer, fed to the inbound path, joins the ticket."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.core.cache import cache
from django.test import Client

from aftersales.core.tests._smtp import SmtpCapture
from aftersales.support.choices import TicketStatus
from aftersales.support.inbound import message_receive
from aftersales.support.models import Ticket
from aftersales.support.services import ticket_reply_by_agent

from .helpers import contact_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    server = SmtpCapture()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    cache.clear()
    yield server
    server.close()


def answer_to(received: EmailMessage, body: str) -> bytes:
    """What a mail program sends when the customer presses Reply."""
    answer = EmailMessage()
    answer["From"] = received["To"]
    answer["To"] = received["Reply-To"]
    answer["Subject"] = "RE: " + str(received["Subject"])
    answer["Message-ID"] = "<answer-1@mail.example.com>"
    answer["In-Reply-To"] = received["Message-ID"]
    answer["References"] = received["Message-ID"]
    answer.set_content(body + "\n\n> " + str(received.get_content()).replace("\n", "\n> "))
    return answer.as_bytes()


def test_the_confirmation_and_a_reply_cross_a_real_smtp_exchange_and_the_answer_comes_back(
    smtp, agent
):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert client.post("/support/contact/", contact_data(client)).status_code == 302
    ticket = Ticket.objects.get()
    [confirmation] = smtp.delivered_to("elodie@example.com")
    assert ticket.number in str(confirmation["Subject"])
    assert str(confirmation["Reply-To"]) == f"support+{ticket.reply_token}@aftersales.localhost"

    ticket_reply_by_agent(ticket=ticket, by=agent, body="Pouvez-vous envoyer une photo ?")
    reply = smtp.delivered_to("elodie@example.com")[-1]
    assert "Pouvez-vous envoyer une photo ?" in reply.get_content()
    stored_id = ticket.messages.get(body="Pouvez-vous envoyer une photo ?").email_message_id
    assert str(reply["Message-ID"]) == stored_id

    # The answer matches through its address; the same through In-Reply-To alone.
    inbound = message_receive(answer_to(reply, "Voici la photo demandée."))
    assert inbound.matched and inbound.ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_US
    no_address = (
        answer_to(reply, "Seconde réponse.")
        .replace(f"support+{ticket.reply_token}@".encode(), b"support@")
        .replace(b"answer-1@", b"answer-2@")
    )
    assert message_receive(no_address).ticket == ticket
