"""FAQ 1: a plan's replacements are counted. When the replacement a quote offered (n of N) has
been used since the quote was sent — say a battery replaced under the plan on another case —
the customer cannot choose it any more (audit: they paid its fee, and the workshop's grant was
then refused): a clear message, nothing recorded, the other answers still open."""

from __future__ import annotations

import pytest

from aftersales.plans.models import Plan
from aftersales.repairs.choices import QuoteOption, RequestStatus
from aftersales.repairs.errors import CaseWorkError
from aftersales.repairs.services import quote_answer
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

S = RequestStatus


@pytest.fixture
def quoted_case(case, reception, technician, agent):
    walk_to(case, S.QUOTED, reception=reception, technician=technician, agent=agent)
    return case


def test_the_plan_option_is_refused_once_its_replacement_is_used(quoted_case):
    quote = quoted_case.quotes.get()
    assert quote.option(QuoteOption.PLAN_REPLACEMENT) is not None
    plan = quoted_case.plan
    Plan.objects.filter(pk=plan.pk).update(replacements_used=plan.replacements_used + 1)
    with pytest.raises(CaseWorkError) as refusal:
        quote_answer(
            case=quoted_case,
            quote_id=quote.pk,
            option=QuoteOption.PLAN_REPLACEMENT,
            by=quoted_case.user,
        )
    assert refusal.value.code == "plan_replacement_used"
    quoted_case.refresh_from_db()
    assert quoted_case.status == S.QUOTED
    assert not quoted_case.payments.exists()

    # Paying the repair is still an answer.
    quote_answer(
        case=quoted_case, quote_id=quote.pk, option=QuoteOption.REPAIR, by=quoted_case.user
    )
    quoted_case.refresh_from_db()
    assert quoted_case.status == S.AWAITING_PAYMENT


def test_the_plan_option_is_taken_while_its_replacement_is_free(quoted_case):
    quote = quoted_case.quotes.get()
    quote_answer(
        case=quoted_case,
        quote_id=quote.pk,
        option=QuoteOption.PLAN_REPLACEMENT,
        by=quoted_case.user,
    )
    quoted_case.refresh_from_db()
    assert quoted_case.status == S.AWAITING_PAYMENT
