"""The payment providers and which ones are offered (settings.PAYMENTS): `provider(code)`,
`offered(centre_name)`."""

from __future__ import annotations

from django.conf import settings

from .bank_transfer import BankTransferProvider
from .base import Notification, Order, PaymentProvider, Refunded, Started
from .counter import CounterProvider
from .stripe_checkout import StripeCheckoutProvider

__all__ = [
    "Notification",
    "Order",
    "PaymentProvider",
    "Refunded",
    "Started",
    "offered",
    "provider",
]

PROVIDERS: dict[str, type[PaymentProvider]] = {
    cls.code: cls for cls in (BankTransferProvider, CounterProvider, StripeCheckoutProvider)
}


def provider(code: str) -> PaymentProvider | None:
    cls = PROVIDERS.get(code)
    return cls() if cls is not None else None


def offered(centre_name: str = "") -> list[PaymentProvider]:
    """The providers a repair centre offers, in the configured order: the centre's own list
    when it has one (PAYMENTS["CENTRE_PROVIDERS"], by the centre's name), else the default
    list; an online provider only once its keys are set."""
    config = settings.PAYMENTS
    by_centre = {name.casefold(): codes for name, codes in config["CENTRE_PROVIDERS"].items()}
    codes = by_centre.get(centre_name.casefold(), config["PROVIDERS"])
    found = [provider(code) for code in codes]
    return [item for item in found if item is not None and item.is_configured()]
