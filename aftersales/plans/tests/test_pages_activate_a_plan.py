"""The activation page: a customer types an activation card's code and a serial number
(FAQ 3 path 1, FAQ 11); the plan is bound, the device joins the account, the contract is
e-mailed. Each refusal is shown at the field the customer has to correct."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.models import Offering, Plan
from aftersales.plans.services import activation_codes_generate

URL = reverse("plans:activate")


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def card(offering: Offering, country: str = "FR") -> str:
    """A new activation card's code, as printed: XXXX-XXXX-XXXX-XXXX."""
    batch = activation_codes_generate(offering=offering, country=country, quantity=1)
    return batch.codes.get().formatted


def activate(client, code: str, serial_number: str):
    return client.post(URL, {"activation_code": code, "serial_number": serial_number})


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_shows_where_to_find_the_serial_number_of_each_line(customer_client, device):
    response = customer_client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="activation_code"' in content
    assert 'name="serial_number"' in content
    assert "Mavic" in content
    assert "In the battery compartment." in content


def test_the_serial_number_help_is_in_the_customers_language(client, customer, device):
    customer.preferred_language = "fr"
    customer.save()
    client.force_login(customer)
    content = client.get(URL).content.decode()
    assert '<html lang="fr">' in content
    assert "Dans le compartiment de la batterie." in content


def test_a_customer_activates_a_card_and_gets_the_contract_by_email(
    customer_client, customer, device, offering, mailoutbox, django_capture_on_commit_callbacks
):
    code = card(offering)
    with django_capture_on_commit_callbacks(execute=True):
        # Typed the way people type: lower case, spaces instead of dashes.
        response = activate(
            customer_client, code.lower().replace("-", " "), device.serial_number.lower()
        )

    plan = Plan.objects.get(device=device)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.offering == offering
    assert plan.activation_code.is_used

    # The plan page says so.
    page = customer_client.get(response["Location"]).content.decode()
    assert "is now active" in page
    assert "DJI Care Refresh (Mavic 2)" in page

    # The device is now in the customer's products.
    device.refresh_from_db()
    assert device.owner == customer
    assert device.serial_number in customer_client.get(reverse("devices:list")).content.decode()

    # The service contract is e-mailed, as a PDF.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["alice@example.com"]
    assert f"DCR-{plan.pk:06d}" in message.subject
    [(filename, pdf, mimetype)] = message.attachments
    assert filename == f"DCR-{plan.pk:06d}.pdf"
    assert mimetype == "application/pdf"
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert device.serial_number in text
    assert "DJI Care Refresh (Mavic 2)" in text


def test_a_device_already_in_the_account_keeps_its_place(
    customer_client, customer, device, offering
):
    device.owner = customer
    device.added_to_account_at = added = timezone.now() - timedelta(days=3)
    device.save()
    activate(customer_client, card(offering), device.serial_number)
    device.refresh_from_db()
    assert device.owner == customer
    assert device.added_to_account_at == added
    assert Plan.objects.filter(device=device).exists()


def _refused(response, field: str, message: str, code: str, serial_number: str) -> None:
    """The refusal is shown at `field` (None: above the form), with what was typed kept."""
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field) == [message], form.errors
    content = response.content.decode()
    assert message.replace("'", "&#x27;") in content
    assert f'value="{code}"' in content
    assert f'value="{serial_number}"' in content


def test_a_mistyped_code_is_refused_at_the_code_field(customer_client, device, offering):
    code = card(offering)
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    response = activate(customer_client, typo, device.serial_number)
    _refused(
        response,
        "activation_code",
        "This activation code is not valid. Check it and try again.",
        typo,
        device.serial_number,
    )
    assert not Plan.objects.exists()


def test_a_used_code_is_refused_at_the_code_field(customer_client, device, offering, mavic_2_pro):
    code = card(offering)
    first = DeviceFactory(model=mavic_2_pro, purchase_country="FR")
    activate(customer_client, code, first.serial_number)
    response = activate(customer_client, code, device.serial_number)
    _refused(
        response,
        "activation_code",
        "This activation code has already been used.",
        code,
        device.serial_number,
    )
    assert not Plan.objects.filter(device=device).exists()


def test_a_device_activated_too_long_ago_is_refused_at_the_serial_field(
    customer_client, offering, mavic_2_pro
):
    device = DeviceFactory(
        model=mavic_2_pro, purchase_country="FR", activated_at=timezone.now() - timedelta(days=3)
    )
    code = card(offering)
    response = activate(customer_client, code, device.serial_number)
    _refused(
        response,
        "serial_number",
        "A plan can only be added to a device that is not activated yet, or that was activated "
        "less than 48 hours before the plan was bought.",
        code,
        device.serial_number,
    )
    assert not Plan.objects.exists()


def test_a_device_bought_in_another_region_is_refused_at_the_serial_field(
    customer_client, offering, mavic_2_pro
):
    swiss = DeviceFactory(model=mavic_2_pro, purchase_country="CH")
    code = card(offering, country="FR")
    response = activate(customer_client, code, swiss.serial_number)
    _refused(
        response,
        "serial_number",
        "The plan and the device must be bought in the same country or region.",
        code,
        swiss.serial_number,
    )
    assert not Plan.objects.exists()


def test_an_unknown_serial_number_is_refused_at_the_serial_field(customer_client, offering):
    code = card(offering)
    response = activate(customer_client, code, "NOSUCHSERIAL1")
    _refused(
        response,
        "serial_number",
        "We do not know a device with this serial number.",
        code,
        "NOSUCHSERIAL1",
    )


def test_a_device_with_a_plan_is_refused_at_the_serial_field(customer_client, plan, offering):
    code = card(offering)
    serial = plan.device.serial_number
    response = activate(customer_client, code, serial)
    assert "already has a plan" in response.context["form"].errors["serial_number"][0]


def test_a_device_in_another_account_is_refused_without_saying_whose(
    customer_client, other_customer, device, offering
):
    device.owner = other_customer
    device.save()
    code = card(offering)
    response = activate(customer_client, code, device.serial_number)
    _refused(
        response,
        "serial_number",
        "This product is already registered to another account. If it is yours, contact support.",
        code,
        device.serial_number,
    )
    content = response.content.decode()
    assert "bob@example.com" not in content
    assert "Bernard" not in content
    # Nothing was bound and the card can still be used.
    assert not Plan.objects.exists()
    device.refresh_from_db()
    assert device.owner == other_customer


def test_empty_fields_are_asked_for_without_counting_as_an_attempt(customer_client, customer):
    response = customer_client.post(URL, {"activation_code": "", "serial_number": ""})
    form = response.context["form"]
    assert set(form.errors) == {"activation_code", "serial_number"}
