"""Replacements under a plan (FAQ 1, 3, 10): up to two, each for its contract fee; the new unit
is bound to the plan and the old one keeps its history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel, PlanEventKind, UnbindReason
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import Plan, PlanDevice, PlanEvent
from aftersales.plans.money import Money
from aftersales.plans.selectors import plan_for_serial, plan_replacements_left
from aftersales.plans.services import plan_bind, replacement_grant

from .conftest import at

DURING = at(2026, 6, 1, 12, 0)


def grant(plan, new_device, when=DURING, case_number="CAS-0000001-000001"):
    return replacement_grant(
        plan=plan,
        new_serial_number=new_device.serial_number,
        reason="crashed into a tree",
        case_number=case_number,
        at=when,
    )


def refused(code):
    return pytest.raises(PlanRuleError, match=f"^{code}:")


def test_a_replacement_charges_the_first_fee_and_binds_the_new_unit(plan, device, spare):
    event = grant(plan, spare)
    plan.refresh_from_db()

    assert event.kind == PlanEventKind.REPLACEMENT_GRANTED
    assert event.replacement_number == 1
    assert event.fee == Money(Decimal("109.00"), "EUR")
    assert event.old_serial_number == device.serial_number
    assert event.new_serial_number == spare.serial_number
    assert event.case_number == "CAS-0000001-000001"
    assert plan.replacements_used == 1
    assert plan.device == spare


def test_the_second_replacement_charges_the_second_fee(plan, mavic_2_pro):
    grant(plan, DeviceFactory(model=mavic_2_pro))
    event = grant(plan, DeviceFactory(model=mavic_2_pro))

    assert event.replacement_number == 2
    assert event.fee == Money(Decimal("149.00"), "EUR")


def test_a_third_replacement_is_refused(plan, mavic_2_pro):
    grant(plan, DeviceFactory(model=mavic_2_pro))
    grant(plan, DeviceFactory(model=mavic_2_pro))

    with refused("no_replacements_left"):
        grant(plan, DeviceFactory(model=mavic_2_pro))
    plan.refresh_from_db()
    assert plan.replacements_used == 2
    assert plan_replacements_left(plan) == 0


def test_a_replacement_on_the_plans_last_day_is_granted(plan, spare):
    assert grant(plan, spare, when=at(2027, 1, 14, 23, 59)).replacement_number == 1


def test_a_replacement_the_day_after_the_plan_ends_is_refused(plan, spare):
    with refused("plan_expired"):
        grant(plan, spare, when=at(2027, 1, 15, 0, 0))


def test_a_replacement_before_the_plan_starts_is_refused(plan, spare):
    with refused("plan_not_started"):
        grant(plan, spare, when=at(2026, 1, 14, 23, 59))


def test_the_replacement_unit_must_be_of_the_same_model(plan, mavic_2_zoom):
    with refused("replacement_model_mismatch"):
        grant(plan, DeviceFactory(model=mavic_2_zoom))


def test_the_replacement_unit_must_be_registered(plan):
    with refused("replacement_device_unavailable"):
        replacement_grant(plan=plan, new_serial_number="UNKNOWN", reason="", at=DURING)


def test_the_replacement_unit_cannot_be_the_plans_own_unit(plan, device):
    with refused("replacement_device_unavailable"):
        grant(plan, device)


def test_a_unit_with_a_plan_of_its_own_cannot_be_the_replacement(plan, offering, mavic_2_pro):
    other = DeviceFactory(model=mavic_2_pro)
    plan_bind(
        serial_number=other.serial_number,
        offering=offering,
        purchase_country="FR",
        channel=BindingChannel.STORE_SEPARATE,
    )

    with refused("replacement_device_unavailable"):
        grant(plan, other)


def test_the_replaced_serial_keeps_its_history_and_cannot_get_a_new_plan(
    plan, device, spare, offering
):
    grant(plan, spare)

    old = PlanDevice.objects.get(device=device)
    assert old.plan == plan
    assert old.unbound_at == DURING
    assert old.unbind_reason == UnbindReason.REPLACED
    assert PlanDevice.objects.get(device=spare).unbound_at is None
    with refused("already_has_plan"):
        plan_bind(
            serial_number=device.serial_number,
            offering=offering,
            purchase_country="FR",
            channel=BindingChannel.STORE_SEPARATE,
        )


def test_the_plan_follows_the_new_serial(plan, device, spare):
    grant(plan, spare)

    assert plan_for_serial(spare.serial_number) == plan
    assert plan_for_serial(device.serial_number) is None


def test_the_new_unit_joins_the_customers_account_and_country(plan, device, spare, customer):
    device.owner = customer
    device.save()

    grant(plan, spare)
    spare.refresh_from_db()

    assert spare.owner == customer
    assert spare.purchase_country == "FR"


def test_replacements_left_never_goes_below_zero(plan):
    plan.replacements_used = 3  # only in memory: the database refuses it

    assert plan_replacements_left(plan) == 0
    assert plan.next_fee is None


def test_the_database_refuses_more_replacements_used_than_allowed(plan):
    with pytest.raises(IntegrityError):
        Plan.objects.filter(pk=plan.pk).update(replacements_used=3)


def test_the_database_refuses_the_same_replacement_twice(plan, spare):
    grant(plan, spare)

    with pytest.raises(IntegrityError):
        PlanEvent.objects.create(
            plan=plan,
            kind=PlanEventKind.REPLACEMENT_GRANTED,
            replacement_number=1,
            fee_amount=Decimal("109.00"),
            fee_currency="EUR",
        )
