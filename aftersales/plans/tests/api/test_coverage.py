"""`GET /api/v1/devices/{serial_number}/coverage`: the warranty and the plan of a unit today.

Benchmarked on a million devices, so its query count is pinned here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.models import last_day_of_term
from aftersales.plans.services import plan_bind, replacement_grant

from .conftest import assert_refused


def coverage(api, serial_number):
    return api.get(f"/api/v1/devices/{serial_number}/coverage")


@pytest.fixture
def current_plan(device, offering):
    """A plan bought just now: active today (a plan bought an hour ago started yesterday
    between midnight and 1 am)."""
    return plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=timezone.now(),
        channel=BindingChannel.STORE_WITH_DEVICE,
    )


def test_a_device_with_an_active_plan_shows_its_warranty_and_plan(api, device, current_plan):
    device.activated_at = timezone.now() - timedelta(hours=2)
    device.save()
    today = timezone.localdate()

    response = coverage(api, device.serial_number)

    assert response.status_code == 200
    assert response.json() == {
        "serial_number": device.serial_number,
        "model": "mavic-2-pro",
        "warranty": {
            "active": True,
            "ends_on": last_day_of_term(timezone.localdate(device.activated_at), 12).isoformat(),
        },
        "plan": {
            "reference": str(current_plan.reference),
            "offering": "care-refresh-mavic-2",
            "status": "active",
            "starts_on": today.isoformat(),
            "ends_on": last_day_of_term(today, 12).isoformat(),
            "replacements_allowed": 2,
            "replacements_used": 0,
            "replacements_left": 2,
            "next_fee": {"amount": "109.00", "currency": "EUR"},
            "covered_components": ["aircraft", "battery", "gimbal-camera", "propellers"],
        },
    }


def test_a_device_without_a_plan_has_plan_null(api, device):
    response = coverage(api, device.serial_number)

    assert response.status_code == 200
    assert response.json() == {
        "serial_number": device.serial_number,
        "model": "mavic-2-pro",
        # The warranty counts from activation: not activated yet, it has not started ending.
        "warranty": {"active": True, "ends_on": None},
        "plan": None,
    }


def test_the_warranty_ends_twelve_months_after_activation(api, device):
    device.activated_at = timezone.now() - timedelta(days=400)
    device.save()

    warranty = coverage(api, device.serial_number).json()["warranty"]

    assert warranty == {
        "active": False,
        "ends_on": last_day_of_term(timezone.localdate(device.activated_at), 12).isoformat(),
    }


def test_an_expired_plan_says_so(api, device, offering):
    plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=timezone.now() - timedelta(days=400),
        channel=BindingChannel.STORE_SEPARATE,
    )

    plan = coverage(api, device.serial_number).json()["plan"]

    assert plan["status"] == "expired"
    assert plan["replacements_left"] == 2


def test_the_serial_number_is_normalised(api, device, current_plan):
    written = f"{device.serial_number[:4].lower()}-{device.serial_number[4:].lower()}"

    response = coverage(api, written)

    assert response.status_code == 200
    assert response.json()["serial_number"] == device.serial_number


def test_a_replaced_unit_has_no_plan_any_more_and_the_new_unit_has_it(
    api, device, current_plan, spare
):
    replacement_grant(plan=current_plan, new_serial_number=spare.serial_number, reason="Crash")

    assert coverage(api, device.serial_number).json()["plan"] is None
    plan = coverage(api, spare.serial_number).json()["plan"]
    assert plan["reference"] == str(current_plan.reference)
    assert plan["replacements_left"] == 1


def test_an_unknown_serial_number_is_not_found(api, db):
    assert_refused(coverage(api, "NOPE1234"), 404, "device_unknown")


def test_a_device_with_a_plan_costs_three_queries_then_two(
    api, device, current_plan, django_assert_num_queries
):
    # The token with its user and partner flag, the device with its model, plan and offering,
    # the offering's components (kept a minute by the process, so only on the first lookup).
    with django_assert_num_queries(3):
        first = coverage(api, device.serial_number)
    with django_assert_num_queries(2):
        second = coverage(api, device.serial_number)

    assert first.json() == second.json()
    assert first.json()["plan"]["covered_components"]


def test_a_device_without_a_plan_costs_two_queries(api, device, django_assert_num_queries):
    DeviceFactory.create_batch(5, model=device.model)

    with django_assert_num_queries(2):
        response = coverage(api, device.serial_number)

    assert response.json()["plan"] is None
