"""Issue 2's journey, clicked through real pages: sign up, verify the e-mail from the captured
message, log in, switch to French, add a product by its serial number, add an address with a
wrong VAT number (French error at the field, everything typed still there), correct it, save."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from aftersales.accounts.models import Address, User
from aftersales.devices.tests.factories import DeviceFactory

pytestmark = pytest.mark.browser

PASSWORD = "Plein-Ciel-2026!"


def _submit(page) -> None:
    page.locator("main form button[type=submit].primary").click()


def test_a_new_customer_signs_up_and_builds_an_account_in_french(page, live_server):
    device = DeviceFactory(serial_number="163DG9R0012345")

    # Sign up.
    page.goto("/account/signup/")
    page.fill("#id_email", "Lea.Moreau@example.fr")
    page.fill("#id_first_name", "Léa")
    page.fill("#id_last_name", "Moreau")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    _submit(page)
    expect(page.locator("main")).to_contain_text("lea.moreau@example.fr")

    # Verify the e-mail from the captured message.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea.moreau@example.fr"]
    link = re.search(r"https?://\S+/account/verify/\S+/", message.body)
    assert link, message.body
    page.goto(link.group(0))

    # Log in.
    expect(page).to_have_url(re.compile(r"/account/login/"))
    page.fill("#id_username", "lea.moreau@example.fr")
    page.fill("#id_password", PASSWORD)
    _submit(page)
    expect(page.locator(".main-nav")).to_contain_text("My products")

    # Switch to French; the account remembers it.
    page.locator(".language-switch button[value=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".main-nav")).to_contain_text("Mes produits")
    assert User.objects.get(email="lea.moreau@example.fr").preferred_language == "fr"

    # Add a product by its serial number, typed as people type it.
    page.locator(".main-nav").get_by_role("link", name="Mes produits").click()
    expect(page).to_have_url(re.compile(r"/products/$"))
    page.goto(f"{live_server.url}/products/add/")
    page.fill("#id_serial_number", " 163dg9r0012345 ")
    _submit(page)
    expect(page.locator("main")).to_contain_text(device.serial_number)
    expect(page.locator("main")).to_contain_text("Mavic 2 Pro")
    device.refresh_from_db()
    assert device.owner is not None and device.owner.email == "lea.moreau@example.fr"

    # Add an address with a wrong VAT number.
    page.goto(f"{live_server.url}/account/addresses/")
    page.get_by_role("link", name=re.compile("Ajouter une nouvelle adresse")).first.click()
    page.fill("#id_full_name", "Léa Moreau")
    page.fill("#id_company", "Moreau Prises de Vue SARL")
    page.fill("#id_street", "8 quai des Chartrons")
    page.fill("#id_postcode", "33000")
    page.fill("#id_city", "Bordeaux")
    page.select_option("#id_country", "FR")
    page.fill("#id_phone", "05 56 00 00 00")
    page.fill("#id_vat_number", "FR12345678901")
    _submit(page)

    vat_field = page.locator(".field", has=page.locator("#id_vat_number"))
    expect(vat_field.locator(".errorlist")).to_contain_text("TVA")
    expect(page.locator("#id_vat_number")).to_have_attribute("aria-invalid", "true")
    # Everything typed is still there.
    expect(page.locator("#id_full_name")).to_have_value("Léa Moreau")
    expect(page.locator("#id_company")).to_have_value("Moreau Prises de Vue SARL")
    expect(page.locator("#id_street")).to_have_value("8 quai des Chartrons")
    expect(page.locator("#id_postcode")).to_have_value("33000")
    expect(page.locator("#id_city")).to_have_value("Bordeaux")
    expect(page.locator("#id_country")).to_have_value("FR")
    expect(page.locator("#id_vat_number")).to_have_value("FR12345678901")
    assert not Address.objects.exists()

    # Correct it and save.
    page.fill("#id_vat_number", "FR40303265045")
    _submit(page)
    expect(page).to_have_url(re.compile(r"/account/addresses/$"))
    expect(page.locator("main")).to_contain_text("Moreau Prises de Vue SARL")
    expect(page.locator("main")).to_contain_text("FR40303265045")
    address = Address.objects.get()
    assert address.user.email == "lea.moreau@example.fr"
    assert address.phone == "+33 5 56 00 00 00"
