"""Issue 8, item 3: until a technician has evaluated the product, every coverage wording the
customer reads — the case page, the confirmation page and e-mail — says what is likely,
"confirmed after evaluation", never a promise ("covered by the warranty: the repair is free").
Once evaluated, the case page says what was found, in the reader's language. The printed case
form and the progress query say nothing of who pays."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs import coverage
from aftersales.repairs.choices import EvaluatedCause, Liability, Problem, RequestStatus
from aftersales.repairs.pdf import case_form_pdf
from aftersales.repairs.tasks import send_case_confirmation
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus

# What the declaration suggests, per outcome (English, then French).
PROVISIONAL = {
    "warranty": (
        "Likely covered by the warranty, confirmed after evaluation.",
        "Probablement couvert par la garantie, à confirmer après l'évaluation.",
    ),
    "plan_replacement": (
        "Likely a replacement under your plan (replacement 1 of 2, fee 109.00 EUR), confirmed "
        "after evaluation.",
        "Probablement un remplacement au titre de votre forfait (remplacement 1 sur 2, frais "
        "de 109,00 EUR), à confirmer après l'évaluation.",
    ),
    "not_covered": (
        "Likely a paid repair, quoted after evaluation.",
        "Probablement une réparation payante, chiffrée par un devis après l'évaluation.",
    ),
}
# Promises that only an evaluation may make.
PROMISES = [
    "Covered by the warranty",
    "Covered by the plan",
    "the repair is free",
    "Accidental damage is covered by your plan.",
    "Your plan covers a replacement",
    "Couvert par la garantie",
    "la réparation est gratuite",
    "Les dégâts accidentels sont couverts par votre forfait.",
    "Votre forfait couvre un remplacement",
]


@pytest.fixture(params=["warranty", "plan_replacement", "not_covered"])
def outcome(request) -> str:
    return request.param


@pytest.fixture
def declared(case, outcome, customer, mavic):
    """Alice's case with the decision the submission records for what she declared."""
    if outcome == "warranty":
        case.problems = [Problem.GIMBAL_CAMERA.value]  # a defect, under the ordinary warranty
    elif outcome == "not_covered":
        bare = DeviceFactory(model=mavic, owner=customer, activated_at=timezone.now())
        case.device, case.serial_number, case.plan = bare, bare.serial_number, None
    case.coverage = coverage.coverage_snapshot(case)
    case.save()
    assert case.coverage["outcome"] == outcome
    return case


@pytest.fixture
def reader(client, customer):
    client.force_login(customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def no_promise(text: str) -> None:
    for promise in PROMISES:
        assert promise not in text, promise


def test_the_case_page_is_provisional_before_the_evaluation(reader, declared, outcome):
    html = reader.get(reverse("repairs:case", args=[declared.case_number])).content.decode()

    section = html[html.index('id="coverage"') :]
    assert PROVISIONAL[outcome][0] in section.replace("&#x27;", "'")
    assert "It is not a promise" in section
    no_promise(html)


def test_the_confirmation_page_is_provisional(reader, declared, outcome):
    html = reader.get(reverse("repairs:confirmation", args=[declared.case_number])).content
    html = html.decode()

    assert PROVISIONAL[outcome][0] in html.replace("&#x27;", "'")
    no_promise(html)


def test_the_confirmation_e_mail_is_provisional_in_the_customers_language(declared, outcome):
    send_case_confirmation.call(request_id=declared.pk)

    (message,) = mail.outbox
    assert PROVISIONAL[outcome][1] in message.body
    assert PROVISIONAL[outcome][1] in message.alternatives[0][0].replace("&#x27;", "'")  # type: ignore[index]
    no_promise(message.body)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_case_form_makes_no_promise(declared, language):
    """The printed form travels with the parcel to the workshop, which decides: it names the
    plan and its validity, and says nothing of who pays (a line more would not fit on the one
    sheet of the longest case)."""
    text = text_of(case_form_pdf(declared, language))

    no_promise(text)
    assert "Likely" not in text and "Probablement" not in text


def test_the_progress_query_tells_no_coverage(client, declared, customer):
    html = client.post(
        reverse("repairs:progress"),
        {"case_number": declared.case_number, "email": customer.email},
    ).content.decode()

    assert "Submitted: waiting for your parcel" in html
    assert "Likely" not in html and "warranty" not in html.lower()
    no_promise(html)


# --- Once a technician has evaluated the product -------------------------------------------------


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


def evaluate(case, technician, cause: str, liability: str) -> None:
    services.case_evaluate(
        case=case,
        by=technician,
        findings="Arms broken, gimbal cracked.",
        damaged_components=[],
        cause=cause,
        liability=liability,
        labour_hours=Decimal("1.5"),
    )


def test_after_the_evaluation_the_case_page_says_what_was_found_in_the_readers_language(
    customer_client, case, people
):
    case.coverage = coverage.coverage_snapshot(case)
    case.save(update_fields=["coverage"])
    walk_to(case, S.EVALUATING, **people)
    evaluate(case, people["technician"], EvaluatedCause.ACCIDENT, Liability.USER)

    html = customer_client.get(reverse("repairs:case", args=[case.case_number])).content
    html = html.decode()

    section = html[html.index('id="coverage"') :]
    assert (
        "Après évaluation : votre forfait couvre un remplacement (remplacement 1 sur 2, frais "
        "de 109,00 EUR)." in section
    )
    assert "Les dégâts accidentels sont couverts par votre forfait." in section
    assert "Cause constatée par le technicien : Accident." in section
    assert "Probablement" not in section


def test_an_evaluation_that_finds_a_defect_overrides_the_declaration(reader, case, people):
    """Declared an accident (a plan replacement likely); the technician found the product at
    fault: the warranty repairs it free (FAQ 8)."""
    case.coverage = coverage.coverage_snapshot(case)
    case.save(update_fields=["coverage"])
    walk_to(case, S.EVALUATING, **people)
    evaluate(case, people["technician"], EvaluatedCause.ACCIDENT, Liability.PRODUCT)

    html = reader.get(reverse("repairs:case", args=[case.case_number])).content.decode()

    assert (
        "As evaluated: covered by the warranty. The repair is free and uses none of your "
        "plan&#x27;s replacements." in html
    )
    assert "Likely a replacement under your plan" not in html
