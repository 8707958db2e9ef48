"""Money is a Decimal amount with its ISO 4217 currency, never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import RegexValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Enter a currency as its three-letter ISO 4217 code, e.g. EUR.")
)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        """In the active language's number format: "1,099.00 EUR", « 1 099,00 EUR »."""
        amount = number_format(self.amount, 2, use_l10n=True, force_grouping=True)
        return f"{amount} {self.currency}"

    def as_json(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Money:
        return cls(amount=Decimal(data["amount"]), currency=data["currency"])
