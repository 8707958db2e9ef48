"""The product step's third way (a model, the serial number optional) looks serial numbers up
under the same per-account limit as the serial-number way, and never says which model a serial
number of someone else's is: walking the registry through it is closed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs.forms import SERIAL_LOOKUP_LIMIT
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import post_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(customer, europe):
    return RepairRequest.objects.create(user=customer, zone=europe, country="FR")


@pytest.fixture
def strangers(mavic):
    """Mavic 2 Pros registered to nobody the customer knows."""
    return [DeviceFactory(model=mavic, serial_number=f"163CFR0STRANGER{n}") for n in range(3)]


def by_model(client, draft, model, serial: str):
    return post_step(
        client, draft, "product", {"way": "model", "model": model.pk, "model_serial": serial}
    )


def field_errors(response) -> list[str]:
    assert response.status_code == 200, response.get("Location")
    return [str(error) for error in response.context["form"].errors.get("model_serial", [])]


def test_a_serial_number_of_another_model_does_not_say_which_model_it_is(
    customer_client, draft, strangers, zenmuse
):
    response = by_model(customer_client, draft, zenmuse, strangers[0].serial_number)

    [error] = field_errors(response)
    assert "Zenmuse X5S" in error
    assert "Mavic" not in error
    assert "is a Mavic 2 Pro" not in response.content.decode()


def test_a_wrong_model_and_an_unknown_serial_number_count_as_misses(
    customer_client, customer, draft, strangers, zenmuse, mavic
):
    by_model(customer_client, draft, zenmuse, strangers[0].serial_number)
    by_model(customer_client, draft, mavic, "163CFR0NOBODY99")

    assert SERIAL_LOOKUP_LIMIT.failures(customer.pk) == 2


def test_after_too_many_misses_the_model_way_looks_nothing_up(
    customer_client, customer, draft, strangers, zenmuse, mavic
):
    for _ in range(SERIAL_LOOKUP_LIMIT.limit):
        by_model(customer_client, draft, zenmuse, strangers[0].serial_number)

    # Even the right model is not confirmed any more.
    response = by_model(customer_client, draft, mavic, strangers[1].serial_number)

    assert field_errors(response) == [
        "Too many serial numbers were not recognised. Please wait an hour, or leave the "
        "serial number empty."
    ]
    draft.refresh_from_db()
    assert draft.device is None
    assert draft.serial_number == ""


def test_the_limit_is_shared_with_the_serial_number_way(
    customer_client, customer, draft, strangers, zenmuse
):
    for _ in range(SERIAL_LOOKUP_LIMIT.limit):
        by_model(customer_client, draft, zenmuse, strangers[0].serial_number)

    response = customer_client.get(
        reverse("repairs:recognise_serial"), {"serial": strangers[1].serial_number}
    )

    assert "Mavic" not in response.content.decode()
    assert "Too many serial numbers" in response.content.decode()


def test_without_a_serial_number_the_model_way_still_works_at_the_limit(
    customer_client, customer, draft, strangers, zenmuse, mavic
):
    for _ in range(SERIAL_LOOKUP_LIMIT.limit):
        by_model(customer_client, draft, zenmuse, strangers[0].serial_number)

    response = by_model(customer_client, draft, mavic, "")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.product_model == mavic


def test_a_serial_number_of_the_chosen_model_is_recognised(
    customer_client, draft, strangers, mavic
):
    response = by_model(customer_client, draft, mavic, strangers[2].serial_number.lower())

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.device == strangers[2]
    assert draft.serial_number == strangers[2].serial_number
