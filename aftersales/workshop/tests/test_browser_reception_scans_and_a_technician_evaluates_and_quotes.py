"""Issue 8, the workshop through real pages in French, by keyboard: reception scans the case
number (typed as a USB scanner types it, then Enter) — a wrong number first, said at once —, the
case opens in the reception view with the keyboard in the serial number's field, the parcel is
registered with a photo; a technician starts the evaluation, records it and sends the quote built
from it, after seeing what the customer will be offered. Every page is checked by axe and for
Content-Security-Policy violations (the browser plugin)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import audit_now, audit_of
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests.sample_files import jpeg
from aftersales.workshop.tests.cast import *  # noqa: F403

pytestmark = pytest.mark.browser


S = RequestStatus


def fits_a_phone(page) -> None:
    """At 320 px wide nothing sticks out sideways (WCAG 1.4.10) and axe still passes; a
    workshop tablet is wider."""
    audit_of(page).wait()
    page.set_viewport_size({"width": 320, "height": 720})
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, "
        "width: document.documentElement.clientWidth})"
    )
    assert sizes["scroll"] <= sizes["width"], f"{page.url} scrolls sideways at 320 px: {sizes}"
    audit_now(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page, user) -> None:
    page.goto("/account/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main form button[type=submit].primary").click()
    expect(page).not_to_have_url(re.compile(r"/account/login/"))


def test_reception_scans_then_a_technician_evaluates_and_quotes_in_french(
    new_page, case, reception, technician, tmp_path
):
    for person in (reception, technician):
        person.preferred_language = "fr"
        person.save(update_fields=["preferred_language"])

    # --- Reception ---------------------------------------------------------------------------
    page = new_page(locale="fr-FR")
    log_in(page, reception)
    page.locator(".main-nav").get_by_role("link", name="Atelier").click()
    expect(page.locator("h1")).to_have_text("Atelier")
    expect(page.locator("#queue-parcels-expected .queue-count")).to_have_text("1")
    fits_a_phone(page)
    page.locator("#bar-scan").click()

    scan = page.locator("#scan-number")
    expect(scan).to_be_focused()
    page.keyboard.type("CAS-0000000-ZZZZZZ")
    page.keyboard.press("Enter")
    expect(page.locator("#scan-number_error")).to_contain_text("Aucun dossier ne porte ce numéro")
    expect(scan).to_be_focused()
    expect(scan).to_have_value("CAS-0000000-ZZZZZZ")

    page.keyboard.press("Control+A")
    page.keyboard.type(case.case_number)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/workshop/scan/\?number={case.case_number}$"))
    serial = page.locator("#receive-serial_number_read")
    expect(serial).to_be_focused()
    expect(page.locator("#action-receive")).to_contain_text("Enregistrer le colis")
    page.keyboard.type(case.serial_number)
    page.locator("#receive-unexpected_items_0").check()  # a working battery, which should not come
    photo = tmp_path / "colis.jpg"
    photo.write_bytes(jpeg())
    page.locator("#receive-photos").set_input_files(str(photo))
    serial.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/workshop/cases/{case.case_number}/$"))
    expect(page.locator(".messages")).to_contain_text("Le colis est enregistré")
    expect(page.locator("#case-status")).to_contain_text("Colis reçu à l'atelier")
    expect(page.locator("#parcel-photos")).to_contain_text("colis.jpg")
    fits_a_phone(page)
    assert RepairRequest.objects.get(pk=case.pk).status == S.RECEIVED

    # --- The technician ----------------------------------------------------------------------
    page = new_page(locale="fr-FR")
    log_in(page, technician)
    page.goto("/workshop/queues/to-evaluate/")
    page.get_by_role("link", name=case.case_number).click()
    expect(page.locator("#action-evaluation-start-submit")).to_be_visible()
    page.locator("#action-evaluation-start-submit").click()
    expect(page.locator("#case-status")).to_contain_text("En cours d'évaluation")

    # The evaluation: the keyboard starts in the findings.
    expect(page.locator("#evaluate-findings")).to_be_focused()
    page.keyboard.type("Bras avant cassés, nacelle fissurée.")
    page.locator("#action-evaluate").get_by_label("Nacelle et caméra").check()
    page.locator("#action-evaluate").get_by_label("Accident", exact=True).check()
    page.locator("#action-evaluate").get_by_label("Utilisateur").check()
    page.fill("#evaluate-labour_hours", "1,5")
    page.fill("#evaluate-evaluation_hours", "1")
    page.locator("#action-evaluate-submit").click()
    expect(page.locator(".messages")).to_contain_text("L'évaluation est enregistrée")
    expect(page.locator("#coverage-evaluated")).to_contain_text("Couvert par le forfait")

    # The quote, built from the evaluation: the gimbal's price to fill in (the keyboard is there).
    price = page.locator("#quote-lines-0-unit_price")
    expect(price).to_be_focused()
    expect(page.locator("#quote-lines-0-description")).to_have_value("Nacelle et caméra")
    price.fill("120,00")
    page.keyboard.press("Enter")  # "Update the totals": nothing is sent by Enter
    preview = page.locator("#quote-preview")
    expect(preview).to_contain_text("235,95 EUR")
    expect(preview).to_contain_text("109,00 EUR")  # the plan's replacement fee
    fits_a_phone(page)
    assert not RepairRequest.objects.get(pk=case.pk).quotes.exists()
    page.fill("#quote-message", "Voici notre devis.")
    page.locator("#action-quote-submit").click()
    expect(page.locator(".messages")).to_contain_text("Le devis est envoyé au client")
    expect(page.locator("#quote-v1")).to_contain_text("235,95")
    case.refresh_from_db()
    assert case.status == S.QUOTED

    # Found again from the search box by the customer's e-mail, typed as it comes.
    page.locator("#bar-q").fill("ALICE@example.com")
    page.keyboard.press("Enter")
    expect(page.locator("#cases")).to_contain_text(case.case_number)
    expect(page.locator("#cases")).to_contain_text("Devis envoyé")
