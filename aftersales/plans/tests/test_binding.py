"""Binding a plan to a device (FAQ 3, 6, 9, 11, 14, 15)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from aftersales.catalog.tests.factories import ProductLineFactory, ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel, PlanEventKind
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import OfferingFee, PlanDevice, SalesRegion, add_months
from aftersales.plans.services import plan_bind, sales_region_upsert

from .conftest import BOUGHT, at
from .factories import OfferingFactory, SalesRegionFactory


def bind(device, offering, country="FR", purchased_at=BOUGHT, **kwargs):
    return plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country=country,
        purchased_at=purchased_at,
        channel=kwargs.pop("channel", BindingChannel.STORE_SEPARATE),
        **kwargs,
    )


def refused(code):
    return pytest.raises(PlanRuleError, match=f"^{code}:")


def test_a_plan_binds_to_a_device_not_activated_yet(device, offering, eu):
    plan = bind(device, offering)

    assert plan.device == device
    assert plan.original_serial_number == device.serial_number
    assert plan.region == eu
    assert plan.replacements_allowed == 2
    assert plan.replacements_used == 0
    assert plan.replacements_left == 2
    assert PlanDevice.objects.get(device=device).plan == plan
    assert [event.kind for event in plan.events.all()] == [PlanEventKind.PLAN_BOUND]


def test_a_plan_lasts_twelve_months_from_its_contract_date_last_day_included(device, offering):
    plan = bind(device, offering)

    assert plan.starts_on == date(2026, 1, 15)
    assert plan.ends_on == date(2027, 1, 14)


def test_the_contract_date_is_the_local_date_of_the_purchase(device, offering):
    # 23:30 UTC on the 14th is 00:30 on the 15th in Amsterdam.
    from datetime import UTC, datetime

    plan = bind(device, offering, purchased_at=datetime(2026, 1, 14, 23, 30, tzinfo=UTC))

    assert plan.starts_on == date(2026, 1, 15)


def test_a_month_added_to_the_31st_ends_on_the_months_last_day():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_the_serial_number_is_normalised(device, offering):
    device.serial_number = "163dg9r0012345"
    device.save()

    plan = plan_bind(
        serial_number=" 163dg9r0 012-345 ",
        offering=offering,
        purchase_country="fr",
        purchased_at=BOUGHT,
        channel=BindingChannel.STORE_SEPARATE,
    )

    assert plan.device == device


def test_an_unknown_serial_number_is_refused(offering):
    with refused("device_unknown"):
        plan_bind(
            serial_number="NOPE",
            offering=offering,
            purchase_country="FR",
            channel=BindingChannel.STORE_SEPARATE,
        )


def test_a_model_the_offering_does_not_cover_is_refused(offering):
    spark = ProductModelFactory(code="spark", name="Spark", line=ProductLineFactory(code="spark"))
    device = DeviceFactory(model=spark)

    with refused("model_not_covered"):
        bind(device, offering)


def test_an_offering_off_sale_is_refused(device, offering):
    offering.is_active = False
    offering.save()

    with refused("offering_unavailable"):
        bind(device, offering)


# --- FAQ 6: the binding window ----------------------------------------------------------------


def test_a_device_activated_exactly_48_hours_before_the_purchase_can_get_a_plan(device, offering):
    device.activated_at = BOUGHT - timedelta(hours=48)
    device.save()

    assert bind(device, offering).device == device


def test_a_device_activated_48_hours_and_one_second_before_the_purchase_is_refused(
    device, offering
):
    device.activated_at = BOUGHT - timedelta(hours=48, seconds=1)
    device.save()

    with refused("binding_window_passed"):
        bind(device, offering)


def test_a_handheld_has_a_30_day_window(eu, device, offering):
    offering.binding_window_hours = 720
    offering.save()
    device.activated_at = BOUGHT - timedelta(days=30)
    device.save()
    assert bind(device, offering).device == device

    late = DeviceFactory(model=device.model, activated_at=BOUGHT - timedelta(days=30, seconds=1))
    with refused("binding_window_passed"):
        bind(late, offering)


def test_the_window_message_names_its_length(device, offering):
    device.activated_at = BOUGHT - timedelta(days=3)
    device.save()

    with pytest.raises(PlanRuleError) as error:
        bind(device, offering)

    assert "48 hours" in error.value.message


# --- FAQ 9: one plan per device, never renewed -------------------------------------------------


def test_a_device_cannot_get_a_second_plan(plan, device, offering):
    with refused("already_has_plan"):
        bind(device, offering)


def test_a_plan_cannot_be_renewed_after_it_expires(plan, device, offering):
    with refused("already_has_plan"):
        bind(device, offering, purchased_at=at(2027, 1, 20, 10, 0))


def test_the_database_refuses_a_second_binding_of_a_device(plan, device):
    with pytest.raises(IntegrityError):
        PlanDevice.objects.create(plan=plan, device=device, bound_at=BOUGHT)


# --- FAQ 14, 15: region -----------------------------------------------------------------------


def test_a_plan_bought_in_another_eu_country_is_in_the_same_region(device, offering, eu):
    plan = bind(device, offering, country="DE")

    assert plan.region == eu
    assert plan.purchase_country == "DE"


def test_a_plan_bought_in_switzerland_for_a_device_bought_in_france_is_refused(device, offering):
    with refused("region_mismatch"):
        bind(device, offering, country="CH")


def test_a_device_with_no_known_country_of_purchase_is_refused(device, offering):
    device.purchase_country = ""
    device.save()

    with refused("region_mismatch"):
        bind(device, offering)


def test_a_plan_is_not_sold_in_a_country_outside_every_region(device, offering):
    device.purchase_country = "BR"
    device.save()

    with refused("not_sold_in_country"):
        bind(device, offering, country="BR")


def test_a_plan_is_not_sold_in_a_region_the_offering_does_not_list(device, offering):
    SalesRegionFactory(code="gb", name_en="UK", name_fr="R-U", countries=["GB"])
    device.purchase_country = "GB"
    device.save()

    with refused("not_sold_in_country"):
        bind(device, offering, country="GB")


def test_a_country_belongs_to_one_region_only(eu):
    with pytest.raises(PlanRuleError, match=r"^country_in_other_region:.*FR"):
        sales_region_upsert(code="fr", name_en="France", name_fr="France", countries=["FR"])

    with pytest.raises(ValidationError) as error:
        SalesRegion(code="fr", name_en="France", name_fr="France", countries=["FR"]).full_clean()
    assert "countries" in error.value.message_dict


def test_a_region_can_be_updated_with_its_own_countries(eu):
    region = sales_region_upsert(
        code="eu", name_en="EU", name_fr="UE", countries=["FR", "DE", "PT"]
    )

    assert region.pk == eu.pk
    assert region.country_codes == {"FR", "DE", "PT"}


# --- The contract fixes replacements and fees (FAQ 10) ----------------------------------------


def test_the_contract_keeps_its_fees_and_replacements_when_the_offering_changes(
    device, offering, eu
):
    plan = bind(device, offering)
    OfferingFee.objects.filter(offering=offering).update(amount=Decimal("999.00"))
    offering.replacements_allowed = 4
    offering.save()
    plan.refresh_from_db()

    assert plan.replacements_allowed == 2
    assert plan.fee_for(1).amount == Decimal("109.00")
    assert plan.fee_for(2).amount == Decimal("149.00")
    assert plan.express_fee.amount == Decimal("49.00")


def test_a_replacement_without_its_own_fee_takes_the_previous_ones(device, eu, mavic_2_pro):
    offering = OfferingFactory(
        code="single-fee", product_models=[mavic_2_pro], fees={eu: [Decimal("80.00")]}
    )
    plan = bind(device, offering)

    assert plan.fee_for(2).amount == Decimal("80.00")
