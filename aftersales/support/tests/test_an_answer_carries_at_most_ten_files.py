"""One answer (the customer's through the private link, an agent's reply or note) carries at
most ten files: more are refused at the field, counted before any file is read, and the
services refuse them too."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.accounts.tests.factories import UserFactory
from aftersales.repairs import attachments
from aftersales.repairs.tests import sample_files
from aftersales.support import services
from aftersales.support.models import TicketFile, TicketMessage

from .helpers import ticket_made

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def gifs(count: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"photo{i}.gif", sample_files.gif()) for i in range(count)]


def test_ten_files_are_taken(client):
    ticket, token = ticket_made(client)
    response = client.post(
        reverse("support:follow", args=[token]), {"body": "Voici.", "attachments": gifs(10)}
    )
    assert response.status_code == 302
    assert TicketFile.objects.filter(ticket=ticket).count() == 10


def test_eleven_files_are_refused_at_the_field_before_any_is_read(client, monkeypatch):
    ticket, token = ticket_made(client)
    read = []
    monkeypatch.setattr(attachments, "attachment_check", lambda *a, **k: read.append(a))
    messages_before = TicketMessage.objects.filter(ticket=ticket).count()
    response = client.post(
        reverse("support:follow", args=[token]), {"body": "Voici.", "attachments": gifs(11)}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["attachments"] == ["Choose at most 10 files."]
    assert 'id="id_attachments_error"' in response.content.decode()
    assert read == []
    assert TicketFile.objects.filter(ticket=ticket).count() == 0
    assert TicketMessage.objects.filter(ticket=ticket).count() == messages_before


def test_an_agents_reply_with_eleven_files_is_refused(client):
    ticket, _token = ticket_made(client)
    agent = UserFactory(is_staff=True)
    agent.user_permissions.add(Permission.objects.get(codename="answer_ticket"))
    staff = Client()
    staff.force_login(agent)
    response = staff.post(
        reverse("support:action", args=[ticket.number, "reply"]),
        {"reply-body": "Bonjour", "reply-attachments": gifs(11)},
    )
    assert response.status_code == 422
    assert "Choose at most 10 files." in response.content.decode()
    assert TicketFile.objects.filter(ticket=ticket).count() == 0


def test_the_service_refuses_more_files_than_the_cap(client):
    ticket, _token = ticket_made(client)
    with pytest.raises(ValidationError) as refused:
        services.ticket_reply_by_customer(ticket=ticket, body="Voici.", uploaded_files=gifs(11))
    assert refused.value.code == "too_many"
    assert TicketFile.objects.filter(ticket=ticket).count() == 0
