"""Before the form is sent, the help centre's three best articles for the subject typed (when
the help centre app is installed: `helpcentre.selectors.articles_suggest`; none otherwise); and
a private link opens its own ticket's files only."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.repairs.tests import sample_files
from aftersales.support.models import TicketFile

from .helpers import contact_data, link_token_in_last_mail

pytestmark = pytest.mark.django_db


@dataclass
class Article:
    title: str

    def get_absolute_url(self) -> str:
        return "/help/water/"


def test_the_help_centres_articles_are_offered_for_the_subject(client, monkeypatch):
    asked = []

    def articles_suggest(text, language, limit=3):
        asked.append((text, language, limit))
        return [Article("Mon drone est tombé dans l'eau")]

    module = types.ModuleType("aftersales.helpcentre.selectors")
    module.articles_suggest = articles_suggest  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "aftersales.helpcentre.selectors", module)
    answer = client.get(
        reverse("support:suggestions"), {"subject": "tombé dans l'eau"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert answer.status_code == 200
    assert "/help/water/" in answer.content.decode()
    assert asked == [("tombé dans l'eau", "fr", 3)]


def test_without_the_help_centre_nothing_is_offered(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "aftersales.helpcentre.selectors", None)
    answer = client.get(reverse("support:suggestions"), {"subject": "eau"})
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
