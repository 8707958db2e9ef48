"""Bank transfer: no network. The customer transfers the amount with a structured ISO 11649
reference (RF…) that names the case and what is paid; an agent matches the transfer in the
workshop and records it (`workshop.services.payment_record`)."""

from __future__ import annotations

from decimal import Decimal

from ..choices import ProviderCode
from ..references import creditor_reference
from .base import Order, PaymentProvider, Refunded, Started

# One letter per purpose, so that each payment due on a case has its own reference.
PURPOSE_LETTERS = {
    "repair": "R",
    "plan_fee": "P",
    "evaluation_fee": "E",
    "express_fee": "X",
    "express_charge": "D",
}


def transfer_reference(reference: str, purpose: str) -> str:
    return creditor_reference(reference, PURPOSE_LETTERS.get(purpose, "Z"))


class BankTransferProvider(PaymentProvider):
    code = ProviderCode.BANK_TRANSFER
    label = ProviderCode.BANK_TRANSFER.label

    def start(self, *, order: Order, return_url: str = "", cancel_url: str = "") -> Started:
        return Started(payment_reference=transfer_reference(order.reference, order.purpose))

    def refund(
        self, *, provider_payment_id: str, amount: Decimal, currency: str, idempotency_key: str = ""
    ) -> Refunded:
        # Transferred back by the accounts department, by hand.
        return Refunded(by_hand=True)
