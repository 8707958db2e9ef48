"""`POST /api/v1/plans`: a store order binds a plan to a device (FAQ 3, 6, 9, 14, 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.models import Plan

from ..conftest import BOUGHT
from .conftest import assert_refused

URL = "/api/v1/plans"


def order(api, device, **fields):
    body = {
        "serial_number": device.serial_number,
        "offering": "care-refresh-mavic-2",
        "purchase_country": "FR",
        "purchased_at": BOUGHT.isoformat(),
        **fields,
    }
    return api.post(URL, {k: v for k, v in body.items() if v is not None}, format="json")


def test_a_store_order_binds_a_plan_to_the_device(api, device, offering):
    response = order(api, device)

    assert response.status_code == 201, response.content
    plan = Plan.objects.get(device=device)
    assert response.json() == {
        "reference": str(plan.reference),
        "offering": "care-refresh-mavic-2",
        "serial_number": device.serial_number,
        "original_serial_number": device.serial_number,
        "region": "eu",
        "purchase_country": "FR",
        "purchased_at": "2026-01-15T09:00:00Z",
        "channel": "store_separate",
        "status": plan.status.value,
        "starts_on": "2026-01-15",
        "ends_on": "2027-01-14",
        "replacements_allowed": 2,
        "replacements_used": 0,
        "replacements_left": 2,
        "next_fee": {"amount": "109.00", "currency": "EUR"},
    }
    assert plan.channel == BindingChannel.STORE_SEPARATE


def test_a_plan_sold_with_the_device_says_so(api, device, offering):
    response = order(api, device, channel="store_with_device")

    assert response.status_code == 201
    assert Plan.objects.get(device=device).channel == BindingChannel.STORE_WITH_DEVICE


def test_the_purchase_defaults_to_now(api, device, offering):
    before = timezone.now()

    response = order(api, device, purchased_at=None)

    assert response.status_code == 201, response.content
    plan = Plan.objects.get(device=device)
    assert before <= plan.purchased_at <= timezone.now()
    assert plan.starts_on == timezone.localdate()
    assert response.json()["status"] == "active"


def test_the_serial_number_is_normalised(api, device, offering):
    response = order(
        api,
        device,
        serial_number=f" {device.serial_number.lower()[:5]}-{device.serial_number.lower()[5:]} ",
    )

    assert response.status_code == 201, response.content


def test_the_edge_of_the_binding_window_is_allowed(api, device, offering):
    device.activated_at = BOUGHT - timedelta(hours=48)
    device.save()

    assert order(api, device).status_code == 201


def test_a_device_activated_more_than_48_hours_before_is_refused(api, device, offering):
    device.activated_at = BOUGHT - timedelta(hours=48, seconds=1)
    device.save()

    assert_refused(order(api, device), 422, "binding_window_passed")
    assert not Plan.objects.exists()


def test_a_second_plan_for_the_same_device_is_refused(api, plan, device):
    assert_refused(order(api, device), 422, "already_has_plan")


def test_a_plan_bought_in_another_region_than_the_device_is_refused(api, device, offering):
    # The device was bought in France (EU); the plan in Switzerland.
    assert_refused(order(api, device, purchase_country="CH"), 422, "region_mismatch")


def test_a_plan_in_a_country_where_it_is_not_sold_is_refused(api, device, offering):
    assert_refused(order(api, device, purchase_country="US"), 422, "not_sold_in_country")


def test_a_model_the_offering_does_not_cover_is_refused(api, offering):
    phantom = ProductModelFactory(code="phantom-4", name="Phantom 4")
    device = DeviceFactory(model=phantom)

    response = order(api, device)

    assert_refused(response, 422, "model_not_covered")
    assert "Phantom 4" in response.json()["detail"]


def test_an_unknown_serial_number_is_refused(api, offering):
    response = api.post(
        URL,
        {"serial_number": "NOPE1234", "offering": offering.code, "purchase_country": "FR"},
        format="json",
    )

    assert_refused(response, 422, "device_unknown")


def test_an_unknown_offering_is_refused(api, device, offering):
    assert_refused(order(api, device, offering="no-such-offering"), 422, "offering_unknown")
    assert not Plan.objects.exists()


def test_an_offering_no_longer_on_sale_is_refused(api, device, offering):
    offering.is_active = False
    offering.save()

    assert_refused(order(api, device), 422, "offering_unavailable")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"offering": "not a code"}, {"offering"}),
        ({"purchase_country": "ZZ"}, {"purchase_country"}),
        ({"purchased_at": "yesterday"}, {"purchased_at"}),
        ({"purchased_at": "2999-01-01T00:00:00Z"}, {"purchased_at"}),
        ({"channel": "activation_card"}, {"channel"}),
        ({"serial_number": ""}, {"serial_number"}),
    ],
)
def test_malformed_orders_are_field_errors(api, device, offering, fields, errors):
    response = order(api, device, **fields)

    assert response.status_code == 400
    assert set(response.json()) == errors
    assert not Plan.objects.exists()
