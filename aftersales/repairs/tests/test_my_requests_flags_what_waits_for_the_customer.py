"""Issue 8, item 3: My requests shows each case's status in the customer's words and flags the
cases that wait for the customer — a quote to answer, a payment to make, a question on hold —
in a fixed number of queries however many cases there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from aftersales.repairs.choices import HoldReason, QuoteOption, RequestStatus
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus
URL = reverse("repairs:list")


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


@pytest.fixture
def reader(client, customer):
    client.force_login(customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def row_of(html: str, case) -> str:
    start = html.index(f'data-case="{case.case_number}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize(
    ("status", "answer", "label", "waiting"),
    [
        (S.EVALUATING, QuoteOption.PLAN_REPLACEMENT, "Being evaluated", ""),
        (S.QUOTED, QuoteOption.PLAN_REPLACEMENT, "Quote sent: waiting for your answer",
         "a quote to answer"),
        (S.AWAITING_PAYMENT, QuoteOption.REPAIR, "Waiting for your payment", "a payment to make"),
        (S.RETURNING_UNREPAIRED, QuoteOption.REFUSE, "Being sent back unrepaired",
         "a payment to make"),
        (S.REPLACING, QuoteOption.PLAN_REPLACEMENT, "Being replaced under your plan", ""),
    ],
)  # fmt: skip
def test_each_case_says_its_status_and_what_it_waits_for_from_the_customer(
    reader, case, people, status, answer, label, waiting
):
    walk_to(case, status, answer=answer, **people)

    response = reader.get(URL)

    row = row_of(response.content.decode(), case)
    assert label in row
    if waiting:
        assert f"Waiting for you: {waiting}" in row
        assert 'class="badge warn"' in row
    else:
        assert "Waiting for you" not in row


def test_an_expired_quote_is_no_longer_a_quote_to_answer(reader, case, people):
    walk_to(case, S.QUOTED, **people)
    case.quotes.update(valid_until=timezone.localdate() - timedelta(days=1))

    row = row_of(reader.get(URL).content.decode(), case)
    page = reader.get(reverse("repairs:case", args=[case.case_number])).content.decode()

    assert "Quote sent: waiting for your answer" in row
    assert "Waiting for you" not in row
    assert 'id="waiting-for-you"' not in page
    assert "contact us for a new one" in page


def test_a_case_on_hold_for_the_customers_answer_is_flagged_with_the_reason(reader, case, people):
    walk_to(case, S.EVALUATING, **people)
    services.case_hold(case=case, by=people["technician"], reason=HoldReason.WAITING_FOR_CUSTOMER)

    row = row_of(reader.get(URL).content.decode(), case)

    assert "On hold: waiting for your answer" in row
    assert "Waiting for you: an answer from you" in row


def test_a_case_on_hold_for_parts_waits_for_nobody_but_us(reader, case, people):
    walk_to(case, S.EVALUATING, **people)
    services.case_hold(case=case, by=people["technician"], reason=HoldReason.WAITING_FOR_PARTS)

    row = row_of(reader.get(URL).content.decode(), case)

    assert "On hold: waiting for parts" in row
    assert "Waiting for you" not in row


def test_the_list_is_in_french_for_a_french_customer(customer_client, case, people):
    walk_to(case, S.AWAITING_PAYMENT, **people)

    row = row_of(customer_client.get(URL).content.decode(), case)

    assert "En attente de votre paiement" in row
    assert "En attente de votre part : un paiement à effectuer" in row


@pytest.mark.parametrize("rows", [1, 20])
def test_flags_cost_no_query_per_case(
    reader, customer, people, case, rows, django_assert_max_num_queries
):
    walk_to(case, S.AWAITING_PAYMENT, **people)
    for _ in range(rows):
        SubmittedCaseFactory(
            user=customer, status=S.ON_HOLD, hold_reason=HoldReason.WAITING_FOR_CUSTOMER
        )

    # Session, user, drafts, cases with their flags.
    with django_assert_max_num_queries(6):
        response = reader.get(URL)

    assert len(response.context["cases"]) == rows + 1
    assert response.content.decode().count("Waiting for you:") == rows + 1
