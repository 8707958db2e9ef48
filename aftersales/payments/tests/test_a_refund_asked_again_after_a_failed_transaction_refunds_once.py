"""A refund is asked of the provider inside the attempt's transaction (its row locked, so that
two refunds cannot both pass). Were that transaction to fail after the provider refunded, the
refund asked again must not send the money twice (audit): each request carries an idempotency
key made of the attempt, what was refunded before and the amount — the same on a retry, another
for the next refund."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction

from aftersales.payments.choices import AttemptStatus
from aftersales.payments.models import PaymentAttempt
from aftersales.payments.providers.stripe_checkout import StripeCheckoutProvider
from aftersales.payments.services import attempt_refund

pytestmark = pytest.mark.django_db


class Interrupted(Exception):
    pass


@pytest.fixture
def stripe_keys(settings, monkeypatch) -> list[dict[str, Any]]:
    settings.PAYMENTS = {
        "PROVIDERS": ["bank_transfer", "counter", "stripe"],
        "CENTRE_PROVIDERS": {},
        "STRIPE": {
            "SECRET_KEY": "sk_test_x",
            "WEBHOOK_SECRET": "whsec_x",
            "API_BASE": "http://127.0.0.1:9",
            "CHECKOUT_ORIGIN": "http://127.0.0.1:9",
        },
    }
    asked: list[dict[str, Any]] = []

    def create(params: dict[str, Any], options: dict[str, Any] | None = None) -> Any:
        asked.append({"params": params, "options": options})
        return SimpleNamespace(id=f"re_{len(asked)}")

    client = SimpleNamespace(v1=SimpleNamespace(refunds=SimpleNamespace(create=create)))
    monkeypatch.setattr(StripeCheckoutProvider, "_client", lambda self: client)
    return asked


@pytest.fixture
def attempt() -> PaymentAttempt:
    return PaymentAttempt.objects.create(
        provider="stripe",
        reference="CAS-2600000-AAAAAA",
        purpose="repair",
        amount=Decimal("90.75"),
        currency="EUR",
        status=AttemptStatus.CONFIRMED,
        provider_payment_id="pi_test_1",
    )


def test_a_retry_carries_the_same_key_and_the_next_refund_another(stripe_keys, attempt):
    with pytest.raises(Interrupted), transaction.atomic():
        attempt_refund(attempt=attempt, amount=Decimal("10.00"))
        raise Interrupted  # the transaction fails after the provider refunded
    attempt.refresh_from_db()
    assert attempt.refunded_amount == 0

    attempt_refund(attempt=attempt, amount=Decimal("10.00"))
    attempt_refund(attempt=attempt, amount=Decimal("10.00"))
    first, retry, next_one = (ask["options"]["idempotency_key"] for ask in stripe_keys)
    assert first == retry
    assert next_one != first
    assert [ask["params"]["amount"] for ask in stripe_keys] == [1000, 1000, 1000]
    attempt.refresh_from_db()
    assert attempt.refunded_amount == Decimal("20.00")
