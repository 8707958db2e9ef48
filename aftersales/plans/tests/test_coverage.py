"""The coverage decision: warranty, plan replacement or not covered, with reasons (FAQ 1, 2, 5,
7, 8, 13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftersales.catalog.choices import ModelKind
from aftersales.catalog.tests.factories import ProductLineFactory, ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel, CoverageOutcome, DamageCause
from aftersales.plans.money import Money
from aftersales.plans.selectors import coverage_decide
from aftersales.plans.services import plan_bind, replacement_grant

from .conftest import BOUGHT, at
from .factories import OfferingFactory

DURING = date(2026, 6, 1)


def decide(serial, component="aircraft", cause=DamageCause.ACCIDENT, on=DURING, **kwargs):
    return coverage_decide(
        serial_number=serial, component_code=component, cause=cause, on_date=on, **kwargs
    )


@pytest.fixture
def activated_plan(device, offering):
    device.activated_at = BOUGHT
    device.save()
    return plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=BOUGHT,
        channel=BindingChannel.STORE_WITH_DEVICE,
    )


def test_an_accident_under_an_active_plan_is_replacement_one_of_two(plan, device):
    decision = decide(device.serial_number)

    assert decision.outcome == CoverageOutcome.PLAN_REPLACEMENT
    assert decision.replacement_number == 1
    assert decision.replacements_allowed == 2
    assert decision.fee == Money(Decimal("109.00"), "EUR")
    assert {c.code for c in decision.covered_components} == {
        "aircraft",
        "gimbal-camera",
        "battery",
        "propellers",
    }
    assert decision.reasons[-1].faq == "FAQ 10"


def test_after_one_replacement_the_next_is_two_of_two_at_the_second_fee(plan, spare):
    replacement_grant(
        plan=plan, new_serial_number=spare.serial_number, reason="", at=at(2026, 3, 1, 9, 0)
    )

    decision = decide(spare.serial_number)

    assert decision.replacement_number == 2
    assert decision.fee == Money(Decimal("149.00"), "EUR")


def test_water_damage_is_covered_like_an_accident(plan, device):
    decision = decide(device.serial_number, cause=DamageCause.WATER)

    assert decision.outcome == CoverageOutcome.PLAN_REPLACEMENT
    water = decision.reasons[0]
    assert (water.code, water.faq) == ("water_covered", "FAQ 13")
    assert water.staff_text
    assert water.customer_text


def test_a_manufacturing_defect_under_warranty_is_free_and_uses_nothing(activated_plan, device):
    decision = decide(device.serial_number, cause=DamageCause.MANUFACTURING_DEFECT)

    assert decision.outcome == CoverageOutcome.WARRANTY
    assert decision.fee is None
    assert decision.replacement_number is None
    assert decision.reason_codes == ["warranty_defect"]
    assert decision.reasons[0].faq == "FAQ 8"
    assert decision.warranty.active
    assert decision.warranty.ends_on == date(2027, 1, 14)
    assert decision.replacements_left == 2


def test_the_warranty_covers_its_last_day_and_not_the_day_after(activated_plan, device):
    on_last_day = decide(
        device.serial_number, cause=DamageCause.MANUFACTURING_DEFECT, on=date(2027, 1, 14)
    )
    day_after = decide(
        device.serial_number, cause=DamageCause.MANUFACTURING_DEFECT, on=date(2027, 1, 15)
    )

    assert on_last_day.outcome == CoverageOutcome.WARRANTY
    assert day_after.outcome == CoverageOutcome.NOT_COVERED
    assert "warranty_expired" in day_after.reason_codes
    assert "plan_expired" in day_after.reason_codes


def test_a_defect_after_the_warranty_can_use_the_plan(activated_plan, device):
    device.model.warranty_months = 3
    device.model.save()

    decision = decide(device.serial_number, cause=DamageCause.MANUFACTURING_DEFECT)

    assert decision.outcome == CoverageOutcome.PLAN_REPLACEMENT
    assert decision.reason_codes == ["warranty_expired", "plan_replacement"]


def test_a_defect_on_a_device_without_plan_or_activation_is_under_warranty(mavic_2_pro):
    device = DeviceFactory(model=mavic_2_pro)

    decision = decide(device.serial_number, cause=DamageCause.MANUFACTURING_DEFECT)

    assert decision.outcome == CoverageOutcome.WARRANTY
    assert decision.warranty.ends_on is None
    assert decision.plan is None


def test_the_plan_covers_its_last_day_and_not_the_day_after(plan, device):
    assert decide(device.serial_number, on=date(2027, 1, 14)).is_covered
    expired = decide(device.serial_number, on=date(2027, 1, 15))

    assert expired.outcome == CoverageOutcome.NOT_COVERED
    assert expired.reason_codes == ["accident_covered", "plan_expired"]
    assert expired.reasons[-1].faq == "FAQ 1"


def test_damage_before_the_plan_starts_is_not_covered(plan, device):
    decision = decide(device.serial_number, on=date(2026, 1, 14))

    assert "plan_not_started" in decision.reason_codes


def test_no_replacement_left_is_not_covered(plan, mavic_2_pro):
    serial = None
    for month in (2, 3):
        serial = DeviceFactory(model=mavic_2_pro).serial_number
        replacement_grant(plan=plan, new_serial_number=serial, reason="", at=at(2026, month, 1, 9))

    decision = decide(serial)

    assert decision.outcome == CoverageOutcome.NOT_COVERED
    assert "no_replacements_left" in decision.reason_codes
    assert decision.replacements_left == 0
    assert decision.fee is None


def test_an_inspire_2_camera_is_not_covered_by_the_aircraft_plan(eu, offering):
    line = ProductLineFactory(code="inspire", name="Inspire")
    inspire = ProductModelFactory(code="inspire-2", name="Inspire 2", line=line)
    inspire_offering = OfferingFactory(
        code="care-refresh-inspire-2",
        product_models=[inspire],
        components=list(offering.components.filter(code__in=["aircraft", "propellers"])),
        regions=[eu],
    )
    device = DeviceFactory(model=inspire)
    plan_bind(
        serial_number=device.serial_number,
        offering=inspire_offering,
        purchase_country="FR",
        purchased_at=BOUGHT,
        channel=BindingChannel.STORE_WITH_DEVICE,
    )

    decision = decide(device.serial_number, component="gimbal-camera")

    assert decision.outcome == CoverageOutcome.NOT_COVERED
    reason = decision.reasons[-1]
    assert (reason.code, reason.faq) == ("component_not_covered", "FAQ 7")
    assert "Gimbal and camera" in reason.customer_text
    assert decide(device.serial_number, component="propellers").is_covered


def test_a_zenmuse_camera_with_its_own_plan_is_covered(eu, offering):
    line = ProductLineFactory(code="zenmuse", name="Zenmuse")
    x5s = ProductModelFactory(
        code="zenmuse-x5s", name="Zenmuse X5S", line=line, kind=ModelKind.GIMBAL_CAMERA
    )
    camera_offering = OfferingFactory(
        code="care-refresh-zenmuse-x5s",
        product_models=[x5s],
        components=list(offering.components.filter(code="gimbal-camera")),
        regions=[eu],
    )
    camera = DeviceFactory(model=x5s)
    plan_bind(
        serial_number=camera.serial_number,
        offering=camera_offering,
        purchase_country="FR",
        purchased_at=BOUGHT,
        channel=BindingChannel.STORE_SEPARATE,
    )

    assert decide(camera.serial_number, component="gimbal-camera").is_covered


def test_a_gimbal_of_another_model_is_not_covered(plan, device):
    decision = decide(
        device.serial_number, component="gimbal-camera", part_model_code="mavic-2-zoom"
    )

    assert decision.outcome == CoverageOutcome.NOT_COVERED
    assert decision.reasons[-1].code == "gimbal_model_mismatch"
    assert decision.reasons[-1].faq == "FAQ 5"
    assert decide(
        device.serial_number, component="gimbal-camera", part_model_code="mavic-2-pro"
    ).is_covered


def test_an_unknown_serial_is_not_covered(db):
    decision = decide("NOPE")

    assert decision.outcome == CoverageOutcome.NOT_COVERED
    assert decision.reason_codes == ["device_unknown"]


def test_a_device_without_a_plan_is_a_paid_repair(mavic_2_pro):
    device = DeviceFactory(model=mavic_2_pro)

    assert decide(device.serial_number).reason_codes == ["no_plan"]


def test_a_replaced_serial_points_to_the_plans_new_unit(plan, device, spare):
    replacement_grant(
        plan=plan, new_serial_number=spare.serial_number, reason="", at=at(2026, 3, 1, 9)
    )

    decision = decide(device.serial_number)

    assert decision.reason_codes == ["serial_replaced"]
    assert spare.serial_number in decision.reasons[0].customer_text


def test_a_decision_takes_at_most_three_queries(plan, device, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        decide(device.serial_number)
    with django_assert_max_num_queries(3):
        decide(device.serial_number, component="remote-controller")
