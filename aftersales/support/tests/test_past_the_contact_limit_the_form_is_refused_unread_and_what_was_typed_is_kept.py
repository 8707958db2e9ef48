"""Past the contact form's limit per address the request is refused before anything is
checked: no file is read, no verification code compared; the page says why (429) and shows
again what was typed. An IPv6 client is counted by its /64 network, which it can send from any
address of."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.repairs import attachments
from aftersales.repairs.tests import sample_files
from aftersales.support.models import Ticket, TicketFile

from .helpers import contact_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.fixture
def files_read(monkeypatch):
    calls: list[str] = []
    real = attachments.attachment_check

    def counted(uploaded_file, *args, **kwargs):
        calls.append(uploaded_file.name)
        return real(uploaded_file, *args, **kwargs)

    monkeypatch.setattr(attachments, "attachment_check", counted)
    return calls


def test_a_request_past_the_limit_reads_no_file_and_checks_nothing(settings, files_read):
    settings.SUPPORT_CONTACT_LIMIT_PER_ADDRESS = 1
    first = Client()
    data = contact_data(first)
    data["proof_of_purchase"] = SimpleUploadedFile("facture.jpg", sample_files.jpeg())
    assert first.post(reverse("support:contact"), data).status_code == 302
    read_before = len(files_read)
    assert read_before > 0  # the request within the limit had its file checked
    for _ in range(3):
        # A new visitor each time (no kept file hides the field), with a wrong code.
        client = Client()
        data = contact_data(client, captcha_1="wrong", subject="Mon drone ne vole plus")
        data["proof_of_purchase"] = SimpleUploadedFile("facture.jpg", sample_files.jpeg())
        response = client.post(reverse("support:contact"), data)
        assert response.status_code == 429
        form = response.context["form"]
        assert not form.is_bound  # never validated
        page = response.content.decode()
        assert "Too many messages from your connection." in page
        assert 'role="alert"' in page
        # What was typed is shown again; the code is not.
        assert 'value="Mon drone ne vole plus"' in page
        assert "Élodie Martin" in page
        assert 'value="wrong"' not in page
    assert len(files_read) == read_before
    assert Ticket.objects.count() == 1
    assert TicketFile.objects.filter(ticket=None).count() == 0


def test_addresses_of_one_ipv6_network_share_the_limit(client, settings):
    settings.SUPPORT_CONTACT_LIMIT_PER_ADDRESS = 3
    statuses = []
    for i in range(5):
        data = contact_data(client, captcha_1="wrong")
        response = client.post(
            reverse("support:contact"), data, REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}"
        )
        statuses.append(response.status_code)
    assert statuses == [422, 422, 422, 429, 429]
    # Another network is another customer.
    other = client.post(
        reverse("support:contact"),
        contact_data(client, captcha_1="wrong"),
        REMOTE_ADDR="2001:db8:1:3::1",
    )
    assert other.status_code == 422
