"""The return address panel is replaced in place (htmx), and the button that was pressed goes
with it: each new panel says where the keyboard focus goes next and what to read out
(`data-focus`, `data-announce`, read by static/aftersales/site.js), so that the next Tab lands
in the new content, not back at the top of the page. The browser walk tests it by keyboard."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from aftersales.accounts.models import Address
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NEW = {
    "op": "create",
    "address-full_name": "Alice Durand",
    "address-street": "5 quai des Chartrons",
    "address-postcode": "33000",
    "address-city": "Bordeaux",
    "address-country": "FR",
    "address-phone": "+33 5 56 00 00 00",
}


@pytest.fixture
def draft(customer, mine, paris, europe):
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )


def panel_url(draft) -> str:
    return reverse("repairs:address_panel", args=[draft.pk])


def said(response) -> dict[str, str]:
    page = response.content.decode()
    opening = re.search(r'<div id="address-panel"[^>]*>', page)
    assert opening, page
    found = re.findall(r'data-(focus|announce)="([^"]*)"', opening.group(0))
    return {name: html.unescape(value) for name, value in found}


def test_opening_the_add_form_moves_to_its_first_field_and_says_so(customer_client, draft):
    response = customer_client.get(panel_url(draft) + "?add=1", **HTMX)

    assert said(response) == {
        "focus": "#address-form input:not([type=hidden])",
        "announce": "Add a new address",
    }


def test_opening_the_edit_form_says_so(customer_client, draft, paris):
    response = customer_client.get(panel_url(draft) + f"?edit={paris.pk}", **HTMX)

    assert said(response)["announce"] == "Edit an address"


def test_a_refused_address_moves_to_the_first_wrong_field(customer_client, draft):
    response = customer_client.post(panel_url(draft), {**NEW, "address-city": ""}, **HTMX)

    assert said(response)["focus"] == "[aria-invalid=true]"
    assert 'aria-invalid="true"' in response.content.decode()


def test_an_added_address_is_where_the_focus_goes_and_it_is_said(customer_client, draft):
    response = customer_client.post(panel_url(draft), NEW, **HTMX)

    added = Address.objects.get(city="Bordeaux")
    assert said(response) == {
        "focus": f"#id_return_address_{added.pk}:not([disabled])",
        "announce": "The address is added to your address book.",
    }


def test_a_deleted_address_is_said_in_french_too(customer_client, draft, new_york):
    customer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = customer_client.post(
        panel_url(draft), {"op": "delete", "address": new_york.pk}, **HTMX
    )

    assert said(response)["announce"] == "L'adresse a été supprimée."


def test_cancelling_returns_to_the_selected_address(customer_client, draft, paris):
    response = customer_client.get(panel_url(draft), **HTMX)

    assert said(response) == {"focus": f"#id_return_address_{paris.pk}:not([disabled])"}
