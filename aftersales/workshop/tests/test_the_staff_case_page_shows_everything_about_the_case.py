"""The staff case page: everything the customer sent (answers and files), the reception record,
the evaluations (the latest and the earlier ones), the quotes and their answers, the payments,
the replacement and the shipment, the plan with its ledger, the coverage decision as declared and
as evaluated, the unit's other cases by every serial number it had, and the whole timeline with
who did what and the internal notes. Its queries do not grow with the case's history."""

from __future__ import annotations

import secrets
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.repairs.choices import (
    AttachmentKind,
    EvaluatedCause,
    Liability,
    PaymentMethod,
    QuoteOption,
    RequestStatus,
)
from aftersales.repairs.models import Attachment
from aftersales.repairs.services import quote_answer
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


def attach(case, kind: str, name: str) -> Attachment:
    return Attachment.objects.create(
        request=case,
        kind=kind,
        token=secrets.token_hex(16),
        file=ContentFile(b"data", name=name),
        extension="." + name.rsplit(".", 1)[1],
        original_name=name,
        content_type="application/octet-stream",
        size=4,
        sha256="0" * 64,
    )


def section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"')[1].split("<section")[0]


def test_everything_about_a_replaced_unit_is_on_one_page(
    client, case, people, spare, unit, plan, analyst
):
    earlier = SubmittedCaseFactory(
        user=case.user, serial_number=unit.serial_number, status=S.CLOSED
    )
    attach(case, AttachmentKind.INVOICE, "facture.pdf")
    attach(case, AttachmentKind.FLIGHT_LOG, "vol.ulg")
    case.description = "Tombé dans un arbre."
    case.save(update_fields=["description"])
    walk_to(case, S.EVALUATING, **people)
    services.case_evaluate(
        case=case,
        by=people["technician"],
        findings="First look: scratches.",
        damaged_components=[],
        cause=EvaluatedCause.WEAR,
        liability=Liability.UNDETERMINED,
        labour_hours=Decimal("0.5"),
    )
    # Evaluated again, then quoted, answered and paid as walk_to does.
    services.case_evaluate(
        case=case,
        by=people["technician"],
        findings="Arms broken, gimbal cracked.",
        damaged_components=[case.product_model.components.get(code="gimbal-camera")],
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,
        labour_hours=Decimal("1.5"),
    )
    quote = services.quote_send(
        case=case,
        by=people["technician"],
        lines=[
            services.QuoteLineInput(
                kind="labour", description="Labour", quantity=Decimal("1.5"), unit_price=Decimal(50)
            )
        ],
    )
    quote_answer(case=case, quote_id=quote.pk, option=QuoteOption.PLAN_REPLACEMENT, by=case.user)
    services.payment_record(
        case=case,
        payment=case.payments.get(),
        by=people["agent"],
        method=PaymentMethod.BANK_TRANSFER,
        reference="X1",
    )
    services.case_note(case=case, by=people["technician"], text="Spare taken from shelf B2.")
    services.case_replace_unit(
        case=case, by=people["technician"], new_serial_number=spare.serial_number
    )
    later = SubmittedCaseFactory(user=case.user, serial_number=spare.serial_number, device=spare)

    client.force_login(analyst)
    page = client.get(reverse("workshop:case", args=[case.case_number])).text

    request = section(page, "request")
    assert "Tombé dans un arbre." in request and "Accident damage" in request
    assert "facture.pdf" in request and "vol.ulg" in request
    assert "Alice Durand" in request  # the return address as sent
    assert case.serial_number in section(page, "reception")
    evaluation = section(page, "evaluation")
    assert "Arms broken, gimbal cracked." in evaluation.split("Earlier evaluations")[0]
    assert "First look: scratches." in evaluation.split("Earlier evaluations")[1]
    assert "Gimbal and camera" not in evaluation.split("Earlier evaluations")[1]
    quotes = section(page, "quotes")
    assert "Quote, version 1" in quotes and "Use a replacement of my plan for its fee" in quotes
    assert "Alice" in quotes.split('class="quote-answer"')[1]  # who answered
    payments = section(page, "payments")
    assert "Plan replacement fee" in payments and "109.00 EUR" in payments and "X1" in payments
    work = section(page, "work")
    assert unit.serial_number in work and spare.serial_number in work
    assert "replacement 1 of 2" in work
    declared, evaluated = section(page, "coverage").split('id="coverage-evaluated"')
    assert "As declared" in declared and "As evaluated" in evaluated
    # Declared: an accident, no liability known; evaluated: the user's, under the plan (1/2).
    assert "Covered by the plan" in evaluated and "replacement 1/2" in evaluated
    assert "service fee: 109.00 EUR" in evaluated
    plan_part = section(page, "plan")
    assert 'id="plan-replacements-left">1 of 2' in plan_part
    assert unit.serial_number in plan_part and spare.serial_number in plan_part
    assert case.case_number in plan_part.split('id="plan-ledger"')[1]
    history = section(page, "device-history")
    assert earlier.case_number in history and later.case_number in history
    assert case.case_number not in history
    timeline = section(page, "timeline")
    assert "Spare taken from shelf B2." in timeline and "internal" in timeline
    assert "Reception" in timeline and "Technician" in timeline  # who did what (their names)
    assert "Parcel received at the workshop" in timeline


def test_the_case_page_takes_the_same_queries_whatever_the_case_holds(
    client, case, people, administrator, spare
):
    client.force_login(administrator)
    url = reverse("workshop:case", args=[case.case_number])
    with CaptureQueriesContext(connection) as fresh:
        assert client.get(url).status_code == 200

    walk_to(case, S.REPLACING, **people)
    for n in range(10):
        services.case_note(case=case, by=people["agent"], text=f"Note {n}")
        attach(case, AttachmentKind.FLIGHT_LOG, f"log{n}.ulg")
    services.quote_send(
        case=case,
        by=people["technician"],
        lines=[
            services.QuoteLineInput(
                kind="labour", description="Labour", quantity=Decimal(1), unit_price=Decimal(9)
            )
        ],
    ) if case.status == S.QUOTED else None
    part = case.product_model.components.first()
    for _ in range(5):
        services.part_use_record(case=case, by=people["technician"], component=part)
    services.case_replace_unit(
        case=case, by=people["technician"], new_serial_number=spare.serial_number
    )
    with CaptureQueriesContext(connection) as full:
        assert client.get(url).status_code == 200
    # A case in "replacing" shows more panels (their forms read the catalogue) and a plan: a
    # fixed number more, never one per event, file, part or quote line.
    assert len(full) <= len(fresh) + 8, [q["sql"] for q in full.captured_queries]
    print(f"case page: {len(fresh)} queries submitted, {len(full)} replaced")
