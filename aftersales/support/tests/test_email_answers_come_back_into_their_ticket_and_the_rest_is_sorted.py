"""Issue 10, item 2: a real RFC 5322 message fed to the inbound path (stdin, maildir, mbox)
joins its ticket by the reply address or by the Message-ID of our e-mail it answers — never by
its subject; an unmatched one is in "to sort"; auto-replies are recorded and answer nothing; a
huge or refused attachment is left out and the rest of the message kept."""

from __future__ import annotations

import io
import mailbox
import sys
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from aftersales.repairs.tests import sample_files
from aftersales.support.choices import MessageChannel, TicketStatus
from aftersales.support.inbound import message_receive
from aftersales.support.models import Ticket, TicketFile
from aftersales.support.services import ticket_reply_by_agent

from .helpers import ticket_made

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.fixture
def ticket():
    made, _token = ticket_made(Client(HTTP_ACCEPT_LANGUAGE="fr"))
    return made


def raw(
    *,
    to="support@aftersales.localhost",
    subject="Re: votre demande",
    body="Voici ma réponse.",
    headers=None,
    files=(),
) -> bytes:
    message = EmailMessage()
    message["From"] = "Élodie Martin <elodie@example.com>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{abs(hash((to, subject, body)))}@mail.example.com>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for name, data, maintype, subtype in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_an_answer_to_the_reply_address_joins_its_ticket(ticket):
    inbound = message_receive(raw(to=f"support+{ticket.reply_token}@aftersales.localhost"))
    assert inbound.matched and inbound.ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_US
    last = ticket.messages.last()
    assert last.body == "Voici ma réponse." and last.channel == MessageChannel.EMAIL


def test_an_answer_quoting_our_message_id_joins_its_ticket(ticket, agent):
    reply = ticket_reply_by_agent(ticket=ticket, by=agent, body="Une photo, s'il vous plaît.")
    reply.refresh_from_db()
    assert reply.email_message_id == mail.outbox[-1].extra_headers["Message-ID"]
    inbound = message_receive(
        raw(headers={"In-Reply-To": reply.email_message_id, "References": reply.email_message_id})
    )
    assert inbound.matched and inbound.ticket == ticket


def test_a_subject_alone_matches_nothing_and_lands_in_to_sort(ticket):
    inbound = message_receive(raw(subject=f"Re: [{ticket.number}] {ticket.subject}"))
    assert not inbound.matched
    assert inbound.ticket != ticket
    assert inbound.ticket.status == TicketStatus.TO_SORT
    assert inbound.ticket.email == "elodie@example.com"
    assert inbound.ticket.messages.get().body == "Voici ma réponse."


@pytest.mark.parametrize(
    "header",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_an_auto_reply_is_recorded_but_answers_nothing(ticket, header):
    ticket.status = TicketStatus.WAITING_CUSTOMER
    ticket.save()
    mail.outbox.clear()
    inbound = message_receive(
        raw(to=f"support+{ticket.reply_token}@aftersales.localhost", body="Absent", headers=header)
    )
    assert inbound.matched and inbound.automatic
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING_CUSTOMER
    assert ticket.messages.last().automatic
    assert mail.outbox == []


def test_a_huge_or_refused_attachment_is_left_out_and_the_rest_kept(ticket, settings):
    settings.AFTERSALES = {**settings.AFTERSALES, "UPLOAD_MAX_BYTES": 50_000}
    message = raw(
        to=f"support+{ticket.reply_token}@aftersales.localhost",
        files=[
            ("facture.pdf", sample_files.pdf(), "application", "pdf"),
            ("enorme.pdf", sample_files.pdf_of_size(60_000), "application", "pdf"),
            ("virus.exe", b"MZ\x90\x00program", "application", "octet-stream"),
        ],
    )
    inbound = message_receive(message)
    assert inbound.matched
    kept = TicketFile.objects.filter(message=inbound.message)
    assert [f.original_name for f in kept] == ["facture.pdf"]
    assert "enorme.pdf" in inbound.message.body and "virus.exe" in inbound.message.body
    assert inbound.message.body.startswith("Voici ma réponse.")


def test_the_same_message_delivered_twice_is_recorded_once(ticket):
    message = raw(to=f"support+{ticket.reply_token}@aftersales.localhost")
    message_receive(message)
    again = message_receive(message)
    assert again.duplicate
    assert ticket.messages.count() == 2  # the form's and this one


def test_the_command_reads_stdin_a_maildir_and_an_mbox(ticket, tmp_path, monkeypatch):
    piped = raw(to=f"support+{ticket.reply_token}@aftersales.localhost", body="Par le tuyau")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(piped)))
    out = io.StringIO()
    call_command("support_inbound", stdout=out)
    assert f"appended to {ticket.number}" in out.getvalue()

    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(raw(to=f"support+{ticket.reply_token}@aftersales.localhost", body="Du maildir"))
    box.add(raw(body="Personne"))
    out = io.StringIO()
    call_command("support_inbound", maildir=str(tmp_path / "Maildir"), stdout=out)
    assert "appended to" in out.getvalue() and "to sort as" in out.getvalue()
    assert len(mailbox.Maildir(tmp_path / "Maildir", create=False)) == 0

    mbox = mailbox.mbox(tmp_path / "inbox.mbox")
    mbox.add(raw(to=f"support+{ticket.reply_token}@aftersales.localhost", body="De la mbox"))
    mbox.flush()
    mbox.close()
    call_command("support_inbound", mbox=str(tmp_path / "inbox.mbox"), stdout=io.StringIO())
    bodies = list(ticket.messages.values_list("body", flat=True))
    assert {"Par le tuyau", "Du maildir", "De la mbox"} <= set(bodies)
    assert Ticket.objects.filter(status=TicketStatus.TO_SORT).count() == 1
