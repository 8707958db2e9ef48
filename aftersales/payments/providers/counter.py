"""Payment at the repair centre's counter: no network; the agent records it."""

from __future__ import annotations

from decimal import Decimal

from ..choices import ProviderCode
from .base import Order, PaymentProvider, Refunded, Started


class CounterProvider(PaymentProvider):
    code = ProviderCode.COUNTER
    label = ProviderCode.COUNTER.label

    def start(self, *, order: Order, return_url: str = "", cancel_url: str = "") -> Started:
        return Started()

    def refund(
        self, *, provider_payment_id: str, amount: Decimal, currency: str, idempotency_key: str = ""
    ) -> Refunded:
        return Refunded(by_hand=True)
