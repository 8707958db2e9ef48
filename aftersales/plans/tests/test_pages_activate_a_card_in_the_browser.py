"""Issue 3's "done when", clicked through real pages: a customer who reads the site in French
activates a card (a typo first, shown at the code field with both values kept), sees the plan
and downloads the contract, in French."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect
from pypdf import PdfReader

from aftersales.plans.models import Plan
from aftersales.plans.services import activation_codes_generate

pytestmark = pytest.mark.browser


@pytest.fixture
def page_locale() -> str:
    return "fr-FR"


def _submit(page) -> None:
    page.locator("main form button[type=submit].primary").click()


def test_a_french_customer_activates_a_card_sees_the_plan_and_downloads_the_contract(
    page, customer, device, offering
):
    customer.preferred_language = "fr"
    customer.save()
    code = activation_codes_generate(offering=offering, country="FR", quantity=1).codes.get()
    typo = code.formatted[:-1] + ("2" if code.formatted[-1] != "2" else "3")

    page.goto("/account/login/")
    page.fill("#id_username", customer.email)
    page.fill("#id_password", "correct-horse-battery")
    _submit(page)
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.goto("/plans/activate/")
    # Where the serial number is (FAQ 12), in French.
    page.locator("details summary", has_text="Mavic").click()
    expect(page.locator("details", has_text="Mavic")).to_contain_text(
        "Dans le compartiment de la batterie."
    )

    # A typo in the code: refused at the code field, both values kept.
    page.fill("#id_activation_code", typo)
    page.fill("#id_serial_number", device.serial_number.lower())
    _submit(page)
    code_field = page.locator(".field", has=page.locator("#id_activation_code"))
    expect(code_field.locator(".errorlist")).to_be_visible()
    expect(page.locator("#id_activation_code")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_activation_code")).to_have_value(typo)
    expect(page.locator("#id_serial_number")).to_have_value(device.serial_number.lower())
    assert not Plan.objects.exists()

    # The right code.
    page.fill("#id_activation_code", code.formatted)
    _submit(page)
    # The page first: the database is read once the server has answered the click.
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    plan = Plan.objects.get()
    assert page.url.endswith(f"/plans/{plan.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("DJI Care Refresh (Mavic 2)")
    expect(main).to_contain_text(device.serial_number)
    with translation.override("fr"):
        starts_on = date_format(timezone.localdate())
    expect(main).to_contain_text(starts_on)  # e.g. "22 novembre 2026"
    expect(main).to_contain_text("109,00 EUR")

    # The contract, downloaded and e-mailed, in French.
    with page.expect_download() as download_info:
        page.locator(f"a[href='/plans/{plan.pk}/contract.pdf']").click()
    download = download_info.value
    assert download.suggested_filename == f"DCR-{plan.pk:06d}.pdf"
    pdf = open(download.path(), "rb").read()  # noqa: SIM115
    assert pdf.startswith(b"%PDF")
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert starts_on in text
    assert device.serial_number in text

    [message] = mail.outbox
    assert message.to == [customer.email]
    assert message.attachments[0][0] == f"DCR-{plan.pk:06d}.pdf"
