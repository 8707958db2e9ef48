"""The contact form refuses at the field what the ticket's columns cannot hold: an e-mail
address longer than 254 characters (forms.EmailField would take 320), a serial number that
grows when put in upper case ("ß" is "SS") or is not letters and digits; nothing reaches the
database to fail there (a 500 on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from aftersales.support.models import Ticket

from .helpers import contact_data

pytestmark = pytest.mark.django_db

# 64 + 1 + 248 characters: a valid address, over the column's 254.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _errors_of(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def test_an_email_address_longer_than_its_column_is_refused_at_its_field(client):
    assert 254 < len(LONG_EMAIL) <= 320
    response = client.post(reverse("support:contact"), contact_data(client, email=LONG_EMAIL))
    assert response.status_code == 422
    assert _errors_of(response, "email") == ["An e-mail address has at most 254 characters."]
    assert 'id="id_email_error"' in response.content.decode()
    assert Ticket.objects.count() == 0


def test_an_email_address_of_254_characters_is_taken(client):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".cccccc"
    assert len(email) == 254
    response = client.post(reverse("support:contact"), contact_data(client, email=email))
    assert response.status_code == 302
    assert Ticket.objects.get().email == email


@pytest.mark.parametrize(
    "serial",
    [
        "ß" * 40,  # 40 characters typed, 80 once in upper case
        "ﬃ" * 14,  # 14 typed, 42 once in upper case
        "1é3CG12345",  # a letter no serial number has
        "163CG１２３４５",  # full-width digits
        "163CG/12345",
        "AB",  # too short to be one
        "A" * 41,
    ],
)
def test_a_serial_number_not_of_letters_and_digits_is_refused_at_its_field(client, serial):
    response = client.post(reverse("support:contact"), contact_data(client, serial_number=serial))
    assert response.status_code == 422
    assert response.context["form"].has_error("serial_number")
    assert Ticket.objects.count() == 0


def test_a_serial_number_is_kept_without_spaces_and_dashes_in_upper_case(client):
    data = contact_data(client, serial_number=" 163cg-12345 678 ")
    assert client.post(reverse("support:contact"), data).status_code == 302
    assert Ticket.objects.get().serial_number == "163CG12345678"
