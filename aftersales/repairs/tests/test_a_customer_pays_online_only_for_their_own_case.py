"""Issue 9: the case page offers "pay online" (when a centre offers an online provider) beside
the bank transfer's reference; the button starts a payment with the provider and sends the
customer to its page — only for the customer's own case and a payment due on it. Another
customer, a member of staff or a visitor gets nothing (a 404, the log-in); the CSP of the page
lets its form lead to the provider's page and nowhere else."""

from __future__ import annotations

import pytest
import stripe
from django.urls import reverse

from aftersales.payments.choices import AttemptStatus
from aftersales.payments.models import PaymentAttempt
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.tests.paying_helpers import attempt_started
from aftersales.workshop import services as workshop
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

S = RequestStatus


@pytest.fixture
def awaiting(case, reception, technician, agent):
    walk_to(case, S.AWAITING_PAYMENT, reception=reception, technician=technician, agent=agent)
    return case


def pay_url(case) -> str:
    return reverse("repairs:payment_online", args=[case.case_number, case.payments.get().pk])


def test_the_owner_is_sent_to_the_providers_page_for_the_amount_due(
    client, customer, awaiting, stripe_configured, localstripe_url
):
    client.force_login(customer)
    page = client.get(awaiting.get_absolute_url())
    html = page.content.decode()
    assert "Payer 109,00 EUR en ligne" in html
    assert 'class="transfer-reference nowrap">RF' in html
    # The form may lead to the provider's page; nothing else is opened.
    policy = page["Content-Security-Policy"]
    assert f"form-action 'self' {localstripe_url}" in policy

    response = client.post(pay_url(awaiting), {"provider": "stripe"})

    attempt = PaymentAttempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == attempt.redirect_url
    assert attempt.redirect_url.startswith(f"{localstripe_url}/checkout/pay/cs_")
    assert (attempt.reference, attempt.purpose) == (awaiting.case_number, "plan_fee")
    assert (attempt.amount, attempt.currency, attempt.created_by) == (109, "EUR", customer)
    session = stripe.StripeClient(
        "sk_test_aftersales", base_addresses={"api": localstripe_url}
    ).v1.checkout.sessions.retrieve(attempt.provider_id)
    assert session.amount_total == 10900 and session.locale == "fr"
    assert session.success_url.endswith(f"/payments/return/{attempt.token}/")
    # A payment page left unfinished is no payment on its way: the case page still asks.
    waiting = "attend la confirmation du service de paiement"
    assert waiting not in client.get(awaiting.get_absolute_url()).text
    back = reverse("repairs:payment_return", args=[awaiting.case_number, attempt.token])
    assert waiting not in client.get(f"{back}?cancelled=1").text
    # Back by the provider's "paid" way: until the provider confirms, the case waits and the
    # page says the payment is on its way.
    assert waiting in client.get(back).text
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_PAYMENT
    assert waiting in client.get(awaiting.get_absolute_url()).text
    attempt.refresh_from_db()
    assert attempt.returned_at is not None and attempt.status == AttemptStatus.PENDING


def test_another_customer_or_staff_cannot_pay_or_read_a_case(
    client, other_customer, agent, awaiting, stripe_configured
):
    attempt = attempt_started(awaiting)
    back = reverse("repairs:payment_return", args=[awaiting.case_number, attempt.token])
    for person in (other_customer, agent):
        client.force_login(person)
        assert client.post(pay_url(awaiting), {"provider": "stripe"}).status_code == 404
        assert client.get(back).status_code == 404
    assert PaymentAttempt.objects.count() == 1


def test_a_visitor_is_sent_to_log_in(client, awaiting, stripe_configured):
    response = client.post(pay_url(awaiting), {"provider": "stripe"})
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not PaymentAttempt.objects.exists()


def test_a_return_address_of_another_case_is_a_404(client, customer, awaiting, stripe_configured):
    from aftersales.repairs.tests.factories import SubmittedCaseFactory

    attempt = attempt_started(awaiting)
    mine_too = SubmittedCaseFactory(user=customer)
    client.force_login(customer)
    url = reverse("repairs:payment_return", args=[mine_too.case_number, attempt.token])
    assert client.get(url).status_code == 404


def test_a_payment_not_due_or_a_provider_not_offered_is_refused_on_the_page(
    client, customer, agent, awaiting, stripe_configured, settings
):
    client.force_login(customer)
    response = client.post(pay_url(awaiting), {"provider": "bank_transfer"})
    assert response.status_code == 409
    assert "Ce moyen de paiement n&#x27;est pas proposé pour ce dossier." in (
        response.content.decode()
    )
    url = pay_url(awaiting)
    workshop.payment_record(
        case=awaiting, payment=awaiting.payments.get(), by=agent, method="counter"
    )
    response = client.post(url, {"provider": "stripe"})
    assert response.status_code == 409
    assert not PaymentAttempt.objects.exists()
    assert client.get(url).status_code == 405


def test_the_provider_out_of_reach_is_said_on_the_page_and_nothing_is_paid(
    client, customer, awaiting, stripe_configured, settings
):
    settings.PAYMENTS["STRIPE"]["API_BASE"] = "http://127.0.0.1:9"
    client.force_login(customer)
    response = client.post(pay_url(awaiting), {"provider": "stripe"})

    assert response.status_code == 409
    assert "Le service de paiement en ligne n&#x27;a pas répondu." in response.content.decode()
    assert PaymentAttempt.objects.get().status == AttemptStatus.FAILED


def test_without_an_online_provider_there_is_no_button_and_forms_stay_on_the_site(
    client, customer, awaiting
):
    client.force_login(customer)
    page = client.get(awaiting.get_absolute_url())
    html = page.content.decode()
    assert "en ligne" not in html.split('id="payments-due"')[1].split("</div>")[0]
    assert "form-action 'self';" in page["Content-Security-Policy"] + ";"
    response = client.post(pay_url(awaiting), {"provider": "stripe"})
    assert response.status_code == 409


def test_the_quotes_confirmation_gives_the_transfer_reference_of_the_choice(
    client, customer, case, reception, technician, agent
):
    from aftersales.payments.providers.bank_transfer import transfer_reference
    from aftersales.payments.references import reference_format

    walk_to(case, S.QUOTED, reception=reception, technician=technician, agent=agent)
    quote = case.quotes.get()
    client.force_login(customer)
    page = client.get(
        reverse("repairs:quote_answer", args=[case.case_number]),
        {"quote": quote.pk, "option": "repair"},
    ).text
    reference = reference_format(transfer_reference(case.case_number, "repair"))
    assert f'<code class="transfer-reference nowrap">{reference}</code>' in page
