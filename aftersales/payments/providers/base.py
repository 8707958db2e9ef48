"""The one small interface every payment provider implements (STYLE: "outside services are
adapters"): start a payment for an amount and currency, read the provider's notification that
confirms it, refund it. One module per provider; which ones a repair centre offers is
configuration (settings.PAYMENTS, `providers.offered`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.utils.functional import Promise

from ..errors import NotificationRefused, PaymentError


@dataclass(frozen=True)
class Order:
    """What is to be paid, as the payments app knows it: a reference (the case number) and a
    purpose, an amount and its ISO 4217 currency, the words the payment page shows."""

    reference: str
    purpose: str
    amount: Decimal
    currency: str
    description: str
    # Ours (PaymentAttempt.token): the provider sends it back in its notification.
    token: str = ""
    customer_email: str = ""
    language: str = ""


@dataclass(frozen=True)
class Started:
    """What starting a payment gave: the provider's id and the page to send the customer to
    (online providers), or the reference to write on a transfer (bank transfer)."""

    provider_id: str = ""
    redirect_url: str = ""
    payment_reference: str = ""


@dataclass(frozen=True)
class Notification:
    """A provider's notification, verified and read. `paid` says it confirms the money moved;
    the payment it is about is named by our token and/or the provider's ids."""

    event_id: str
    event_type: str
    paid: bool
    token: str = ""
    provider_id: str = ""
    provider_payment_id: str = ""
    amount: Decimal | None = None
    currency: str = ""
    # Not a payment but news of one (`paid` is False): "failed" (a payment that was on its way,
    # e.g. a bank debit, did not go through), "refunded" (money sent back at the provider),
    # "disputed" (the customer's bank contests it). Staff are told on the case.
    problem: str = ""


PROBLEM_FAILED = "failed"
PROBLEM_REFUNDED = "refunded"
PROBLEM_DISPUTED = "disputed"


@dataclass(frozen=True)
class Refunded:
    refund_id: str = ""
    # Made by the provider now (online), or to be made by hand by an agent (offline).
    by_hand: bool = False


class PaymentProvider:
    """The interface. `online`: the customer pays on the provider's page and the provider's
    notification confirms it; otherwise an agent records the payment when it arrives."""

    code: ClassVar[str]
    label: ClassVar[Promise | str]
    online: ClassVar[bool] = False

    def is_configured(self) -> bool:
        return True

    def start(self, *, order: Order, return_url: str = "", cancel_url: str = "") -> Started:
        raise NotImplementedError

    def notification_parse(self, *, body: bytes, headers: Mapping[str, str]) -> Notification:
        """Verifies and reads a notification; NotificationRefused when it is not believed."""
        raise NotificationRefused("not_configured")

    def refund(
        self, *, provider_payment_id: str, amount: Decimal, currency: str, idempotency_key: str = ""
    ) -> Refunded:
        """Sends `amount` back. The same `idempotency_key` asked again (a retry after our
        transaction failed) refunds once: the provider answers with the first refund."""
        raise PaymentError("not_online")

    def csp_form_action(self) -> list[str]:
        """Origins the page's payment form may lead to (the provider's payment page)."""
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


def minor_units(currency: str) -> int:
    """Digits after the decimal point of `currency` at the card networks (ISO 4217)."""
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


# The currencies card processors count in whole units (Stripe's list of zero-decimal ones).
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"}
    | {"PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)


def to_minor(amount: Decimal, currency: str) -> int:
    """The amount in the currency's smallest unit, as the provider counts it. An amount with
    more decimals than the currency has (82.50 JPY) is refused, never rounded: the customer
    would be charged another amount than the one due, and its notification would confirm
    nothing (audit)."""
    minor = amount.scaleb(minor_units(currency))
    if minor != minor.to_integral_value():
        raise PaymentError("amount_not_payable", currency=currency.upper())
    return int(minor)


def from_minor(value: Any, currency: str) -> Decimal:
    return Decimal(int(value)).scaleb(-minor_units(currency))
