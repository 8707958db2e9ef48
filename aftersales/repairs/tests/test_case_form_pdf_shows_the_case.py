"""The case form (guide, "Demande envoyée !"): an A4 PDF to print and put in the parcel, with
the case number, what the customer sent and why, both addresses and the guide's instructions,
in the language of the case."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.utils import timezone
from pypdf import PdfReader

from aftersales.catalog.tests.factories import ComponentFactory, ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind
from aftersales.plans.tests.factories import OfferingFactory
from aftersales.repairs.choices import (
    AbnormalCondition,
    AccidentCause,
    FlightEnvironment,
    Problem,
    Shipment,
)
from aftersales.repairs.pdf import _data_uris_only, case_form_html, case_form_pdf
from aftersales.repairs.tests.factories import SubmittedCaseFactory, address_snapshot

A4 = (595, 842)  # points


def text_of(pdf: bytes) -> str:
    """The PDF's text, whitespace collapsed (pypdf breaks lines where the layout does)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def case(customer):
    return SubmittedCaseFactory(
        user=customer,
        serial_number="163DG9R0012345",
        problems=[Problem.GIMBAL_CAMERA.value, Problem.BATTERY.value],
        description="The gimbal shakes and the picture is tilted.",
        component=ComponentFactory(
            code="gimbal-camera", name_en="Gimbal and camera", name_fr="Nacelle et caméra"
        ),
        return_address_snapshot=address_snapshot(
            full_name="Alice Durand", street="12 rue de la Paix", postcode="75002", city="Paris"
        ),
        submitted_at=timezone.make_aware(datetime(2026, 1, 15, 10, 0)),
    )


def test_the_form_is_an_a4_pdf_on_one_page_for_a_typical_case(case):
    pdf = case_form_pdf(case, "en")
    assert pdf.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    assert (round(pages[0].mediabox.width), round(pages[0].mediabox.height)) == A4


def test_the_form_names_the_case_the_product_the_problem_and_both_addresses(case):
    text = text_of(case_form_pdf(case, "en"))
    for expected in (
        "Repair request case form",
        "DJI",
        case.case_number,
        "Mavic 2 Pro",
        "163DG9R0012345",
        "Repair – DJI Care service",
        "Gimbal and camera malfunction",
        "Battery malfunction",
        "The gimbal shakes and the picture is tilted.",
        "Defective component: Gimbal and camera",
        # The repair centre, where the parcel goes.
        "DJI REPAIR DEPT",
        "Bijldorp-Oost 6",
        "2992LA Barendrecht",
        "Netherlands",
        # The return address as it was sent.
        "Alice Durand",
        "12 rue de la Paix",
        "75002 Paris",
        "France",
        "Submitted on Jan. 15, 2026",
        "Service plan None",
        "Not requested",  # the flight data analysis
    ):
        assert expected in text, expected


def test_the_form_carries_the_guides_instructions(case):
    text = text_of(case_form_pdf(case, "en"))
    assert "Print this document and put it in the parcel you send to DJI." in text
    assert (
        "the process will be delayed and the item may be sent back without being repaired" in text
    )
    assert "outside the European Union" in text
    assert "“Defective component – No commercial value” on the invoice" in text
    assert "send the invoice with your products" in text
    assert "return label, you will receive it within two business days" in text
    assert "50 EUR per hour" in text


def test_the_form_shows_the_plan_and_its_validity(customer):
    model = ProductModelFactory()
    device = DeviceFactory(model=model, owner=customer)
    plan = plan_bind(
        serial_number=device.serial_number,
        offering=OfferingFactory(product_models=[model]),
        purchase_country="FR",
        purchased_at=timezone.make_aware(datetime(2026, 1, 15, 10, 0)),
        channel=BindingChannel.STORE_WITH_DEVICE,
    )
    case = SubmittedCaseFactory(
        user=customer,
        device=device,
        serial_number=device.serial_number,
        product_model=model,
        has_plan=True,
        plan=plan,
        express_requested=True,
        express_serial_number=device.serial_number,
        shipment=Shipment.COMPLETE_SET,
    )
    text = text_of(case_form_pdf(case, "en"))
    assert "DJI Care Refresh (Mavic 2), valid from 01/15/2026 to 01/14/2027" in text
    assert f"Requested (aircraft serial number {device.serial_number})" in text
    assert "Complete product set" in text
    assert "Defective component:" not in text


