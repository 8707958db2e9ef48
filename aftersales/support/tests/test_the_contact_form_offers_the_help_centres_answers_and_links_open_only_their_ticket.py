"""Before the form is sent, the help centre's three best articles for the subject typed (when
`helpcentre.selectors.articles_suggest`); and
a private link opens its own ticket's files only."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.repairs.tests import sample_files
from aftersales.support.models import TicketFile

from .helpers import contact_data, link_token_in_last_mail

pytestmark = pytest.mark.django_db


def test_the_help_centres_articles_are_offered_for_the_subject(client):
    answer = client.get(
        reverse("support:suggestions"), {"subject": "tombé dans l'eau"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    # The help centre's water-damage answer (FAQ 13), in French, with the action it describes.
    water = reverse("helpcentre:article", args=["water-damage"])
    assert f'href="{water}"' in page
    assert "tombé dans l&#x27;eau" in page or "tombé dans l'eau" in page
    assert page.count("<li>") <= 3


def test_nothing_typed_offers_nothing(client):
    answer = client.get(reverse("support:suggestions"), {"subject": "  "})
    assert answer.status_code == 200
    assert answer.content.decode().strip() == ""


def test_a_link_opens_only_its_own_tickets_files():
    cache.clear()
    tickets = []
    for name in ("a.pdf", "b.pdf"):
        client = Client()
        data = contact_data(client)
        data["proof_of_purchase"] = SimpleUploadedFile(name, sample_files.pdf())
        assert client.post(reverse("support:contact"), data).status_code == 302
        tickets.append((link_token_in_last_mail(), TicketFile.objects.get(original_name=name)))
    (token_a, file_a), (_token_b, file_b) = tickets
    stranger = Client()
    assert (
        stranger.get(reverse("support:follow_file", args=[token_a, file_a.token])).status_code
        == 200
    )
    assert (
        stranger.get(reverse("support:follow_file", args=[token_a, file_b.token])).status_code
        == 404
    )
    assert (
        stranger.get(reverse("support:follow_file", args=["f" * 64, file_a.token])).status_code
        == 404
    )


def test_the_sent_page_is_only_for_who_sent_the_form(client):
    assert client.get(reverse("support:contact_sent")).status_code == 302
