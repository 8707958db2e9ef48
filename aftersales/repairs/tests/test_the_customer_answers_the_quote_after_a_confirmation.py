"""Issue 8, item 3 (FAQ 10; the guide's evaluation fee): the current quote on the case page —
lines, VAT, total, validity — with its options as buttons; each leads to a confirmation that
restates what it costs and what happens next, whose POST records the answer (quote version, time,
who). An answer to a quote that expired, was revised meanwhile or was answered already is refused
with a message. Nobody else sees or answers it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from aftersales.repairs.choices import QuoteLineKind, QuoteOption, RequestStatus
from aftersales.repairs.models import Quote, QuoteAnswer
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def quoted(case, reception, technician, agent):
    """Alice's case with its quote: 1.5 h of labour at 50.00, 21 % VAT; her plan's replacement 1
    of 2 for 109.00 EUR, the repair for 90.75 EUR, or refusing for 50.00 EUR."""
    walk_to(case, S.QUOTED, reception=reception, technician=technician, agent=agent)
    return case


@pytest.fixture
def reader(client, customer):
    client.force_login(customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def case_page(client, case):
    return client.get(reverse("repairs:case", args=[case.case_number]))


def answer_url(case) -> str:
    return reverse("repairs:quote_answer", args=[case.case_number])


def confirm(client, case, quote, option):
    return client.get(answer_url(case), {"quote": quote.pk, "option": option})


def answer(client, case, quote, option):
    return client.post(answer_url(case), {"quote": quote.pk, "option": option})


def test_the_quote_shows_its_lines_vat_total_validity_and_options_as_buttons(reader, quoted):
    quote = quoted.quotes.get()

    response = case_page(reader, quoted)

    html = response.content.decode()
    section = html[html.index('id="quote"') :]
    assert "Labour" in section and "1.50" in section and "50.00 EUR" in section
    assert "75.00 EUR" in section  # before VAT
    assert "VAT (21 %)" in section and "15.75 EUR" in section
    assert "90.75 EUR" in section
    assert date_format(quote.valid_until, "DATE_FORMAT") in section
    assert f'action="{answer_url(quoted)}"' in section and 'method="get"' in section
    assert f'name="quote" value="{quote.pk}"' in section
    buttons = [
        'name="option" value="plan_replacement"',
        'name="option" value="repair"',
        'name="option" value="refuse"',
    ]
    for button in buttons:
        assert button in section
    assert "Use my plan&#x27;s replacement 1 of 2 (109.00 EUR)" in section
    assert "Accept and pay the repair (90.75 EUR)" in section
    assert "Refuse the repair and pay the evaluation fee (50.00 EUR)" in section
    assert 'id="waiting-for-you"' in html


@pytest.mark.parametrize(
    ("option", "cost", "then"),
    [
        (
            QuoteOption.PLAN_REPLACEMENT,
            "You use replacement 1 of 2 of your plan, for the service fee of 109.00 EUR set in "
            "your service contract.",
            "Your plan will then have 1 replacement left.",
        ),
        (
            QuoteOption.REPAIR,
            "You accept the quote: the repair costs 90.75 EUR, VAT included.",
            "we repair your product, check it and ship it back to you.",
        ),
        (
            QuoteOption.REFUSE,
            "You refuse the repair and pay the evaluation fee of 50.00 EUR (time spent "
            "evaluating your product: 1 h).",
            "we ship your product back to you unrepaired.",
        ),
    ],
)
def test_each_choice_is_confirmed_with_what_it_costs_and_what_happens_next(
    reader, quoted, option, cost, then
):
    quote = quoted.quotes.get()

    response = confirm(reader, quoted, quote, option)

    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert cost in html
    assert then in html
    assert 'method="post"' in html
    assert f'name="quote" value="{quote.pk}"' in html
    assert f'name="option" value="{option}"' in html
    # Nothing is recorded before the confirmation.
    assert not QuoteAnswer.objects.exists()
    quoted.refresh_from_db()
    assert quoted.status == S.QUOTED


def test_the_confirmed_answer_records_the_version_the_time_and_who_answered(
    reader, quoted, customer
):
    quote = quoted.quotes.get()
    before = timezone.now()

    response = answer(reader, quoted, quote, QuoteOption.PLAN_REPLACEMENT)

    assert response.status_code == 302
    assert response["Location"] == reverse("repairs:case", args=[quoted.case_number])
    recorded = QuoteAnswer.objects.get()
    assert recorded.quote == quote and recorded.quote.version == 1
    assert recorded.option == QuoteOption.PLAN_REPLACEMENT
    assert recorded.answered_by == customer
    assert before <= recorded.answered_at <= timezone.now()
    assert recorded.amount == Decimal("109.00")
    page = case_page(reader, quoted)
    html = page.content.decode()
    assert "Thank you: your answer is recorded." in html
    assert page.context["state"].label == "Waiting for your payment"
    assert "You answered on" in html
    assert 'id="quote-options"' not in html


def test_an_expired_quote_is_refused_with_a_message(reader, quoted):
    quote = quoted.quotes.get()
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))

    shown = case_page(reader, quoted)
    response = answer(reader, quoted, quote, QuoteOption.REPAIR)

    assert 'id="quote-options"' not in shown.content.decode()
    # Where the case stands says so too, rather than asking for an answer.
    assert shown.context["state"].next_text.startswith("This quote expired on")
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "This quote expired on" in html and "contact us for a new one" in html
    assert not QuoteAnswer.objects.exists()
    quoted.refresh_from_db()
    assert quoted.status == S.QUOTED


def test_a_quote_revised_meanwhile_is_refused_and_the_new_one_is_shown(reader, quoted, technician):
    first = quoted.quotes.get()
    confirm(reader, quoted, first, QuoteOption.REPAIR)  # the customer reads the first version
    services.quote_send(
        case=quoted,
        by=technician,
        lines=[
            services.QuoteLineInput(
                kind=QuoteLineKind.LABOUR,
                description="Labour",
                quantity=Decimal("3"),
                unit_price=Decimal("50.00"),
            )
        ],
    )
    second = Quote.objects.get(request=quoted, superseded_at__isnull=True)

    response = answer(reader, quoted, first, QuoteOption.REPAIR)

    assert response.status_code == 409
    html = response.content.decode()
    assert "This quote has been replaced by a newer one" in html
    # The revised quote replaces the earlier one on the page.
    assert response.context["quote"].quote == second
    assert "Your quote (revised: version 2)" in html
    assert f'name="quote" value="{second.pk}"' in html
    assert f'name="quote" value="{first.pk}"' not in html
    assert "181.50 EUR" in html  # 150.00 + 21 % VAT
    assert not QuoteAnswer.objects.exists()


def test_a_quote_answered_already_is_refused(reader, quoted):
    quote = quoted.quotes.get()
    answer(reader, quoted, quote, QuoteOption.REFUSE)

    again = answer(reader, quoted, quote, QuoteOption.REPAIR)
    reopened = confirm(reader, quoted, quote, QuoteOption.REPAIR)

    for response in (again, reopened):
        assert response.status_code == 409
        assert "This quote has already been answered." in response.content.decode()
    assert QuoteAnswer.objects.get().option == QuoteOption.REFUSE
    quoted.refresh_from_db()
    assert quoted.status == S.RETURNING_UNREPAIRED


def test_an_option_the_quote_does_not_offer_is_refused(reader, quoted):
    quote = quoted.quotes.get()
    quote.options = [item for item in quote.options if item["option"] != "plan_replacement"]
    quote.save(update_fields=["options"])

    response = answer(reader, quoted, quote, QuoteOption.PLAN_REPLACEMENT)

    assert response.status_code == 409
    assert "This answer is not one of the quote&#x27;s options." in response.content.decode()
    assert not QuoteAnswer.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"quote": "abc", "option": "repair"},
        {"quote": "1", "option": "free"},
        {"quote": "1", "option": "repair\x00"},
        {"quote": "1\x00", "option": "repair"},
        {"quote": str(2**64), "option": "repair"},
    ],
)
def test_a_malformed_answer_goes_back_to_the_case(reader, quoted, params):
    response = reader.post(answer_url(quoted), params)

    assert response.status_code == 302
    assert response["Location"] == reverse("repairs:case", args=[quoted.case_number])
    assert not QuoteAnswer.objects.exists()


def test_another_customer_can_neither_see_nor_answer_the_quote(other_client, quoted):
    quote = quoted.quotes.get()

    assert case_page(other_client, quoted).status_code == 404
    assert confirm(other_client, quoted, quote, QuoteOption.REPAIR).status_code == 404
    assert answer(other_client, quoted, quote, QuoteOption.REPAIR).status_code == 404
    assert not QuoteAnswer.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_and_answer_nothing(client, quoted):
    quote = quoted.quotes.get()

    for response in (
        confirm(client, quoted, quote, QuoteOption.REPAIR),
        answer(client, quoted, quote, QuoteOption.REPAIR),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not QuoteAnswer.objects.exists()


def test_the_answer_is_a_csrf_protected_post(quoted, customer):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)

    response = browser.post(
        answer_url(quoted), {"quote": quoted.quotes.get().pk, "option": QuoteOption.REPAIR}
    )

    assert response.status_code == 403
    assert not QuoteAnswer.objects.exists()


def test_the_confirmation_is_in_french_for_a_french_reader(customer_client, quoted):
    quote = quoted.quotes.get()

    html = confirm(customer_client, quoted, quote, QuoteOption.PLAN_REPLACEMENT).content.decode()

    assert "Confirmer ma réponse" in html
    assert "109,00 EUR" in html
    assert "contrat de service" in html


def test_an_option_whose_amount_cannot_be_read_is_refused_not_a_500(reader, quoted):
    quote = quoted.quotes.get()
    quote.options = [
        {**item, "amount": "n/a"} if item["option"] == "repair" else item for item in quote.options
    ]
    quote.save(update_fields=["options"])

    shown = confirm(reader, quoted, quote, QuoteOption.REPAIR)
    posted = answer(reader, quoted, quote, QuoteOption.REPAIR)

    for response in (shown, posted):
        assert response.status_code == 409
    assert not QuoteAnswer.objects.exists()
