"""The return-address panel reads the ids it is sent with a form: a value that is not an id
(`abc`, `²`, a NUL, a number too big for the database) is "not found" or ignored, never a 500
(issue 7: `abc` posted as the address to change answered 500)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.accounts.models import Address
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_IDS = ["abc", "²", "1.5", "-3", "0", "99999999999999999999999", "12\x00", ""]


@pytest.fixture
def quiet(customer) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    return client


@pytest.fixture
def draft(customer, mine, paris, europe):
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )


def panel(draft) -> str:
    return reverse("repairs:address_panel", args=[draft.pk])


@pytest.mark.parametrize("op", ["update", "delete"])
@pytest.mark.parametrize("address", NOT_IDS)
def test_changing_an_address_that_is_not_an_id_is_not_found(quiet, draft, paris, op, address):
    response = quiet.post(panel(draft), {"op": op, "address": address}, **HTMX)

    assert response.status_code == 404
    assert Address.objects.filter(pk=paris.pk).exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_ticked_address_or_an_address_to_edit_that_is_not_an_id_is_ignored(
    quiet, draft, paris, value
):
    response = quiet.get(panel(draft), {"return_address": value, "edit": value, "add": ""}, **HTMX)

    # A NUL in the query string is refused before the panel (core.middleware); the rest shows
    # the panel with the draft's address ticked.
    assert response.status_code == (400 if "\x00" in value else 200)
    if response.status_code == 200:
        assert response.context["selected"] == paris.pk
        assert response.context["editing"] is None


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_posted_ticked_address_that_is_not_an_id_is_ignored(quiet, draft, paris, value):
    response = quiet.post(
        panel(draft), {"op": "create", "return_address": value, "address-city": ""}, **HTMX
    )

    assert response.status_code == 200
    assert response.context["selected"] == paris.pk
