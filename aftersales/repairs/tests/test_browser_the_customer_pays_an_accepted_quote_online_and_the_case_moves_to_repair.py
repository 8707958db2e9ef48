"""Issue 9, "Done when", clicked through in French in Chromium: Alice accepted the repair at
the quoted price; her case page shows what to pay, the bank transfer's reference and "pay
online"; she is sent to the Checkout page (localstripe's, on 127.0.0.1: never the internet),
pays with the test card and comes back. Until the provider's signed notification arrives, the
page says her payment is being confirmed and the case still waits; once it has arrived, the
payment is confirmed, received, and the case is being repaired. Every page is checked for CSP
(the pay button's form may lead to the provider's page, nothing else) and axe violations."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import WIDE, at_both_widths, log_in
from aftersales.payments.providers.bank_transfer import transfer_reference
from aftersales.payments.references import reference_format
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.payments.tests.stripe_fixtures import webhook_to, webhooks_held
from aftersales.repairs.choices import QuoteOption, RequestStatus
from aftersales.repairs.tests.paying_helpers import WEBHOOK
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.browser


@pytest.fixture
def page_locale() -> str:
    return "fr-FR"


def test_a_customer_pays_an_accepted_quote_online_in_french(
    page,
    live_server,
    stripe_configured,
    localstripe_url,
    case,
    customer,
    reception,
    technician,
    agent,
):
    page.set_viewport_size(WIDE)
    walk_to(
        case,
        RequestStatus.AWAITING_PAYMENT,
        reception=reception,
        technician=technician,
        agent=agent,
        answer=QuoteOption.REPAIR,
    )
    webhook_to(localstripe_url, live_server.url + WEBHOOK, stripe_configured["WEBHOOK_SECRET"])
    # The provider's word is kept back until Alice is back on the site.
    webhooks_held(localstripe_url, True)
    log_in(page, customer)

    # Her case page: what to pay, the transfer's reference, the counter, and "pay online".
    page.goto(f"/repairs/cases/{case.case_number}/")
    expect(page.locator("#status-label")).to_have_text("En attente de votre paiement")
    due = page.locator("#payments-due")
    expect(due).to_contain_text("90,75 EUR")
    expect(due).to_contain_text("Réparation au prix du devis")
    expect(due.locator(".transfer-reference")).to_have_text(
        reference_format(transfer_reference(case.case_number, "repair"))
    )
    expect(due).to_contain_text("au comptoir du centre de réparation")
    at_both_widths(page)

    # Checkout: the provider's page (localstripe's), in French.
    due.get_by_role("button", name="Payer 90,75 EUR en ligne").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(localstripe_url)}/checkout/pay/cs_"))
    expect(page.locator("h1")).to_have_text("Payer 90.75 EUR")
    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_label("Date d'expiration (MM/AA)").fill("12/30")
    page.get_by_label("Code de sécurité").fill("123")
    page.get_by_role("button", name="Payer 90.75 EUR").click()

    # Back on the site before the provider's word: pending, the case still waits.
    expect(page).to_have_url(re.compile(r"/payments/return/[0-9a-f-]+/$"))
    expect(page.locator("#payment-notice")).to_contain_text(
        "Votre paiement de 90,75 EUR est en cours de confirmation par le service de paiement."
    )
    expect(page.locator("#status-label")).to_have_text("En attente de votre paiement")
    expect(page.locator("#payments-due")).to_contain_text(
        "attend la confirmation du service de paiement"
    )
    at_both_widths(page)
    case.refresh_from_db()
    assert case.status == RequestStatus.AWAITING_PAYMENT

    # The provider's signed notifications arrive; Alice refreshes the page.
    webhooks_held(localstripe_url, False)
    for _attempt in range(40):
        page.wait_for_timeout(500)
        page.get_by_role("link", name="Actualiser").click()
        label = page.locator("#status-label").inner_text()
        if label == "En cours de réparation":
            break
    expect(page.locator("#status-label")).to_have_text("En cours de réparation")
    expect(page.locator("#payment-notice")).to_contain_text(
        "Votre paiement de 90,75 EUR est confirmé. Merci."
    )
    expect(page.locator("#payments-due")).to_have_count(0)
    received = page.locator("#payments-received")
    expect(received).to_contain_text("90,75 EUR")
    expect(received).to_contain_text("Paiement en ligne")
    at_both_widths(page)

    case.refresh_from_db()
    assert case.status == RequestStatus.REPAIRING
    subjects = [message.subject for message in mail.outbox]
    assert f"Votre dossier {case.case_number} : En cours de réparation" in subjects