def test_a_requested_data_analysis_is_shown_with_its_details(customer):
    case = SubmittedCaseFactory(
        user=customer,
        problems=[Problem.ACCIDENT_DAMAGE.value],
        accident_cause=AccidentCause.PRODUCT,
        data_analysis_requested=True,
        accident_date=date(2026, 1, 10),
        flight_environment=FlightEnvironment.SEASIDE,
        abnormal_condition=AbnormalCondition.FALL_WITHOUT_COLLISION,
        flight_account_email="pilot@example.com",
        flight_records_synced=True,
        video_url="https://drive.example.com/crash",
    )
    text = text_of(case_form_pdf(case, "en"))
    for expected in (
        "Accident damage",
        "Cause of the accident Product-related issue",
        "Date of the accident Jan. 10, 2026",
        "Seaside",
        "Fall without collision",
        "pilot@example.com",
        "drive.example.com",
    ):
        assert expected in text, expected
    assert "Not requested" not in text


def test_a_case_in_french_gets_a_french_form(case):
    case.language = "fr"
    case.save()
    html = case_form_html(case)  # the case's language by default
    assert '<html lang="fr">' in html
    text = text_of(case_form_pdf(case))
    assert "15 janvier 2026" in text  # Django's French date format
    assert "Pays-Bas" in text  # the centre's country, named in French
    assert case.case_number in text


def test_without_a_case_language_the_form_follows_the_customers_language(case, customer):
    customer.preferred_language = "fr"
    customer.save()
    case.language = ""
    case.save()
    assert '<html lang="fr">' in case_form_html(case)


def test_the_form_loads_nothing_from_outside(case):
    html = case_form_html(case, "en")
    assert "<link" not in html
    assert "@import" not in html
    assert 'src="http' not in html
    # The barcodes are inline; the renderer refuses anything that is not.
    assert html.count('src="data:image/svg+xml;base64,') == 2
    fetcher = _data_uris_only()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher("https://example.com/logo.png")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher("file:///etc/passwd")
    assert fetcher("data:text/plain;base64,b2s=").read() == b"ok"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_form_stays_on_one_sheet_whatever_was_typed(customer, language):
    """Issue 7, item 8: the printed form once spilled a line onto a second sheet. The longest
    answers the wizard accepts — every problem, a 2,000-character description, the analysis
    with a long video link, a plan with Express, a company address on two street lines — still
    print on one A4 sheet; the description is cut on paper, and says so."""
    model = ProductModelFactory()
    device = DeviceFactory(model=model, owner=customer)
    plan = plan_bind(
        serial_number=device.serial_number,
        offering=OfferingFactory(product_models=[model]),
        purchase_country="FR",
        purchased_at=timezone.make_aware(datetime(2026, 1, 15, 10, 0)),
        channel=BindingChannel.STORE_WITH_DEVICE,
    )
    description = ("Le drone est tombé dans le lac après une perte du signal vidéo. " * 40)[:2000]
    case = SubmittedCaseFactory(
        user=customer,
        language=language,
        device=device,
        serial_number=device.serial_number,
        product_model=model,
        has_plan=True,
        plan=plan,
        express_requested=True,
        express_serial_number=device.serial_number,
        problems=[problem.value for problem in Problem],
        accident_cause=AccidentCause.USER,
        description=description,
        data_analysis_requested=True,
        accident_date=date(2026, 1, 10),
        flight_environment=FlightEnvironment.SEASIDE,
        abnormal_condition=AbnormalCondition.BLACK_SCREEN,
        flight_account_email="pilote.professionnel.aerien@example.com",
        flight_records_synced=True,
        video_url="https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/"
        "view?usp=sharing&resourcekey=0-AbCdEfGhIjKlMnOpQrStUv",
        component=ComponentFactory(
            code="gimbal-camera", name_en="Gimbal and camera", name_fr="Nacelle et caméra"
        ),
        return_address_snapshot=address_snapshot(
            full_name="Claire Dubois-Lefèvre",
            company="Lefèvre Prises de Vue Aériennes SARL",
            street="12 rue de la Paix, bâtiment B",
            street2="3e étage, porte gauche",
            vat_number="FR40303265045",
            phone="+33 6 12 34 56 78",
        ),
    )

    pdf = case_form_pdf(case)

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = text_of(pdf)
    assert description[:200] in text
    assert description not in text
    assert "Claire Dubois-Lefèvre" in text and "3e étage, porte gauche" in text
