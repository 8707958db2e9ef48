"""`POST /api/v1/plans/activate`: a store redeems an activation card for a device (FAQ 3, 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans import codes
from aftersales.plans.choices import BindingChannel
from aftersales.plans.models import Plan
from aftersales.plans.services import activation_codes_generate

from .conftest import assert_refused

URL = "/api/v1/plans/activate"


@pytest.fixture
def card(offering):
    """An activation card sold in France."""
    batch = activation_codes_generate(offering=offering, country="FR", quantity=1)
    return batch.codes.get()


def activate(api, code, serial_number):
    return api.post(URL, {"activation_code": code, "serial_number": serial_number}, format="json")


def test_a_card_binds_its_plan_to_the_device(api, card, device):
    response = activate(api, card.formatted, device.serial_number)

    assert response.status_code == 201, response.content
    plan = Plan.objects.get(device=device)
    body = response.json()
    assert body["reference"] == str(plan.reference)
    assert body["offering"] == "care-refresh-mavic-2"
    assert body["channel"] == "activation_card"
    assert body["purchase_country"] == "FR"
    assert body["starts_on"] == timezone.localdate().isoformat()
    assert body["replacements_left"] == 2
    assert plan.channel == BindingChannel.ACTIVATION_CARD
    card.refresh_from_db()
    assert card.is_used


def test_the_code_may_be_typed_in_lower_case_without_dashes(api, card, device):
    assert activate(api, card.code.lower(), device.serial_number).status_code == 201


def test_a_mistyped_code_is_invalid(api, card, device):
    typo = ("3" if card.code[0] == "2" else "2") + card.code[1:]

    assert_refused(activate(api, typo, device.serial_number), 422, "code_invalid")


def test_a_well_formed_code_that_was_never_issued_is_invalid(api, card, device):
    assert_refused(activate(api, codes.generate_code(), device.serial_number), 422, "code_invalid")


def test_a_code_is_used_once(api, card, device, mavic_2_pro):
    activate(api, card.code, device.serial_number)
    other = DeviceFactory(model=mavic_2_pro)

    assert_refused(activate(api, card.code, other.serial_number), 422, "code_used")


def test_a_card_for_another_model_is_refused(api, card):
    phantom = DeviceFactory(model=ProductModelFactory(code="phantom-4", name="Phantom 4"))

    assert_refused(activate(api, card.code, phantom.serial_number), 422, "code_wrong_offering")
    card.refresh_from_db()
    assert not card.is_used


def test_a_card_sold_in_another_region_than_the_device_is_refused(api, card, mavic_2_pro):
    swiss = DeviceFactory(model=mavic_2_pro, purchase_country="CH")

    assert_refused(activate(api, card.code, swiss.serial_number), 422, "region_mismatch")


def test_a_device_activated_too_long_ago_is_refused(api, card, device):
    device.activated_at = timezone.now() - timedelta(days=3)
    device.save()

    assert_refused(activate(api, card.code, device.serial_number), 422, "binding_window_passed")


def test_a_device_that_has_a_plan_is_refused(api, card, plan, device):
    assert_refused(activate(api, card.code, device.serial_number), 422, "already_has_plan")


def test_an_unknown_device_is_refused(api, card):
    assert_refused(activate(api, card.code, "NOPE1234"), 422, "device_unknown")


def test_missing_fields_are_field_errors(api, db):
    response = api.post(URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"activation_code", "serial_number"}


def test_refused_attempts_are_limited_per_partner_account(api, card, device, monkeypatch):
    from aftersales.core.ratelimit import FailureLimit
    from aftersales.plans.api import views

    monkeypatch.setattr(
        views,
        "API_REDEMPTION_LIMIT_PER_ACCOUNT",
        FailureLimit(scope="test:api:account", limit=3, window=3600),
    )
    well_formed_but_unknown = codes.format_code(codes.generate_code())
    for _ in range(3):
        assert_refused(
            activate(api, well_formed_but_unknown, device.serial_number), 422, "code_invalid"
        )

    # Even the right code is turned away until the window ends.
    assert_refused(activate(api, card.formatted, device.serial_number), 429, "rate_limited")
    assert not Plan.objects.filter(device=device).exists()


def test_good_redemptions_do_not_count_towards_the_limit(api, offering, monkeypatch):
    from aftersales.core.ratelimit import FailureLimit
    from aftersales.plans.api import views

    monkeypatch.setattr(
        views,
        "API_REDEMPTION_LIMIT_PER_ADDRESS",
        FailureLimit(scope="test:api:address", limit=2, window=3600),
    )
    batch = activation_codes_generate(offering=offering, country="FR", quantity=3)
    model = ProductModelFactory()
    for card in batch.codes.all():
        device = DeviceFactory(model=model, purchase_country="FR")
        assert activate(api, card.formatted, device.serial_number).status_code == 201
