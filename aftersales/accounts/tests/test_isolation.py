"""A customer never sees, changes or deletes another customer's addresses; guessing an id gives
"not found", so that nobody learns which ids exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.accounts.models import Address
from aftersales.accounts.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_address(customer):
    return AddressFactory(user=customer, full_name="Alice Durand", city="Paris")


def test_the_other_customers_list_does_not_show_the_address(other_client, alices_address):
    html = other_client.get(reverse("accounts:address_list")).content.decode()

    assert "Alice Durand" not in html
    assert reverse("accounts:address_update", args=[alices_address.pk]) not in html


def test_the_other_customer_cannot_open_the_edit_page(other_client, alices_address):
    url = reverse("accounts:address_update", args=[alices_address.pk])
    assert other_client.get(url).status_code == 404


def test_the_other_customer_cannot_change_the_address(other_client, alices_address):
    url = reverse("accounts:address_update", args=[alices_address.pk])
    response = other_client.post(
        url,
        {
            "full_name": "Bob Bernard",
            "street": "1 rue du Vol",
            "postcode": "75001",
            "city": "Paris",
            "country": "FR",
            "phone": "+33 6 12 34 56 78",
        },
    )

    assert response.status_code == 404
    alices_address.refresh_from_db()
    assert alices_address.full_name == "Alice Durand"


def test_the_other_customer_cannot_open_the_delete_page(other_client, alices_address):
    url = reverse("accounts:address_delete", args=[alices_address.pk])
    assert other_client.get(url).status_code == 404


def test_the_other_customer_cannot_delete_the_address(other_client, alices_address):
    url = reverse("accounts:address_delete", args=[alices_address.pk])

    response = other_client.post(url)

    assert response.status_code == 404
    assert Address.objects.filter(pk=alices_address.pk).exists()


def test_an_id_that_does_not_exist_is_also_not_found(customer_client):
    assert customer_client.get("/account/addresses/999999/edit/").status_code == 404


def test_each_customer_sees_only_their_own_addresses(
    client, customer, other_customer, alices_address
):
    AddressFactory(user=other_customer, full_name="Bob Bernard")

    client.force_login(other_customer)
    addresses = list(client.get(reverse("accounts:address_list")).context["addresses"])

    assert [a.full_name for a in addresses] == ["Bob Bernard"]
