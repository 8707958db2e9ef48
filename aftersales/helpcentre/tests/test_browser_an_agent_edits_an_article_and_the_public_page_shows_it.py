"""In Chromium and in French: an agent goes from the support inbox to the help centre's
articles, finds the water-damage answer by its title, previews a change, saves it from the
keyboard, and the public page (also for a visitor who is not logged in) shows the new text.
axe and the Content-Security-Policy are checked on every page (the plugin)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftersales.catalog.tests.factories import ProductLineFactory
from aftersales.core.tests.browser.plugin import at_both_widths, audit_of, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def page_locale() -> str:
    return "fr-FR"


def test_an_agent_edits_an_article_and_the_public_page_shows_it(page, new_page, faq, agent):
    ProductLineFactory(code="mavic", name="Mavic")
    ProductLineFactory(code="inspire", name="Inspire")
    agent.preferred_language = "fr"
    agent.save(update_fields=["preferred_language"])
    log_in(page, agent)
    page.goto("/support/inbox/")
    audit_of(page).wait()
    page.get_by_role("link", name="Articles du centre d'aide").click()
    expect(page.locator("h1")).to_have_text("Articles du centre d'aide")
    at_both_widths(page)

    page.get_by_label("Rechercher par titre ou adresse").fill("tombé dans l'eau")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    audit_of(page).wait()
    page.locator("tbody tr th a").click()
    expect(page.locator("h1")).to_contain_text("Modifier « Mon appareil est tombé dans l'eau.")
    at_both_widths(page)

    # A missing title is said at its field, and the rest stays as typed.
    title = page.get_by_label("Titre (français)")
    title.fill("")
    page.get_by_label("Réponse (français)").fill("Oui, s'il est couvert : voir ci-dessous.")
    page.get_by_role("button", name="Enregistrer l'article").click()
    expect(page.locator("#id_title_fr_error")).to_contain_text("Ce champ est obligatoire.")
    expect(page.get_by_label("Réponse (français)")).to_have_value(
        "Oui, s'il est couvert : voir ci-dessous."
    )
    at_both_widths(page)

    title.fill("Mon drone a pris l'eau : suis-je couvert ?")
    page.get_by_role("group", name="Gammes de produits").get_by_label("Mavic").check()
    page.get_by_role("button", name="Aperçu sans enregistrer").click()
    preview = page.locator("#preview")
    expect(
        preview.get_by_role("heading", name="Mon drone a pris l'eau : suis-je couvert ?")
    ).to_be_visible()
    expect(preview).to_contain_text("Oui, s'il est couvert : voir ci-dessous.")
    at_both_widths(page)

    # Saved from the keyboard: Enter in a field presses the form's first button (save).
    page.get_by_label("Titre (français)").press("Enter")
    expect(page.locator(".messages")).to_contain_text("L'article est enregistré.")
    audit_of(page).wait()
    page.get_by_role("link", name="/help/").first.click()
    expect(page.locator("h1")).to_have_text("Mon drone a pris l'eau : suis-je couvert ?")
    expect(page.locator("main")).to_contain_text("Oui, s'il est couvert : voir ci-dessous.")
    expect(page.locator("main")).to_contain_text("S'applique à : Mavic")
    at_both_widths(page)

    visitor = new_page(locale="fr-FR")
    visitor.goto("/help/?q=pris l'eau")
    audit_of(visitor).wait()
    visitor.locator("#help-results ol li a").first.click()
    expect(visitor.locator("h1")).to_have_text("Mon drone a pris l'eau : suis-je couvert ?")
    at_both_widths(visitor)
