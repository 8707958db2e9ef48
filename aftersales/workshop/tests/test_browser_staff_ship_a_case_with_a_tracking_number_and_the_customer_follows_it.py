"""Issue 9, in a real browser, in French: logistics scan the case of a unit ready to ship (the
shipping panel opens, the keyboard in the tracking number), a mistyped tracking number is
refused at the field with what was typed kept, the right one ships the case and the outbound
label is offered to print; the customer then finds the tracking link on the case page. Every
page is checked by axe and for Content-Security-Policy violations (the browser plugin)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests.parcels_cast import UPS_EXAMPLE, centre_with_range
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import ready_to_ship

from .test_browser_reception_scans_and_a_technician_evaluates_and_quotes import (
    fits_a_phone,
    log_in,
)

pytestmark = pytest.mark.browser


def test_staff_ship_with_a_tracking_number_and_the_customer_follows_the_parcel_in_french(
    new_page, case, spare, reception, technician, agent
):
    centre_with_range(case.repair_centre)
    ready_to_ship(case, spare, reception=reception, technician=technician, agent=agent)
    reception.preferred_language = "fr"
    reception.save(update_fields=["preferred_language"])

    # --- Logistics ---------------------------------------------------------------------------
    page = new_page(locale="fr-FR")
    log_in(page, reception)
    page.goto("/workshop/scan/")
    expect(page.locator("#scan-number")).to_be_focused()
    page.keyboard.type(case.case_number)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/workshop/cases/{case.case_number}/\?action=ship$"))
    tracking = page.locator("#ship-tracking_number")
    expect(page.locator("#action-ship")).to_contain_text(
        "Laissez vide pour imprimer l’étiquette UPS"
    )
    # The keyboard is in the tracking number and stays there once the page has loaded: the
    # scanner's next number goes in it.
    expect(tracking).to_be_focused()
    page.wait_for_load_state("load")
    expect(tracking).to_be_focused()

    # A number mistyped (its check digit is wrong): refused at the field, kept.
    page.keyboard.type("1Z999AA10123456785")
    page.keyboard.press("Enter")
    expect(page.locator("#ship-tracking_number_error")).to_contain_text(
        "Le chiffre de contrôle de ce numéro de suivi est faux"
    )
    expect(tracking).to_have_value("1Z999AA10123456785")
    expect(tracking).to_have_attribute("aria-invalid", "true")
    assert RepairRequest.objects.get(pk=case.pk).status == RequestStatus.READY_TO_SHIP

    # The right number, as a scanner types it over the wrong one (the keyboard still there).
    expect(tracking).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("1z 999 aa1 0123456784")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("L'expédition est enregistrée")
    expect(page.locator("#case-status")).to_contain_text("Produit renvoyé")
    expect(page.locator("#shipment")).to_contain_text(UPS_EXAMPLE)
    expect(page.locator("#outbound-label-pdf")).to_have_text("imprimer (PDF, A6)")
    fits_a_phone(page)
    assert RepairRequest.objects.get(pk=case.pk).return_shipment.tracking_number == UPS_EXAMPLE

    # --- The customer ------------------------------------------------------------------------
    page = new_page(locale="fr-FR")
    log_in(page, case.user)
    page.goto(f"/repairs/cases/{case.case_number}/")
    link = page.locator("#tracking-link")
    expect(link).to_have_text("Suivre le colis sur le site de UPS")
    expect(link).to_have_attribute("href", f"https://tracking.example.com/ups?n={UPS_EXAMPLE}")
    expect(page.locator("#tracking")).to_contain_text(UPS_EXAMPLE)
    fits_a_phone(page)
