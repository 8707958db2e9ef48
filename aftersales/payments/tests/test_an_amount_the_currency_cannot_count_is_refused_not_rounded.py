"""Card processors count some currencies in whole units (JPY, KRW…). An amount with more
decimals than its currency has is refused before the provider is asked — never rounded (audit:
82.50 JPY was charged 82, and the notification then confirmed nothing: paid, and the case
stuck)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.payments.errors import PaymentError
from aftersales.payments.providers.base import from_minor, to_minor


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("82.50", "EUR", 8250), ("0.01", "EUR", 1), ("82", "JPY", 82), ("82.00", "JPY", 82)],
)
def test_amounts_the_currency_counts_are_converted_both_ways(amount, currency, minor):
    assert to_minor(Decimal(amount), currency) == minor
    assert from_minor(minor, currency) == Decimal(amount)


@pytest.mark.parametrize(("amount", "currency"), [("82.50", "JPY"), ("10.005", "EUR")])
def test_an_amount_with_more_decimals_than_its_currency_is_refused(amount, currency):
    with pytest.raises(PaymentError) as refusal:
        to_minor(Decimal(amount), currency)
    assert refusal.value.code == "amount_not_payable"
    assert currency in str(refusal.value.message)
