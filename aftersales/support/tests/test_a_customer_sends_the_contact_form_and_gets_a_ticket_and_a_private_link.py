"""Issue 10, item 1: the guide's contact form, logged out and logged in; the ticket number, the
confirmation e-mail in the customer's language with the private link (queued, not sent in the
request); bad input at the field with everything typed and uploaded kept; the rate limit."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs.tests import sample_files
from aftersales.support.choices import MessageKind, TicketStatus
from aftersales.support.models import Ticket, TicketFile

from .helpers import contact_data, link_token_in_last_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_a_logged_out_customer_in_french_gets_a_ticket_number_and_the_email(client):
    client.cookies["django_language"] = "fr"
    data = contact_data(client)
    data["proof_of_purchase"] = SimpleUploadedFile("facture.pdf", sample_files.pdf())
    response = client.post(reverse("support:contact"), data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert ticket.number in page
    assert ticket.language == "fr"
    assert ticket.status == TicketStatus.NEW
    assert ticket.customer is None
    assert ticket.serial_number == "163CG12345"
    assert ticket.country == "FR"
    [stored] = TicketFile.objects.filter(ticket=ticket)
    assert stored.content_type == "application/pdf"
    assert stored.original_name == "facture.pdf"
    [message] = ticket.messages.all()
    assert message.kind == MessageKind.CUSTOMER
    [email] = mail.outbox
    assert email.to == ["elodie@example.com"]
    assert ticket.number in email.subject
    assert "Nous avons bien reçu votre demande" in email.body
    assert email.reply_to == [f"support+{ticket.reply_token}@aftersales.localhost"]
    token = link_token_in_last_mail()
    # Only the hash is kept.
    assert token not in (ticket.access_token_hash, ticket.link_salt)
    follow = client.get(reverse("support:follow", args=[token]))
    assert follow.status_code == 200
    assert "Après une chute" in follow.content.decode()


def test_a_logged_in_customer_picks_one_of_their_products_and_types_no_code(
    client, customer, settings
):
    device = DeviceFactory(owner=customer, serial_number="163CG99999")
    client.force_login(customer)
    page = client.get(reverse("support:contact")).content.decode()
    assert "163CG99999" in page
    assert 'value="alice@example.com"' in page
    assert "captcha_1" not in page
    data = contact_data(client, product_model="", device=device.pk, serial_number="")
    data["email"] = customer.email
    response = client.post(reverse("support:contact"), data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.customer == customer
    assert ticket.product_model == device.model
    assert ticket.serial_number == "163CG99999"
    my_list = client.get(reverse("support:my_tickets")).content.decode()
    assert ticket.number in my_list


def test_a_wrong_code_keeps_what_was_typed_and_the_file(client):
    data = contact_data(client, captcha_1="WRONG")
    data["proof_of_purchase"] = SimpleUploadedFile("facture.png", sample_files.png())
    response = client.post(reverse("support:contact"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "The verification code is not right" in page
    assert "Boutique Drone Lyon" in page
    assert "facture.png" in page
    assert Ticket.objects.count() == 0
    [kept] = TicketFile.objects.filter(ticket=None)
    # The next try, without choosing the file again, sends it with the ticket.
    retry = contact_data(client)
    assert client.post(reverse("support:contact"), retry).status_code == 302
    kept.refresh_from_db()
    assert kept.ticket == Ticket.objects.get()


def test_a_file_of_the_wrong_type_is_refused_at_its_field_and_nothing_typed_is_lost(client):
    data = contact_data(client)
    data["proof_of_purchase"] = SimpleUploadedFile("facture.pdf", b"MZ\x90\x00 program")
    response = client.post(reverse("support:contact"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_proof_of_purchase_error"' in page
    assert "Mon drone ne s&#x27;allume plus" in page
    assert Ticket.objects.count() == 0
    assert TicketFile.objects.count() == 0


def test_missing_fields_are_said_at_their_field(client):
    data = contact_data(client, full_name="", subject="", product_model="")
    response = client.post(reverse("support:contact"), data)
    assert response.status_code == 422
    page = response.content.decode()
    for message in ("Enter your full name.", "Enter a subject.", "Choose your product."):
        assert message in page


def test_an_uploaded_file_kept_from_a_failed_try_can_be_removed(client):
    data = contact_data(client, subject="")
    data["proof_of_purchase"] = SimpleUploadedFile("facture.gif", sample_files.gif())
    client.post(reverse("support:contact"), data)
    [kept] = TicketFile.objects.filter(ticket=None)
    response = client.post(reverse("support:contact"), {"remove_file": kept.token})
    assert response.status_code == 200
    assert TicketFile.objects.count() == 0


def test_another_visitors_kept_file_is_not_theirs_to_send(client, django_user_model):
    data = contact_data(client, subject="")
    data["proof_of_purchase"] = SimpleUploadedFile("facture.gif", sample_files.gif())
    client.post(reverse("support:contact"), data)
    [kept] = TicketFile.objects.filter(ticket=None)
    from django.test import Client

    stranger = Client()
    stranger.post(reverse("support:contact"), {"remove_file": kept.token})
    assert TicketFile.objects.filter(pk=kept.pk).exists()
    assert stranger.post(reverse("support:contact"), contact_data(stranger)).status_code == 302
    kept.refresh_from_db()
    assert kept.ticket is None


def test_many_submissions_from_one_address_are_stopped_wrong_codes_included(client):
    limit = settings.SUPPORT_CONTACT_LIMIT_PER_ADDRESS
    assert limit == 20  # the documented default
    for _ in range(5):
        wrong = client.post(reverse("support:contact"), contact_data(client, captcha_1="NO"))
        assert wrong.status_code == 422
    for _ in range(limit - 5):
        assert client.post(reverse("support:contact"), contact_data(client)).status_code == 302
    response = client.post(reverse("support:contact"), contact_data(client))
    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert Ticket.objects.count() == limit - 5


def test_the_limit_per_address_is_a_setting(client, settings):
    # The benchmark raises it (all its requests come from 127.0.0.1); a site may lower it.
    settings.SUPPORT_CONTACT_LIMIT_PER_ADDRESS = 2
    for _ in range(2):
        assert client.post(reverse("support:contact"), contact_data(client)).status_code == 302
    assert client.post(reverse("support:contact"), contact_data(client)).status_code == 429
    assert Ticket.objects.count() == 2


def test_the_support_channels_and_the_serial_number_help_are_beside_the_form(client, settings):
    settings.AFTERSALES = {**settings.AFTERSALES, "SUPPORT_FORUM_URL": "https://forum.example"}
    page = client.get(reverse("support:contact")).content.decode()
    assert "mailto:support.eu@dji.com" in page
    assert "https://forum.example" in page
    assert 'id="serial-number-locations"' in page
    assert "/captcha/image/" in page


@pytest.mark.skipif(not settings.CAPTCHA_FLITE_PATH, reason="flite is not installed")
def test_the_code_can_be_listened_to_from_the_site_itself(client):
    page = client.get(reverse("support:contact")).content.decode()
    found = re.search(r'href="(/captcha/audio/[0-9a-f]+\.wav)"', page)
    assert found is not None
    sound = client.get(found.group(1))
    assert sound.status_code == 200
    assert b"".join(sound.streaming_content if sound.streaming else [sound.content])[:4] == b"RIFF"
