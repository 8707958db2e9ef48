"""The staff case page, action by action, through real requests: each panel posts to its own URL
with the status the page showed, calls its workshop service, and comes back to the case page
with what happened; the panels shown are those the user's role may use now."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.devices.models import Device
from aftersales.plans.models import Plan
from aftersales.repairs.choices import (
    AttachmentKind,
    EvaluatedCause,
    Liability,
    PaymentPurpose,
    QuoteOption,
    RequestStatus,
)
from aftersales.repairs.models import CaseEvent, QuoteAnswer
from aftersales.repairs.services import quote_answer
from aftersales.repairs.tests.sample_files import jpeg, png
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


def act(client, case, action: str, **data):
    data.setdefault("expected_status", case.status)
    return client.post(reverse("workshop:action", args=[case.case_number, action]), data)


def panels(response) -> list[str]:
    return re.findall(
        r'<section class="panel action-panel[^"]*" id="action-([a-z-]+)"', response.text
    )


def test_reception_registers_the_parcel_with_its_photos_and_flags(client, case, reception):
    client.force_login(reception)
    page = client.get(reverse("workshop:receive", args=[case.case_number]))
    assert page.status_code == 200
    assert panels(page)[0] == "receive"
    assert 'id="receive-serial_number_read"' in page.text and "autofocus" in page.text

    response = client.post(
        reverse("workshop:receive", args=[case.case_number]),
        {
            "expected_status": S.SUBMITTED,
            "serial_number_read": "163c fr0 other",
            "contents": "component",
            "unexpected_items": ["working_battery"],
            "note": "Box crushed.",
            "photos": [
                SimpleUploadedFile("box.jpg", jpeg(), "image/jpeg"),
                SimpleUploadedFile("unit.png", png(), "image/png"),
            ],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.RECEIVED
    assert case.reception.serial_number_read == "163CFR0OTHER" and case.reception.serial_mismatch
    assert case.attachments.filter(kind=AttachmentKind.PARCEL_PHOTO).count() == 2
    page = client.get(response.url)
    assert "The parcel is registered" in page.text
    assert 'id="flag-serial"' in page.text and "163CFR0OTHER" in page.text
    assert "A battery that works normally" in page.text
    assert "box.jpg" in page.text and "unit.png" in page.text
    # Reception has nothing else to do with it now but a hold or a note.
    assert panels(page) == ["hold", "note"]


def test_a_photo_that_is_not_a_picture_is_refused_at_its_field_and_the_rest_is_kept(
    client, case, reception
):
    client.force_login(reception)
    response = client.post(
        reverse("workshop:receive", args=[case.case_number]),
        {
            "expected_status": S.SUBMITTED,
            "serial_number_read": case.serial_number,
            "contents": "complete_set",
            "note": "Scratched lid.",
            "photos": [SimpleUploadedFile("unit.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
        },
    )
    assert response.status_code == 422
    assert "is not a PNG or JPG picture" in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Scratched lid." in response.text and f'value="{case.serial_number}"' in response.text
    case.refresh_from_db()
    assert case.status == S.SUBMITTED and not hasattr(case, "reception")


def test_a_technician_evaluates_and_quotes_the_accident_under_the_plan(client, case, people):
    walk_to(case, S.RECEIVED, **people)
    client.force_login(people["technician"])
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert panels(page)[0] == "evaluation-start"
    assert act(client, case, "evaluation-start").status_code == 302
    case.refresh_from_db()
    assert case.status == S.EVALUATING

    gimbal_id = case.product_model.components.get(code="gimbal-camera").pk
    response = act(
        client,
        case,
        "evaluate",
        findings="Arms broken, gimbal cracked.",
        damaged_components=[gimbal_id],
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,
        labour_hours="1,5",  # typed as in French is accepted too
        evaluation_hours="1",
    )
    assert response.status_code == 302, response.content
    evaluation = case.evaluations.get()
    assert evaluation.labour_hours == Decimal("1.5")
    assert evaluation.coverage["outcome"] == "plan_replacement"

    page = client.get(reverse("workshop:case", args=[case.case_number]))
    # Evaluated: the quote comes first (the keyboard in its first price), evaluating again after.
    assert panels(page)[:2] == ["quote", "evaluate"]
    # The quote starts from the evaluation: the gimbal to price, the labour at the centre's rate;
    # the options the customer will get are shown before sending.
    assert 'value="Gimbal and camera"' in page.text and 'value="Labour"' in page.text
    preview = page.text.split('id="quote-preview"')[1]
    assert "Use a replacement of my plan for its fee" in preview and "109.00 EUR" in preview
    assert "Refuse the repair and pay the evaluation fee" in preview and "50.00 EUR" in preview

    lines = {
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "2",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "40",
        "lines-0-kind": "part",
        "lines-0-component": str(gimbal_id),
        "lines-0-description": "Gimbal and camera",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "120.00",
        "lines-1-kind": "labour",
        "lines-1-description": "Labour",
        "lines-1-quantity": "1.50",
        "lines-1-unit_price": "50.00",
    }
    # "Update the totals" shows them and sends nothing.
    review = act(client, case, "quote", preview="1", message="Voici le devis.", **lines)
    assert review.status_code == 200
    assert "235.95 EUR" in review.text.split('id="quote-preview"')[1]  # (120 + 75) × 1.21
    assert not case.quotes.exists()
    # "More lines" gives three more rows, with everything typed kept.
    more = act(client, case, "quote", more_lines="1", message="Voici le devis.", **lines)
    assert 'id="quote-lines-6-description"' in more.text and 'value="120.00"' in more.text

    # A suggested line removed, and one added in a blank row.
    response = act(
        client,
        case,
        "quote",
        message="Voici le devis.",
        **{
            **lines,
            "lines-1-DELETE": "on",
            "lines-2-kind": "labour",
            "lines-2-description": "Calibration",
            "lines-2-quantity": "1",
            "lines-2-unit_price": "30.00",
        },
    )
    assert response.status_code == 302, response.content
    quote = case.quotes.get()
    assert [line.description for line in quote.lines.all()] == ["Gimbal and camera", "Calibration"]
    assert quote.total == Decimal("181.50")
    case.refresh_from_db()
    assert case.status == S.QUOTED


def test_a_quote_with_no_line_is_refused_with_the_message_kept(client, case, people):
    walk_to(case, S.EVALUATING, **people)
    client.force_login(people["technician"])
    act(
        client,
        case,
        "evaluate",
        findings="Cracked.",
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,
        labour_hours="1",
        evaluation_hours="1",
    )
    response = act(
        client,
        case,
        "quote",
        message="Un mot pour le client.",
        **{
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "40",
        },
    )
    assert response.status_code == 422
    assert "A quote needs at least one line." in response.text
    assert "Un mot pour le client." in response.text
    assert not case.quotes.exists()


def test_an_agent_records_the_plan_fee_and_the_replacement_follows(
    client, case, people, spare, plan
):
    walk_to(case, S.AWAITING_PAYMENT, **people)
    payment = case.payments.get()
    assert payment.purpose == PaymentPurpose.PLAN_FEE
    client.force_login(people["agent"])
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert f'id="payment-{payment.pk}"' in page.text
    assert 'value="109.00"' in page.text  # the amount due, prefilled

    url = reverse("workshop:payment", args=[case.case_number, payment.pk])
    wrong = client.post(
        url,
        {"expected_status": case.status, "amount": "100.00", "method": "card", "reference": "R1"},
    )
    assert wrong.status_code == 422 and "The amount due is 109.00 EUR." in wrong.text
    assert 'value="R1"' in wrong.text
    response = client.post(
        url,
        {"expected_status": case.status, "amount": "109.00", "method": "card", "reference": "R1"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.REPLACING

    # The technician replaces the unit: refused at the field first (another model), kept typed.
    client.force_login(people["technician"])
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert panels(page)[:3] == ["part", "replace-unit", "replace-component"]
    refused = act(client, case, "replace-unit", new_serial_number="NOSUCHUNIT42", note="Stock A3")
    assert refused.status_code == 422
    assert "No unit with this serial number is registered." in refused.text
    assert 'value="NOSUCHUNIT42"' in refused.text and 'value="Stock A3"' in refused.text
    response = act(client, case, "replace-unit", new_serial_number=spare.serial_number.lower())
    assert response.status_code == 302, response.content
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.device_id == spare.pk and plan.replacements_left == 1
    assert Device.objects.get(pk=spare.pk).owner_id == case.user_id

    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert "replacement-done" in panels(page) and "replace-unit" not in panels(page)
    assert act(client, case, "replacement-done").status_code == 302
    case.refresh_from_db()
    assert case.status == S.QUALITY_CHECK
    assert act(client, case, "quality-check", result="passed", note="").status_code == 302
    case.refresh_from_db()
    assert case.status == S.READY_TO_SHIP

    # Reception ships it back: the tracking number is checked for a plausible format.
    client.force_login(people["reception"])
    bad = act(client, case, "ship", carrier="UPS", tracking_number="1Z12")
    assert bad.status_code == 422 and "is not a UPS tracking number" in bad.text
    assert (
        act(
            client, case, "ship", carrier="UPS", tracking_number="1z 999 aa1 0123456784"
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == S.SHIPPED and case.return_shipment.tracking_number == "1Z999AA10123456784"

    client.force_login(people["agent"])
    assert act(client, case, "close").status_code == 302
    case.refresh_from_db()
    assert case.status == S.CLOSED


def test_a_gimbal_of_another_model_is_refused_at_the_model_field(
    client, case, people, gimbal, other_model_unit
):
    walk_to(case, S.REPLACING, **people)
    client.force_login(people["technician"])
    response = act(
        client,
        case,
        "replace-component",
        component=gimbal.pk,
        new_serial_number="1V3DZOOMGIMBAL",
        part_model=other_model_unit.model_id,
    )
    assert response.status_code == 422
    text = response.text.split('id="action-replace-component"')[1]
    assert "A gimbal is replaced only by a gimbal of the same model" in text
    assert 'value="1V3DZOOMGIMBAL"' in text
    assert not case.replacements.exists()


def test_a_warranty_repair_starts_without_a_quote_and_is_in_the_ledger(client, case, people, plan):
    walk_to(case, S.EVALUATING, **people)
    client.force_login(people["technician"])
    act(
        client,
        case,
        "evaluate",
        findings="IMU fault.",
        cause=EvaluatedCause.MANUFACTURING_DEFECT,
        liability=Liability.PRODUCT,
        labour_hours="1",
        evaluation_hours="1",
    )
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert "warranty-repair" in panels(page) and "quote" not in panels(page)
    assert act(client, case, "warranty-repair").status_code == 302
    case.refresh_from_db()
    assert case.status == S.REPAIRING
    part = case.product_model.components.get(code="battery")
    assert act(client, case, "part", component=part.pk, quantity="1").status_code == 302
    assert case.parts_used.get().component == part
    assert act(client, case, "repair-done", note="IMU replaced.").status_code == 302
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.replacements_left == 2
    assert plan.events.filter(kind="warranty_repair").count() == 1


def test_a_refused_quote_goes_back_once_the_evaluation_fee_is_recorded(client, case, people):
    walk_to(case, S.RETURNING_UNREPAIRED, answer=QuoteOption.REFUSE, **people)
    fee = case.payments.get(purpose=PaymentPurpose.EVALUATION_FEE)
    client.force_login(people["reception"])
    refused = act(client, case, "return-ready")
    assert (
        refused.status_code == 422 and "The evaluation fee has not been paid yet." in refused.text
    )
    client.force_login(people["agent"])
    client.post(
        reverse("workshop:payment", args=[case.case_number, fee.pk]),
        {"expected_status": case.status, "amount": "50.00", "method": "bank_transfer"},
    )
    client.force_login(people["reception"])
    assert act(client, case, "return-ready").status_code == 302
    case.refresh_from_db()
    assert case.status == S.READY_TO_SHIP


def test_hold_and_resume_come_back_to_the_same_step_and_notes_are_internal_or_public(
    client, case, people
):
    walk_to(case, S.EVALUATING, **people)
    client.force_login(people["technician"])
    assert act(client, case, "hold", reason="parts", note="Gimbal ordered.").status_code == 302
    case.refresh_from_db()
    assert case.status == S.ON_HOLD and case.held_from_status == S.EVALUATING
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert panels(page)[0] == "resume"
    assert act(client, case, "resume", note="").status_code == 302
    case.refresh_from_db()
    assert case.status == S.EVALUATING

    act(client, case, "note", text="Customer called.", public="")
    act(client, case, "note", text="Nous attendons la pièce.", public="on")
    notes = CaseEvent.objects.filter(
        request=case, kind="note", note__in=["Customer called.", "Nous attendons la pièce."]
    )
    assert {(n.note, n.customer_visible) for n in notes} == {
        ("Customer called.", False),
        ("Nous attendons la pièce.", True),
    }


def test_an_agent_cancels_a_quoted_case_and_the_unit_goes_back(client, case, people):
    walk_to(case, S.QUOTED, **people)
    client.force_login(people["agent"])
    response = act(client, case, "cancel", note="Le client a renoncé par téléphone.")
    assert response.status_code == 302, response.content
    case.refresh_from_db()
    assert case.status == S.RETURNING_UNREPAIRED
    assert not QuoteAnswer.objects.filter(quote__request=case).exists()


def test_the_customer_answer_is_on_the_staff_page(client, case, people):
    walk_to(case, S.QUOTED, **people)
    quote_answer(case=case, quote_id=case.quotes.get().pk, option=QuoteOption.REPAIR, by=case.user)
    client.force_login(people["agent"])
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    answer = page.text.split('class="quote-answer"')[1]
    assert "Pay the repair at the quoted price" in answer and "90.75 EUR" in answer


def test_an_express_case_is_evaluated_without_liability_and_never_replaced_after_a_parcel(
    client, case, people
):
    # An Express case ships its replacement first (see the Express test); one that reached
    # the bench all the same (staff moved it) is evaluated without liability, FAQ 3.
    case.express_requested = True
    case.save(update_fields=["express_requested"])
    walk_to(case, S.EVALUATING, **people)
    client.force_login(people["technician"])
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert 'id="evaluate-findings"' in page.text and 'name="liability"' not in page.text
    assert "Express (FAQ 3): liability is not assessed." in page.text
    response = act(
        client,
        case,
        "evaluate",
        findings="Crashed.",
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,  # a forged answer: FAQ 3, not assessed all the same
        labour_hours="1",
        evaluation_hours="1",
    )
    assert response.status_code == 302
    assert case.evaluations.get().liability == Liability.NOT_ASSESSED
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert "express-ship" not in panels(page)


def test_a_payment_recorded_twice_says_so_the_second_time(client, case, people):
    walk_to(case, S.AWAITING_PAYMENT, **people)
    payment = case.payments.get()
    client.force_login(people["agent"])
    url = reverse("workshop:payment", args=[case.case_number, payment.pk])
    data = {"expected_status": case.status, "amount": "109,00", "method": "counter"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert "This payment was already recorded." in again.text
    # Recorded once: one event says it was received (the move it started).
    assert case.events.filter(note__contains="paiement de 109,00 EUR").count() == 1


def test_a_quote_sent_is_revised_from_its_own_lines_and_needs_a_new_answer(client, case, people):
    walk_to(case, S.QUOTED, **people)
    client.force_login(people["technician"])
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert panels(page)[0] == "quote"
    panel = page.text.split('id="action-quote"')[1].split("</section>")[0]
    assert "Revise the quote" in panel and 'value="1.50"' in panel  # the current quote's line
    response = act(
        client,
        case,
        "quote",
        message="Prix revu.",
        **{
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "40",
            "lines-0-kind": "labour",
            "lines-0-description": "Labour",
            "lines-0-quantity": "2",
            "lines-0-unit_price": "50",
        },
    )
    assert response.status_code == 302, response.content
    first, second = case.quotes.order_by("version")
    assert first.superseded_at is not None and second.version == 2
    assert second.total == Decimal("121.00")
    case.refresh_from_db()
    assert case.status == S.QUOTED
