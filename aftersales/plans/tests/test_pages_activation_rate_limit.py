"""Activation attempts are limited per account and per address (issue 3, item 3): a few typos
are fine, walking through codes or serial numbers is not."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.ratelimit import FailureLimit
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import Plan
from aftersales.plans.services import (
    REDEMPTION_LIMIT_PER_ACCOUNT,
    REDEMPTION_LIMIT_PER_ADDRESS,
    activation_codes_generate,
    plan_activate_for_customer,
)

URL = reverse("plans:activate")
WRONG_CODE = "2222-2222-2222-2222"  # well formed (its check character is right), on no card


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def card(offering) -> str:
    return activation_codes_generate(offering=offering, country="FR", quantity=1).codes.get().code


def fail(user, times: int, address: str = "198.51.100.7") -> None:
    for _ in range(times):
        with pytest.raises(PlanRuleError):
            plan_activate_for_customer(
                user=user, code=WRONG_CODE, serial_number="NOSUCH", address=address
            )


def test_the_limits_are_ten_failures_per_account_and_thirty_per_address_an_hour():
    assert (REDEMPTION_LIMIT_PER_ACCOUNT.limit, REDEMPTION_LIMIT_PER_ACCOUNT.window) == (10, 3600)
    assert (REDEMPTION_LIMIT_PER_ADDRESS.limit, REDEMPTION_LIMIT_PER_ADDRESS.window) == (30, 3600)


def test_a_few_typos_do_not_lock_anybody_out(customer, device, offering):
    fail(customer, REDEMPTION_LIMIT_PER_ACCOUNT.limit - 1)
    plan = plan_activate_for_customer(
        user=customer, code=card(offering), serial_number=device.serial_number
    )
    assert plan.device == device


def test_too_many_failures_lock_the_account_out_even_with_a_right_code(
    customer_client, customer, device, offering
):
    fail(customer, REDEMPTION_LIMIT_PER_ACCOUNT.limit, address="198.51.100.1")
    code = card(offering)
    # From another address too: the limit follows the account.
    response = customer_client.post(
        URL,
        {"activation_code": code, "serial_number": device.serial_number},
        REMOTE_ADDR="198.51.100.2",
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert list(errors) == [
        "Too many activation attempts failed. Please wait an hour and try again, or contact "
        "support."
    ]
    assert "wait an hour" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_account_limit_is_per_account(customer, other_customer, device, offering):
    fail(customer, REDEMPTION_LIMIT_PER_ACCOUNT.limit, address="198.51.100.1")
    plan = plan_activate_for_customer(
        user=other_customer,
        code=card(offering),
        serial_number=device.serial_number,
        address="198.51.100.2",
    )
    assert plan.device == device


def test_too_many_failures_from_one_address_lock_out_every_account_there(client, device, offering):
    # Three accounts of ten failures each, all from one address.
    for _ in range(REDEMPTION_LIMIT_PER_ADDRESS.limit // REDEMPTION_LIMIT_PER_ACCOUNT.limit):
        fail(UserFactory(), REDEMPTION_LIMIT_PER_ACCOUNT.limit, address="203.0.113.9")
    newcomer = UserFactory()
    client.force_login(newcomer)
    code = card(offering)
    data = {"activation_code": code, "serial_number": device.serial_number}

    response = client.post(URL, data, REMOTE_ADDR="203.0.113.9")
    assert "wait an hour" in response.content.decode()
    assert not Plan.objects.exists()

    # The same account from another address is fine.
    response = client.post(URL, data, REMOTE_ADDR="203.0.113.10")
    assert response.status_code == 302
    assert Plan.objects.get().device == device


def test_a_refused_attempt_on_the_page_counts_for_the_account_and_the_address(
    customer_client, customer
):
    customer_client.post(
        URL, {"activation_code": WRONG_CODE, "serial_number": "X1"}, REMOTE_ADDR="192.0.2.4"
    )
    assert REDEMPTION_LIMIT_PER_ACCOUNT.failures(customer.pk) == 1
    assert REDEMPTION_LIMIT_PER_ADDRESS.failures("192.0.2.4") == 1


def test_a_limit_counts_failures_per_identity_until_reset(db):
    limit = FailureLimit(scope="test", limit=2, window=60)
    assert limit.record_failure("a") == 1
    assert not limit.is_reached("a")
    assert limit.record_failure("a") == 2
    assert limit.is_reached("a")
    assert not limit.is_reached("b")
    limit.reset("a")
    assert limit.failures("a") == 0
