"""For a logged-in customer, the answers that depend on a device say so for each of their
products, computed now by the plans app's rules (binding window FAQ 6, one plan ever FAQ 9,
replacements left FAQ 1, water FAQ 13, warranty FAQ 8) — never for another's products."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from aftersales.catalog.tests.factories import ProductLineFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.helpcentre.selectors import personal_answers
from aftersales.plans.services import replacement_grant


def _texts(article, user, now=None) -> list[str]:
    return [answer.text for answer in personal_answers(article, user, now)]


def test_a_device_activated_three_days_ago_can_no_longer_get_a_plan(faq, customer, device):
    device.activated_at = timezone.now() - timedelta(days=3)
    device.save()
    [text] = _texts(faq[6], customer)
    assert text == (
        f"Mavic 2 Pro {device.serial_number}: activated 3\xa0days ago — a plan can no longer be "
        "bound (FAQ 6)."
    )


def test_a_device_activated_five_hours_ago_can_still_get_one_until_the_window_closes(
    faq, customer, device
):
    device.activated_at = timezone.now() - timedelta(hours=5)
    device.save()
    [text] = _texts(faq[6], customer)
    assert "activated 5\xa0hours ago — a plan can still be bound until" in text


def test_the_window_is_the_rule_binding_applies_at_its_edge(faq, customer, device):
    now = timezone.now()
    device.activated_at = now - timedelta(hours=48)
    device.save()
    assert "can still be bound" in _texts(faq[6], customer, now)[0]
    assert "can no longer be bound" in _texts(faq[6], customer, now + timedelta(seconds=1))[0]


def test_a_device_not_activated_yet_can_get_a_plan(faq, customer, device):
    [text] = _texts(faq[3], customer)
    assert "not activated yet — a plan can be bound, until 48 hours after" in text


def test_a_device_with_a_plan_gets_no_other_and_the_plan_is_not_renewed(
    faq, customer, device, plan
):
    assert (
        "a plan is already bound to it; a device has only one (FAQ 9)"
        in (_texts(faq[6], customer)[0])
    )
    ends = plan.ends_on
    [text] = _texts(faq[9], customer)
    assert "cannot be renewed" in text
    with translation.override("en"):
        assert f"{ends.day}" in text


def test_the_plan_says_how_many_replacements_are_left_and_until_when(faq, customer, device, plan):
    [text] = _texts(faq[1], customer)
    assert text.startswith(f"Mavic 2 Pro {device.serial_number}: your plan has 2 replacements left")
    spare = DeviceFactory(purchase_country="")
    replacement_grant(
        plan=plan, new_serial_number=spare.serial_number, reason="crash", case_number="CAS-1"
    )
    # The plan followed the new unit (FAQ 10), which joined the account.
    texts = _texts(faq[10], customer)
    assert f"Mavic 2 Pro {spare.serial_number}: your plan has 1 replacement left until" in (
        " ".join(texts)
    )


def test_an_expired_plan_says_it_ended(faq, customer, device, plan):
    later = timezone.now() + timedelta(days=400)
    [text] = _texts(faq[1], customer, later)
    assert "your plan ended on" in text and "cannot be renewed (FAQ 9)" in text


def test_water_damage_is_answered_by_the_coverage_decision(faq, customer, device, plan):
    [text] = _texts(faq[13], customer)
    assert "Water damage is covered by your plan." in text
    assert "(1 of 2)" in text and "109" in text


def test_water_damage_without_a_plan_is_a_paid_repair(faq, customer, device):
    [text] = _texts(faq[13], customer)
    assert "This product has no protection plan, so the repair is paid." in text


def test_the_warranty_runs_from_activation(faq, customer, device):
    assert "the warranty starts when it is activated" in _texts(faq[8], customer)[0]
    device.activated_at = timezone.now()
    device.save()
    assert "the warranty runs until" in _texts(faq[8], customer)[0]


def test_the_answers_are_in_the_readers_language(faq, customer, device):
    device.activated_at = timezone.now() - timedelta(days=3)
    device.save()
    with translation.override("fr"):
        [text] = _texts(faq[6], customer)
    assert "activé il y a 3\xa0jours — un forfait ne peut plus être lié (FAQ 6)." in text


def test_another_customers_products_and_anonymous_readers_get_nothing(
    faq, customer, other_customer, device
):
    assert _texts(faq[6], other_customer) == []
    assert _texts(faq[6], AnonymousUser()) == []
    # An article that depends on no device says nothing for any.
    assert _texts(faq[15], customer) == []


def test_an_article_of_other_product_lines_says_nothing_for_this_device(faq, customer, device):
    faq[6].product_lines.set([ProductLineFactory(code="inspire", name="Inspire")])
    assert _texts(faq[6], customer) == []
    faq[6].product_lines.add(device.model.line)
    assert len(_texts(faq[6], customer)) == 1


@pytest.mark.parametrize("count", [1, 3])
def test_each_of_the_customers_products_gets_its_answer(faq, customer, offering, count):
    for _ in range(count):
        DeviceFactory(owner=customer, added_to_account_at=timezone.now())
    assert len(_texts(faq[6], customer)) == count
