"""Issue 10's "done when", in Chromium and in French: the help centre finds the water-damage
answer for « tombé dans l'eau » (as the customer types, and with the search button), the answer
leads to the repair request; a logged-in customer reads the binding-window answer for their own
device. axe and the Content-Security-Policy are checked on every page (the plugin)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import at_both_widths, audit_of, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def page_locale() -> str:
    return "fr-FR"


def test_the_help_centre_finds_the_water_answer_as_the_customer_types(page, faq):
    page.goto("/help/")
    expect(page.locator("h1")).to_have_text("Centre d'aide")
    field = page.get_by_label("Votre question")
    # Typed as a customer types: the results follow (htmx), the focus stays in the field.
    field.press_sequentially("mon drone est tombé dans l'eau", delay=20)
    first = page.locator("#help-results ol li").first
    expect(first).to_contain_text("Mon appareil est tombé dans l'eau.")
    expect(field).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("réponses trouvées")
    at_both_widths(page)

    # Without waiting for the live results: the search button (a plain GET form).
    audit_of(page).wait()
    field.fill("tombé dans l'eau")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url("/help/?q=tomb%C3%A9+dans+l%27eau")
    expect(page.locator("#help-results ol li").first).to_contain_text("tombé dans l'eau")
    audit_of(page).wait()
    page.locator("#help-results ol li a").first.click()

    expect(page.locator("h1")).to_have_text(
        "Mon appareil est tombé dans l'eau. DJI Care Refresh couvre-t-il le remplacement ?"
    )
    action = page.get_by_role("link", name="Faire une demande de réparation")
    expect(action).to_have_attribute("href", "/repairs/new/")
    at_both_widths(page)


def test_a_customer_reads_the_binding_window_answer_for_their_own_device(
    page, faq, customer, device
):
    customer.preferred_language = "fr"
    customer.save(update_fields=["preferred_language"])
    device.activated_at = timezone.now() - timedelta(days=3)
    device.save(update_fields=["activated_at"])

    log_in(page, customer)
    page.goto("/help/?q=activé il y a plus de 48 heures")
    audit_of(page).wait()
    page.locator("#help-results ol li a").first.click()
    expect(page.locator("h1")).to_contain_text("activé il y a plus de 48 heures")
    answers = page.locator("section", has=page.get_by_role("heading", name="Pour vos produits"))
    expect(answers).to_contain_text(
        f"Mavic 2 Pro {device.serial_number} : activé il y a 3\xa0jours — un forfait ne peut plus "
        "être lié (FAQ 6)."
    )
    expect(page.get_by_role("link", name="Activer un forfait")).to_have_attribute(
        "href", "/plans/activate/"
    )
    at_both_widths(page)
