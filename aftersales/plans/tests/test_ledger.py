"""The plan's ledger: every service event, appended, never changed (FAQ 4, 5, 8, 10)."""

from __future__ import annotations

import pytest

from aftersales.catalog.models import Component
from aftersales.devices.models import ComponentSerial
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import PlanEventKind
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import PlanEvent
from aftersales.plans.services import (
    component_serial_change,
    replacement_grant,
    warranty_repair_record,
)

from .conftest import at


def refused(code):
    return pytest.raises(PlanRuleError, match=f"^{code}:")


@pytest.fixture
def gimbal(offering):
    return Component.objects.get(code="gimbal-camera")


@pytest.fixture
def fitted_gimbal(device, gimbal):
    return ComponentSerial.objects.create(device=device, component=gimbal, serial_number="GMB001")


def test_a_warranty_repair_is_recorded_and_uses_no_replacement(plan):
    event = warranty_repair_record(plan=plan, case_number="CAS-1", note="motor defect")
    plan.refresh_from_db()

    assert event.kind == PlanEventKind.WARRANTY_REPAIR
    assert event.case_number == "CAS-1"
    assert event.replacement_number is None
    assert event.fee is None
    assert plan.replacements_used == 0
    assert plan.replacements_left == 2


def test_a_new_gimbal_serial_replaces_the_old_one_on_the_unit(plan, device, gimbal, fitted_gimbal):
    event = component_serial_change(
        plan=plan,
        component=gimbal,
        new_serial_number="gmb-002",
        part_model=device.model,
        case_number="CAS-2",
    )

    fitted_gimbal.refresh_from_db()
    assert fitted_gimbal.removed_at is not None
    current = ComponentSerial.objects.get(device=device, removed_at__isnull=True)
    assert current.serial_number == "GMB002"
    assert event.kind == PlanEventKind.COMPONENT_SERIAL_CHANGED
    assert (event.old_serial_number, event.new_serial_number) == ("GMB001", "GMB002")
    assert event.component == gimbal


def test_a_first_gimbal_serial_is_recorded_on_a_unit_without_one(plan, device, gimbal):
    event = component_serial_change(
        plan=plan, component=gimbal, new_serial_number="GMB009", part_model=device.model
    )

    assert event.old_serial_number == ""


def test_a_gimbal_of_another_model_is_refused(plan, gimbal, fitted_gimbal, mavic_2_zoom):
    with refused("gimbal_model_mismatch"):
        component_serial_change(
            plan=plan, component=gimbal, new_serial_number="ZOOM01", part_model=mavic_2_zoom
        )
    fitted_gimbal.refresh_from_db()
    assert fitted_gimbal.removed_at is None


def test_a_part_without_a_serial_number_is_refused(plan, device):
    battery = Component.objects.get(code="battery")

    with refused("component_has_no_serial_number"):
        component_serial_change(
            plan=plan, component=battery, new_serial_number="B1", part_model=device.model
        )


def test_a_part_the_plan_does_not_cover_is_refused(plan, device, offering):
    offering.components.remove(Component.objects.get(code="gimbal-camera"))

    with refused("component_not_covered"):
        component_serial_change(
            plan=plan,
            component=Component.objects.get(code="gimbal-camera"),
            new_serial_number="G1",
            part_model=device.model,
        )


def test_a_gimbal_fitted_on_another_unit_is_refused(plan, device, gimbal, mavic_2_pro):
    ComponentSerial.objects.create(
        device=DeviceFactory(model=mavic_2_pro), component=gimbal, serial_number="TAKEN"
    )

    with refused("component_serial_in_use"):
        component_serial_change(
            plan=plan, component=gimbal, new_serial_number="TAKEN", part_model=device.model
        )


def test_the_ledger_tells_the_plans_story_in_order(plan, spare):
    warranty_repair_record(plan=plan, case_number="CAS-1", at=at(2026, 3, 1, 9, 0))
    replacement_grant(
        plan=plan, new_serial_number=spare.serial_number, reason="", at=at(2026, 5, 1, 9, 0)
    )

    assert list(plan.events.values_list("kind", flat=True)) == [
        PlanEventKind.PLAN_BOUND,
        PlanEventKind.WARRANTY_REPAIR,
        PlanEventKind.REPLACEMENT_GRANTED,
    ]


def test_the_ledger_cannot_be_changed_or_deleted(plan):
    event = plan.events.get()

    event.note = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        PlanEvent.objects.filter(plan=plan).update(note="changed")
    with pytest.raises(TypeError):
        PlanEvent.objects.filter(plan=plan).delete()
