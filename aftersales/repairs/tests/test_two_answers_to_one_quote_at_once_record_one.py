"""Issue 8, "Bad input and concurrency": a customer answering a quote twice at the same moment
(two tabs, a double click that went through) gets one answer recorded, one payment due and one
move; the other answer sees the case page saying the quote was answered already. The case's row
lock does this, so the test needs PostgreSQL."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from aftersales.core.tests.race import POSTGRESQL_ONLY, race
from aftersales.repairs.choices import QuoteOption, RequestStatus
from aftersales.repairs.models import CaseEvent, Payment, QuoteAnswer
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = POSTGRESQL_ONLY


def test_two_answers_posted_at_once_record_one(case, customer, reception, technician, agent):
    walk_to(case, RequestStatus.QUOTED, reception=reception, technician=technician, agent=agent)
    quote = case.quotes.get()
    url = reverse("repairs:quote_answer", args=[case.case_number])

    def post(option: str) -> int:
        browser = Client()
        browser.force_login(customer)
        return browser.post(url, {"quote": quote.pk, "option": option}).status_code

    outcome = race(
        lambda: post(QuoteOption.PLAN_REPLACEMENT),
        lambda: post(QuoteOption.REFUSE),
    )

    assert sorted(outcome.results) == [302, 409]  # type: ignore[type-var]
    recorded = QuoteAnswer.objects.get()
    assert Payment.objects.filter(request=case).count() == 1
    case.refresh_from_db()
    expected = {
        QuoteOption.PLAN_REPLACEMENT: RequestStatus.AWAITING_PAYMENT,
        QuoteOption.REFUSE: RequestStatus.RETURNING_UNREPAIRED,
    }[QuoteOption(recorded.option)]
    assert case.status == expected
    assert CaseEvent.objects.filter(request=case, from_status=RequestStatus.QUOTED).count() == 1
