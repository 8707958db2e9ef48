"""Issue 8, item 3, clicked through real pages in French: Alice's case has its quote (set up
through the workshop's services); she opens her case page, reads the quote, chooses « use my
plan's replacement », confirms, and sees the case waiting for her payment with the amount due;
one e-mail told her so. Every page is checked for CSP and axe (WCAG 2.2 AA) violations by the
browser plugin, at 1280 px and at 320 px wide, where nothing may stick out sideways."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import WIDE, at_both_widths
from aftersales.payments.providers.bank_transfer import transfer_reference
from aftersales.payments.references import reference_format
from aftersales.repairs.choices import QuoteOption, RequestStatus
from aftersales.repairs.models import QuoteAnswer
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.browser


@pytest.fixture
def page_locale() -> str:
    return "fr-FR"


def log_in(page, user) -> None:
    page.goto("/account/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main form button[type=submit].primary").click()
    expect(page).not_to_have_url(re.compile(r"/account/login/"))


def test_a_customer_uses_a_plan_replacement_from_the_quote_in_french(
    page, case, customer, reception, technician, agent
):
    page.set_viewport_size(WIDE)
    walk_to(case, RequestStatus.QUOTED, reception=reception, technician=technician, agent=agent)
    quote = case.quotes.get()
    waiting = SubmittedCaseFactory(user=customer, language="fr")
    log_in(page, customer)

    # My requests: the case waits for her answer.
    page.goto(reverse("repairs:list"))
    row = page.locator(f"tr[data-case='{case.case_number}']")
    expect(row).to_contain_text("Devis envoyé : en attente de votre réponse")
    expect(row).to_contain_text("En attente de votre part : un devis auquel répondre")
    at_both_widths(page)

    # The case page: the quote, its lines, VAT, total, validity and the three choices.
    row.get_by_role("link", name=case.case_number).click()
    expect(page.locator("h1")).to_contain_text(case.case_number)
    quote_section = page.locator("#quote")
    expect(quote_section.locator("h2")).to_have_text("Votre devis")
    expect(quote_section).to_contain_text("Main-d'œuvre")
    expect(quote_section.locator("#quote-total")).to_contain_text("TVA (21 %)")
    expect(quote_section.locator("#quote-total")).to_contain_text("90,75 EUR")
    expect(quote_section.locator("#quote-total")).to_contain_text("Valable jusqu'au")
    expect(page.locator("#coverage")).to_contain_text("Après évaluation")
    choices = quote_section.locator("#quote-options button")
    expect(choices).to_have_count(3)
    at_both_widths(page)

    # « Utiliser le remplacement 1 sur 2 de mon forfait », then its confirmation.
    sent_before = len(mail.outbox)
    quote_section.get_by_role(
        "button", name="Utiliser le remplacement 1 sur 2 de mon forfait (109,00 EUR)"
    ).click()
    expect(page.locator("h1")).to_have_text("Confirmez votre réponse")
    expect(page.locator("#choice-cost")).to_contain_text(
        "Vous utilisez le remplacement 1 sur 2 de votre forfait, moyennant les frais de service "
        "de 109,00 EUR spécifiés dans votre contrat de service."
    )
    expect(page.locator("#choice-then")).to_contain_text("Il restera ensuite 1 remplacement")
    assert not QuoteAnswer.objects.exists()
    at_both_widths(page)
    page.get_by_role("button", name="Confirmer ma réponse").click()

    # Back on the case page: waiting for her payment, the amount due and how to pay.
    expect(page).to_have_url(re.compile(rf"/repairs/cases/{case.case_number}/$"))
    expect(page.locator(".messages")).to_contain_text("Merci : votre réponse est enregistrée.")
    expect(page.locator("#status-label")).to_have_text("En attente de votre paiement")
    due = page.locator("#payments-due")
    expect(due).to_contain_text("109,00 EUR")
    expect(due).to_contain_text("Frais de remplacement du forfait")
    expect(due.locator(".transfer-reference")).to_have_text(
        reference_format(transfer_reference(case.case_number, "plan_fee"))
    )
    expect(due).to_contain_text("au comptoir du centre de réparation")
    expect(page.locator("#quote-answer")).to_contain_text("Vous avez répondu le")
    expect(page.locator("#quote-options")).to_have_count(0)
    at_both_widths(page)

    answer = QuoteAnswer.objects.get()
    assert (answer.quote_id, answer.option, answer.answered_by) == (
        quote.pk,
        QuoteOption.PLAN_REPLACEMENT,
        customer,
    )
    # One e-mail, in French, for the one visible step.
    new = mail.outbox[sent_before:]
    assert len(new) == 1
    assert new[0].subject == f"Votre dossier {case.case_number} : En attente de votre paiement"
    assert "109,00 EUR (Frais de remplacement du forfait)" in new[0].body

    # A case still awaiting its parcel may be cancelled, after a confirmation.
    page.goto(reverse("repairs:case", args=[waiting.case_number]))
    page.locator("#cancel-case").click()
    expect(page.locator("h1")).to_have_text("Annuler cette demande")
    at_both_widths(page)
    page.get_by_role("button", name="Annuler ma demande").click()
    expect(page.locator("#status-label")).to_have_text("Demande annulée")
    at_both_widths(page)
