"""The return address step's panel (guide, step 8): add, edit and delete in place through the
address book's services; a new address inside the zone is selected; without JavaScript the
address book pages come back here with `?next=`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.accounts.models import Address
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step, step_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(customer, mine, paris, europe):
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )


def panel(draft):
    return reverse("repairs:address_panel", args=[draft.pk])


NEW = {
    "op": "create",
    "address-full_name": "Alice Durand",
    "address-company": "Durand Drones SARL",
    "address-street": "5 quai des Chartrons",
    "address-postcode": "33000",
    "address-city": "Bordeaux",
    "address-country": "FR",
    "address-phone": "+33 5 56 00 00 00",
    "address-vat_number": "FR40303265045",
}


def test_the_add_form_comes_in_place(customer_client, draft):
    page = customer_client.get(panel(draft) + "?add=1", **HTMX).content.decode()
    assert 'id="address-panel"' in page and 'name="address-full_name"' in page
    assert 'name="address-vat_number"' in page  # VAT number for companies


def test_a_new_address_is_added_and_selected(customer_client, draft):
    page = customer_client.post(panel(draft), NEW, **HTMX).content.decode()
    added = Address.objects.get(city="Bordeaux")
    assert added.vat_number == "FR40303265045"
    assert f'value="{added.pk}" id="id_return_address_{added.pk}"\n                 checked' in page


def test_an_invalid_address_shows_its_errors_in_place(customer_client, draft):
    page = customer_client.post(panel(draft), {**NEW, "address-postcode": ""}, **HTMX)
    assert 'name="address-postcode"' in page.content.decode()
    assert page.context["address_form"].errors["postcode"]
    assert not Address.objects.filter(city="Bordeaux").exists()


def test_an_address_is_edited_and_deleted_in_place(customer_client, draft, paris):
    edit = customer_client.get(panel(draft) + f"?edit={paris.pk}", **HTMX).content.decode()
    assert 'value="12 rue de la Paix"' in edit
    data = {**NEW, "op": "update", "address": paris.pk, "address-city": "Paris"}
    customer_client.post(panel(draft), data, **HTMX)
    paris.refresh_from_db()
    assert paris.street == "5 quai des Chartrons"

    customer_client.post(panel(draft), {"op": "delete", "address": paris.pk}, **HTMX)
    assert not Address.objects.filter(pk=paris.pk).exists()


def test_without_javascript_the_address_book_comes_back_here(customer_client, draft, paris):
    page = customer_client.get(step_url(draft, "address")).content.decode()
    back = f"?next=/repairs/{draft.pk}/address/"
    assert reverse("accounts:address_create") + back in page
    assert reverse("accounts:address_update", args=[paris.pk]) + back in page
    response = customer_client.post(
        reverse("accounts:address_create") + back,
        {k.removeprefix("address-"): v for k, v in NEW.items() if k != "op"}
        | {"next": step_url(draft, "address")},
    )
    assert response["Location"] == step_url(draft, "address")
