"""Helpers of the online-payment tests: an online payment started for what a case owes, and
the provider's notifications about it, signed as Stripe signs them."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from aftersales.payments.models import PaymentAttempt
from aftersales.payments.tests.stripe_fixtures import signed
from aftersales.repairs.models import RepairRequest

WEBHOOK = reverse("repairs:payment_notification", args=["stripe"])


def attempt_started(case: RepairRequest) -> PaymentAttempt:
    """An online payment of what the case owes, as `payment_online_start` leaves it once the
    provider gave its page (no network: the provider's part is tested on its own)."""
    due = case.payments.get(paid_at__isnull=True)
    return PaymentAttempt.objects.create(
        provider="stripe",
        reference=case.case_number,
        purpose=due.purpose,
        amount=due.amount,
        currency=due.currency,
        provider_id=f"cs_test_{secrets.token_hex(8)}",
        redirect_url="http://127.0.0.1:9/checkout/pay/x",
        created_by=case.user,
    )


def session_completed(
    attempt: PaymentAttempt,
    *,
    event_id: str = "",
    amount: Decimal | None = None,
    token: str | None = None,
    paid: bool = True,
) -> dict[str, Any]:
    cents = int((attempt.amount if amount is None else amount) * 100)
    return {
        "id": event_id or f"evt_{secrets.token_hex(8)}",
        "object": "event",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": attempt.provider_id,
                "object": "checkout.session",
                "amount_total": cents,
                "currency": attempt.currency.lower(),
                "client_reference_id": str(attempt.token) if token is None else token,
                "payment_status": "paid" if paid else "unpaid",
                "payment_intent": "pi_test_1",
                "metadata": {},
            }
        },
    }


def intent_succeeded(attempt: PaymentAttempt, *, event_id: str = "") -> dict[str, Any]:
    cents = int(attempt.amount * 100)
    return {
        "id": event_id or f"evt_{secrets.token_hex(8)}",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": "pi_test_1",
                "object": "payment_intent",
                "amount": cents,
                "amount_received": cents,
                "currency": attempt.currency.lower(),
                "metadata": {"aftersales_token": str(attempt.token)},
            }
        },
    }


def notify(client: Client, event: dict[str, Any], secret: str, timestamp: int | None = None) -> Any:
    body, signature = signed(event, secret, timestamp)
    return client.post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
