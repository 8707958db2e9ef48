"""Activation codes: unguessable, easy to type, checked before any lookup, used once (FAQ 3, 11)."""

from __future__ import annotations

import itertools
import math

import pytest

from aftersales.catalog.tests.factories import ProductLineFactory, ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans import codes
from aftersales.plans.choices import BindingChannel
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import ActivationCode
from aftersales.plans.services import activation_codes_generate, plan_activate_with_code

from .conftest import BOUGHT
from .factories import OfferingFactory


def refused(code):
    return pytest.raises(PlanRuleError, match=f"^{code}:")


@pytest.fixture
def card(offering):
    batch = activation_codes_generate(offering=offering, country="FR", quantity=3)
    return batch.codes.first()


def test_a_code_has_at_least_60_bits_of_randomness():
    assert codes.RANDOM_LENGTH * math.log2(len(codes.ALPHABET)) >= 60


def test_a_code_is_four_groups_of_four_without_ambiguous_characters():
    code = codes.generate_code()
    shown = codes.format_code(code)

    assert len(shown) == 19
    assert [len(group) for group in shown.split("-")] == [4, 4, 4, 4]
    assert not set(code) & set("01ILO")
    assert codes.is_well_formed(code)


def test_every_single_typo_and_every_swap_is_caught():
    code = codes.generate_code()
    for position, char in itertools.product(range(codes.LENGTH), codes.ALPHABET):
        typo = code[:position] + char + code[position + 1 :]
        assert codes.is_well_formed(typo) == (typo == code)
    for i, j in itertools.combinations(range(codes.LENGTH), 2):
        if code[i] != code[j]:
            swapped = list(code)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            assert not codes.is_well_formed("".join(swapped))


def test_typed_codes_are_normalised():
    code = codes.generate_code()
    typed = " " + codes.format_code(code).lower().replace("-", " - ") + " "

    assert codes.normalize_code(typed) == code


def test_a_typo_is_refused_without_any_query(card, device, django_assert_num_queries):
    typo = card.code[:-1] + ("2" if card.code[-1] != "2" else "3")

    with django_assert_num_queries(0), refused("code_invalid"):
        plan_activate_with_code(code=typo, serial_number=device.serial_number)


def test_a_code_with_an_o_or_a_zero_is_refused_without_any_query(db, django_assert_num_queries):
    with django_assert_num_queries(0), refused("code_invalid"):
        plan_activate_with_code(code="O000-2222-3333-4444", serial_number="X")


def test_a_well_formed_code_that_does_not_exist_is_refused(offering, device):
    with refused("code_invalid"):
        plan_activate_with_code(code=codes.generate_code(), serial_number=device.serial_number)


def test_a_card_binds_its_plan_and_is_used(card, device, eu):
    plan = plan_activate_with_code(
        code=card.formatted.lower(), serial_number=device.serial_number, purchased_at=BOUGHT
    )
    card.refresh_from_db()

    assert plan.channel == BindingChannel.ACTIVATION_CARD
    assert plan.activation_code == card
    assert plan.region == eu
    assert card.used_at == BOUGHT
    assert card.used_by_plan == plan


def test_a_code_is_used_once(card, device, mavic_2_pro):
    plan_activate_with_code(code=card.code, serial_number=device.serial_number)

    with refused("code_used"):
        plan_activate_with_code(
            code=card.code, serial_number=DeviceFactory(model=mavic_2_pro).serial_number
        )


def test_a_failed_activation_leaves_the_code_unused(card, device):
    device.activated_at = BOUGHT.replace(year=2020)
    device.save()

    with refused("binding_window_passed"):
        plan_activate_with_code(code=card.code, serial_number=device.serial_number)
    card.refresh_from_db()
    assert card.used_at is None


def test_a_code_of_another_region_is_refused(offering, device):
    swiss_card = activation_codes_generate(offering=offering, country="CH", quantity=1).codes.get()

    with refused("region_mismatch"):
        plan_activate_with_code(code=swiss_card.code, serial_number=device.serial_number)


def test_a_code_of_an_offering_for_another_model_is_refused(eu, device):
    spark = ProductModelFactory(code="spark", name="Spark", line=ProductLineFactory(code="spark"))
    spark_offering = OfferingFactory(code="care-refresh-spark", product_models=[spark])
    spark_card = activation_codes_generate(
        offering=spark_offering, country="FR", quantity=1
    ).codes.get()

    with pytest.raises(PlanRuleError, match=r"^code_wrong_offering:") as error:
        plan_activate_with_code(code=spark_card.code, serial_number=device.serial_number)
    assert "Mavic 2 Pro" in error.value.message


# --- Generation -------------------------------------------------------------------------------


def test_a_batch_has_its_quantity_of_distinct_codes_for_its_region(offering, eu):
    chunks = []

    batch = activation_codes_generate(
        offering=offering, country="DE", quantity=25, batch_size=10, progress=chunks.append
    )

    assert chunks == [10, 10, 5]
    assert batch.region == eu
    values = list(batch.codes.values_list("code", "offering", "region"))
    assert len(values) == len({code for code, _, _ in values}) == 25
    assert {(o, r) for _, o, r in values} == {(offering.pk, eu.pk)}
    assert all(codes.is_well_formed(code) for code, _, _ in values)


def test_codes_are_not_made_for_a_country_where_the_offering_is_not_sold(offering):
    with refused("not_sold_in_country"):
        activation_codes_generate(offering=offering, country="BR", quantity=1)


def test_a_colliding_code_is_generated_again(offering, monkeypatch):
    existing = activation_codes_generate(offering=offering, country="FR", quantity=1).codes.get()
    fresh = codes.generate_code()
    produced = iter([existing.code, fresh])
    monkeypatch.setattr(codes, "generate_codes", lambda count: [next(produced)])

    batch = activation_codes_generate(offering=offering, country="FR", quantity=1)

    assert batch.codes.get().code == fresh
    assert ActivationCode.objects.count() == 2
