"""Words for the workshop's pages: a quote's options as recorded (JSON) in the reader's language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from aftersales.plans.money import Money
from aftersales.repairs.choices import QuoteOption

register = template.Library()


@register.filter
def option_label(item: dict[str, Any]) -> str:
    try:
        return str(QuoteOption(str(item.get("option"))).label)
    except ValueError:
        return str(item.get("option", ""))


@register.filter
def option_amount(item: dict[str, Any]) -> str:
    try:
        return str(Money(Decimal(str(item.get("amount"))), str(item.get("currency", ""))))
    except (InvalidOperation, TypeError):
        return f"{item.get('amount', '')} {item.get('currency', '')}".strip()
