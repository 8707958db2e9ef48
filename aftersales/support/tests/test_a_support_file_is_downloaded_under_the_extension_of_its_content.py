"""A ticket's file is offered for download under the customer's name with the extension of the
type read from its content when the name says otherwise ("invoice.html" that is a PDF comes as
"invoice.pdf"), as the repair request's files are: a file never opens as what it is not."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.accounts.tests.factories import UserFactory
from aftersales.repairs.tests import sample_files
from aftersales.support.models import TicketFile

from .helpers import ticket_made

pytestmark = pytest.mark.django_db


def offered_name(response) -> str:
    """Both forms of the header's name: the plain one and RFC 6266's UTF-8 one."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    plain = re.search(r'filename="([^"]*)"', disposition)
    encoded = re.search(r"filename\*=UTF-8''([^;]*)", disposition)
    assert plain is not None
    if encoded is not None:
        assert unquote(encoded.group(1)) == plain.group(1)
    return plain.group(1)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_a_file_whose_name_lies_comes_under_its_contents_extension(client):
    ticket, token = ticket_made(client)
    files = [
        SimpleUploadedFile("invoice.html", sample_files.pdf()),
        SimpleUploadedFile("photo.svg", sample_files.png()),
        SimpleUploadedFile("setup.exe", sample_files.pdf()),
        SimpleUploadedFile("scan.JPEG", sample_files.jpeg()),  # another name of its type
        SimpleUploadedFile("facture.pdf", sample_files.pdf()),
    ]
    response = client.post(
        reverse("support:follow", args=[token]), {"body": "Voici.", "attachments": files}
    )
    assert response.status_code == 302
    names = {}
    for stored in TicketFile.objects.filter(ticket=ticket):
        download = client.get(reverse("support:follow_file", args=[token, stored.token]))
        assert download.status_code == 200
        names[stored.original_name] = offered_name(download)
    assert names == {
        "invoice.html": "invoice.pdf",
        "photo.svg": "photo.png",
        "setup.exe": "setup.pdf",
        "scan.JPEG": "scan.JPEG",
        "facture.pdf": "facture.pdf",
    }


def test_the_agents_download_has_the_same_name(client):
    ticket, token = ticket_made(client)
    client.post(
        reverse("support:follow", args=[token]),
        {"body": "Voici.", "attachments": [SimpleUploadedFile("x.html", sample_files.pdf())]},
    )
    agent = UserFactory(is_staff=True)
    agent.user_permissions.add(Permission.objects.get(codename="answer_ticket"))
    staff = Client()
    staff.force_login(agent)
    stored = TicketFile.objects.get(ticket=ticket)
    download = staff.get(reverse("support:staff_file", args=[stored.token]))
    assert download.status_code == 200
    assert offered_name(download) == "x.pdf"
