"""A file kept from a failed try of the contact form, whose visitor never came back, is removed
by the nightly task (row and file); a file of a ticket stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aftersales.repairs.tests import sample_files
from aftersales.support.models import TicketFile
from aftersales.support.tasks import purge_pending_files

from .helpers import contact_data

pytestmark = pytest.mark.django_db


def test_an_abandoned_upload_is_removed_and_a_tickets_file_stays(
    django_capture_on_commit_callbacks,
):
    cache.clear()
    client = Client()
    data = contact_data(client, subject="")
    data["proof_of_purchase"] = SimpleUploadedFile("oubli.pdf", sample_files.pdf())
    client.post(reverse("support:contact"), data)
    data = contact_data(client)
    data["proof_of_purchase"] = SimpleUploadedFile("facture.pdf", sample_files.pdf())
    Client().post(reverse("support:contact"), data)
    abandoned = TicketFile.objects.get(original_name="oubli.pdf")
    TicketFile.objects.update(uploaded_at=timezone.now() - timedelta(days=2))
    storage, name = abandoned.file.storage, abandoned.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_pending_files.call() == 1
    assert not TicketFile.objects.filter(pk=abandoned.pk).exists()
    assert not storage.exists(name)
    assert TicketFile.objects.filter(original_name="facture.pdf").exists()
    assert purge_pending_files.call() == 0
