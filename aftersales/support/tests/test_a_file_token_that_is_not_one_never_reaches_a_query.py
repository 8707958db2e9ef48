"""A kept file's "Remove" button and a file's download link name the file by its token
(letters, digits, "-" and "_"): anything else, a NUL character for one (which PostgreSQL
refuses in a query: a 500), names no file and is never looked up."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.repairs.tests import sample_files
from aftersales.support import services
from aftersales.support.models import TicketFile

from .helpers import contact_data, ticket_made

pytestmark = pytest.mark.django_db

NOT_TOKENS = ["ab\x00cd", "a b", "../x", "é" * 8, "x" * 65]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.mark.parametrize("value", NOT_TOKENS)
def test_removing_a_kept_file_by_something_not_a_token_changes_nothing(client, value):
    data = contact_data(client, subject="")
    data["proof_of_purchase"] = SimpleUploadedFile("facture.gif", sample_files.gif())
    client.post(reverse("support:contact"), data)
    [kept] = TicketFile.objects.filter(ticket=None)
    typed = contact_data(client, remove_file=value, subject="Mon drone")
    response = client.post(reverse("support:contact"), typed)
    assert response.status_code == 200
    assert TicketFile.objects.filter(pk=kept.pk).exists()
    page = response.content.decode()
    assert "facture.gif" in page  # still shown, with its button
    assert 'value="Mon drone"' in page  # what was typed is kept


@pytest.mark.parametrize("value", NOT_TOKENS)
def test_the_service_looks_up_no_file_for_something_not_a_token(value, django_assert_num_queries):
    with django_assert_num_queries(0):
        services.pending_files_drop(session_key="s" * 32, tokens=[value])


@pytest.mark.parametrize("value", ["a b", "é" * 8, "x" * 65])
def test_a_download_link_with_something_not_a_token_is_not_found(client, value):
    _ticket, token = ticket_made(client)
    url = reverse("support:follow_file", args=[token, value])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 404
    assert not [q for q in queries if "support_ticketfile" in q["sql"]]
