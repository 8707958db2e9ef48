"""Issue 10's "done when", in Chromium and in French: a logged-out customer fills the guide's
contact form with a proof of purchase and the verification code, gets the ticket's e-mail and
answers through its private link; an agent replies in French, adds an internal note the
customer never sees, and turns the ticket into a repair request, which the customer finishes in
the wizard. Every page is checked by axe and for Content-Security-Policy violations (the browser
plugin)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import at_both_widths, audit_of, log_in
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests import sample_files
from aftersales.repairs.tests.parcels_cast import centre_with_range
from aftersales.repairs.tests.wizard_cast import *  # noqa: F403
from aftersales.support.models import Ticket

from .helpers import LINK

pytestmark = pytest.mark.browser


@pytest.fixture
def page_locale() -> str:
    return "fr-FR"


@pytest.fixture(autouse=True)
def _in_french(customer, agent) -> None:
    for person in (customer, agent):
        person.preferred_language = "fr"
        person.save(update_fields=["preferred_language"])


@pytest.fixture(autouse=True)
def _centre_ships(repair_centre) -> None:
    """The centre's own carrier account has a range of tracking numbers for return labels."""
    centre_with_range(repair_centre)


def settled(page) -> None:
    audit_of(page).wait()


def test_a_french_customer_writes_to_support_and_finishes_the_repair_request_an_agent_started(
    page, new_page, customer, agent, mine, europe, repair_centre, paris
):
    # --- The contact form, logged out ---------------------------------------------------------
    page.goto("/support/contact/")
    expect(page.locator("h1")).to_have_text("Contacter l'assistance")
    page.select_option("#id_product_model", str(mine.model.pk))
    page.fill("#id_full_name", "Alice Durand")
    page.select_option("#id_continent", "europe")
    page.select_option("#id_country", "FR")
    page.fill("#id_email", customer.email)
    page.select_option("#id_problem_type", "repair")
    page.fill("#id_reseller_name", "Boutique Drone Lyon")
    page.fill("#id_serial_number", mine.serial_number)
    page.fill("#id_subject", "La demande en ligne ne fonctionne pas")
    page.fill("#id_description", "Mon drone est tombé, la nacelle ne bouge plus.")
    page.set_input_files(
        "#id_proof_of_purchase",
        {"name": "facture.pdf", "mimeType": "application/pdf", "buffer": sample_files.pdf()},
    )
    # A wrong code first: refused at its field, everything typed and the file kept.
    page.fill("#id_captcha_1", "FAUX")
    settled(page)
    page.get_by_role("button", name="Soumettre").click()
    expect(page.locator("#id_captcha_error")).to_contain_text(
        "Le code de vérification n'est pas correct"
    )
    expect(page.locator("#id_reseller_name")).to_have_value("Boutique Drone Lyon")
    expect(page.locator("#file-on-hand")).to_contain_text("facture.pdf")
    at_both_widths(page)
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("#id_captcha_1", CaptchaStore.objects.get(hashkey=key).response)
    settled(page)
    page.get_by_role("button", name="Soumettre").click()
    ticket = Ticket.objects.get()
    expect(page.locator("#ticket-number")).to_contain_text(ticket.number)
    assert ticket.files.get().original_name == "facture.pdf"

    # --- The e-mail, in French, and the answer through the private link ------------------------
    [confirmation] = [m for m in mail.outbox if customer.email in m.to]
    assert "Nous avons bien reçu votre demande" in confirmation.subject
    assert "Bonjour" in confirmation.body
    link = LINK.search(confirmation.body)
    assert link is not None
    settled(page)
    page.goto(f"/support/t/{link.group(1)}/")
    expect(page.locator("h1")).to_contain_text(ticket.number)
    page.fill("#id_body", "J'ai aussi essayé de réinitialiser le drone.")
    settled(page)
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator(".messages")).to_contain_text("Votre réponse a été envoyée")
    at_both_widths(page)

    # --- The agent: a reply in French, an internal note, a repair request --------------------
    agent_page = new_page(locale="fr-FR")
    log_in(agent_page, agent)
    settled(agent_page)
    agent_page.goto("/support/inbox/?queue=waiting-us")
    settled(agent_page)
    agent_page.get_by_role("link", name=ticket.number).click()
    expect(agent_page.locator("h1")).to_contain_text(ticket.number)
    agent_page.fill(
        "#id_reply-body", "Bonjour, nous allons créer la demande de réparation pour vous."
    )
    settled(agent_page)
    agent_page.get_by_role("button", name="Envoyer la réponse").click()
    expect(agent_page.locator(".messages")).to_contain_text("Réponse envoyée au client")
    note_field = agent_page.locator("form[action$='/note/'] textarea")
    note_field.fill("Client fidèle : à traiter en priorité.")
    settled(agent_page)
    agent_page.get_by_role("button", name="Ajouter la note").click()
    expect(agent_page.locator(".messages")).to_contain_text("Note interne ajoutée")
    settled(agent_page)
    agent_page.get_by_role("button", name="Créer une demande de réparation").click()
    expect(agent_page.locator(".messages")).to_contain_text("Demande de réparation créée")
    at_both_widths(agent_page)
    draft = RepairRequest.objects.get(user=customer)
    assert draft.serial_number == mine.serial_number and draft.device == mine

    mine_mails = [m for m in mail.outbox if customer.email in m.to]
    assert any("nous allons créer la demande" in m.body for m in mine_mails)
    assert not any("Client fidèle" in m.body for m in mine_mails)
    settled(page)
    page.reload()
    expect(page.locator(".conversation")).to_contain_text("nous allons créer la demande")
    expect(page.locator(".conversation")).not_to_contain_text("Client fidèle")

    # --- The customer finishes the request in the wizard --------------------------------------
    log_in(page, customer)
    settled(page)
    page.goto(f"/repairs/{draft.pk}/")
    expect(page).to_have_url(re.compile(rf"/repairs/{draft.pk}/zone/$"))
    page.wait_for_function("() => window.htmx !== undefined")
    page.select_option("#id_zone", str(europe.pk))
    expect(page.locator("#id_country option[value='US']")).to_have_count(0)
    page.select_option("#id_country", "FR")
    _next(page)
    page.locator("input[name='way'][value='mine']").check()
    page.locator(f"input[name='my_device'][value='{mine.pk}']").check()
    _next(page)
    page.locator("input[name='service_type'][value='repair']").check()
    _next(page)
    page.locator("input[name='problems'][value='gimbal_camera']").check()
    expect(page.locator("#id_description")).to_have_value(
        "Mon drone est tombé, la nacelle ne bouge plus."
    )
    page.locator("#id_support_contacted").check()
    _next(page)
    page.select_option("#id_purchase_channel", "official_store")
    page.fill("#id_received_on", (date.today() - timedelta(days=60)).isoformat())
    _next(page)
    for _ in range(6):
        slug = page.url.rstrip("/").rsplit("/", 1)[-1]
        if slug == "summary":
            break
        if slug == "shipment":
            page.locator("input[name='shipment'][value='complete_set']").check()
        elif slug == "address":
            page.locator(f"#id_return_address_{paris.pk}").check()
        elif slug == "cause":
            page.locator("input[name='accident_cause'][value='user']").check()
        elif slug == "analysis":
            page.locator("input[name='data_analysis_requested'][value='no']").check()
        else:
            raise AssertionError(f"unexpected step {page.url}")
        _next(page)
    page.locator("#id_terms_accepted").check()
    settled(page)
    page.locator("#submit-request").click()
    expect(page.locator("h1")).to_have_text("Demande envoyée !")
    draft.refresh_from_db()
    assert draft.status == RequestStatus.SUBMITTED
    assert draft.events.filter(note__contains=ticket.number).exists()


def _next(page) -> None:
    settled(page)
    page.locator("button.primary[name=action][value=next]").click()
