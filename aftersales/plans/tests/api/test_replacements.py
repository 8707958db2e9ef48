"""`POST /api/v1/plans/{id}/replacements`: a replacement under the plan (FAQ 1, 3, 10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel, PlanEventKind
from aftersales.plans.models import Plan
from aftersales.plans.services import plan_bind

from .conftest import assert_refused


@pytest.fixture
def current_plan(device, offering):
    return plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=timezone.now() - timedelta(days=1),
        channel=BindingChannel.STORE_WITH_DEVICE,
    )


@pytest.fixture
def stock(mavic_2_pro):
    """Two Mavic 2 Pro in the repair centre's stock."""
    return DeviceFactory.create_batch(2, model=mavic_2_pro, purchase_country="")


def grant(api, plan_id, new_serial_number, **fields):
    return api.post(
        f"/api/v1/plans/{plan_id}/replacements",
        {"new_serial_number": new_serial_number, "reason": "Crashed into a tree", **fields},
        format="json",
    )


def test_a_replacement_is_granted_and_the_plan_follows_the_new_unit(
    api, device, current_plan, stock
):
    new = stock[0]

    response = grant(api, current_plan.pk, new.serial_number.lower(), case_number="C-1001")

    assert response.status_code == 201, response.content
    event = current_plan.events.get(kind=PlanEventKind.REPLACEMENT_GRANTED)
    body = response.json()
    assert body == {
        "id": event.pk,
        "plan": current_plan.pk,
        "kind": "replacement_granted",
        "occurred_at": body["occurred_at"],
        "replacement_number": 1,
        "fee": {"amount": "109.00", "currency": "EUR"},
        "old_serial_number": device.serial_number,
        "new_serial_number": new.serial_number,
        "case_number": "C-1001",
        "reason": "Crashed into a tree",
    }
    current_plan.refresh_from_db()
    assert current_plan.device == new
    assert current_plan.replacements_used == 1


def test_coverage_shows_one_replacement_less_and_the_second_fee_after_a_replacement(
    api, current_plan, stock
):
    grant(api, current_plan.pk, stock[0].serial_number)

    plan = api.get(f"/api/v1/devices/{stock[0].serial_number}/coverage").json()["plan"]

    assert plan["replacements_used"] == 1
    assert plan["replacements_left"] == 1
    assert plan["next_fee"] == {"amount": "149.00", "currency": "EUR"}


def test_the_last_replacement_leaves_none_and_a_third_is_refused(
    api, current_plan, stock, mavic_2_pro
):
    assert grant(api, current_plan.pk, stock[0].serial_number).status_code == 201
    second = grant(api, current_plan.pk, stock[1].serial_number)
    assert second.status_code == 201
    assert second.json()["fee"] == {"amount": "149.00", "currency": "EUR"}
    plan = api.get(f"/api/v1/devices/{stock[1].serial_number}/coverage").json()["plan"]
    assert plan["replacements_left"] == 0
    assert plan["next_fee"] is None

    third = DeviceFactory(model=mavic_2_pro, purchase_country="")
    assert_refused(grant(api, current_plan.pk, third.serial_number), 422, "no_replacements_left")


def test_a_replacement_after_the_plan_ended_is_refused(api, device, offering, stock):
    plan = plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=timezone.now() - timedelta(days=400),
        channel=BindingChannel.STORE_SEPARATE,
    )

    assert_refused(grant(api, plan.pk, stock[0].serial_number), 422, "plan_expired")
    assert Plan.objects.get(pk=plan.pk).replacements_used == 0


def test_an_unregistered_replacement_unit_is_refused(api, current_plan):
    assert_refused(grant(api, current_plan.pk, "NOPE1234"), 422, "replacement_device_unavailable")


def test_a_replacement_unit_of_another_model_is_refused(api, current_plan):
    zoom = DeviceFactory(model=ProductModelFactory(code="mavic-2-zoom", name="Mavic 2 Zoom"))

    assert_refused(
        grant(api, current_plan.pk, zoom.serial_number), 422, "replacement_model_mismatch"
    )


def test_an_unknown_plan_is_not_found(api, db):
    assert_refused(grant(api, 999999, "163DG9R0099999"), 404, "plan_unknown")


def test_a_replacement_needs_a_unit_and_a_reason(api, current_plan):
    response = api.post(f"/api/v1/plans/{current_plan.pk}/replacements", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"new_serial_number", "reason"}
