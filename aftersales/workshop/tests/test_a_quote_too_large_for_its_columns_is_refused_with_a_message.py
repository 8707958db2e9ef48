"""Quote amounts are bounded by what the database holds (audit: on PostgreSQL a quantity of
100,000 or a total over 99,999,999.99 was a database error, a 500): the line form refuses a
quantity too large at its field, and sending a quote whose total (VAT included) is too large
is refused with a message, nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.catalog.models import Component
from aftersales.repairs.choices import QuoteLineKind, RequestStatus
from aftersales.repairs.errors import CaseWorkError
from aftersales.repairs.models import Quote
from aftersales.workshop import services
from aftersales.workshop.forms import QuoteLineForm

from .cast import *  # noqa: F403
from .cast import evaluated, walk_to

S = RequestStatus


def test_the_line_form_refuses_a_quantity_the_column_cannot_hold():
    form = QuoteLineForm(
        {"kind": "labour", "description": "x", "quantity": "100000", "unit_price": "1"},
        components=Component.objects.none(),
    )
    assert not form.is_valid()
    assert "quantity" in form.errors
    ok = QuoteLineForm(
        {"kind": "labour", "description": "x", "quantity": "99999", "unit_price": "1"},
        components=Component.objects.none(),
    )
    assert ok.is_valid(), ok.errors


@pytest.mark.django_db
def test_a_total_over_the_limit_is_refused_and_nothing_is_written(
    case, reception, technician, agent
):
    walk_to(case, S.EVALUATING, reception=reception, technician=technician, agent=agent)
    evaluated(case, technician)
    line = services.QuoteLineInput(
        kind=QuoteLineKind.LABOUR,
        description="x",
        quantity=Decimal("1"),
        unit_price=Decimal("99999999.99"),  # fits a line; with VAT the total does not
    )
    with pytest.raises(CaseWorkError) as refusal:
        services.quote_send(case=case, by=technician, lines=[line])
    assert refusal.value.code == "quote_too_large"
    assert not Quote.objects.filter(request=case).exists()
    case.refresh_from_db()
    assert case.status == S.EVALUATING


def test_a_quote_in_a_currency_without_cents_is_counted_in_whole_units(settings):
    """82.50 JPY could not be charged exactly online: the totals are rounded to the yen."""
    settings.AFTERSALES = {**settings.AFTERSALES, "EVALUATION_FEE_CURRENCY": "JPY"}
    settings.AFTERSALES["QUOTE_VAT_RATE"] = "10"
    line = services.QuoteLineInput(
        kind=QuoteLineKind.LABOUR,
        description="x",
        quantity=Decimal("1.5"),
        unit_price=Decimal("55"),
    )
    totals = services.quote_totals([line])
    assert (totals.subtotal, totals.vat, totals.total) == (
        Decimal("83"),
        Decimal("8"),
        Decimal("91"),
    )
