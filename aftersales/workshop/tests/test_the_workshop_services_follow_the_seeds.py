"""The workshop's services, each rule of the seeds at work: reception flags what differs,
evaluation decides coverage again from the findings (FAQ 3, 8), quotes offer what the evaluated
decision allows (FAQ 10), a plan replacement moves the plan to the new unit (FAQ 3, 10) or uses a
replacement for a covered part (FAQ 4, 5, 7), a warranty repair uses nothing (FAQ 8)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.devices.models import Device
from aftersales.plans.choices import PlanEventKind
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import Plan
from aftersales.repairs.choices import (
    EvaluatedCause,
    Liability,
    PaymentMethod,
    PaymentPurpose,
    QuoteLineKind,
    QuoteOption,
    ReceivedContents,
    RequestStatus,
    UnexpectedItem,
)
from aftersales.repairs.errors import CaseWorkError
from aftersales.repairs.models import Payment, Quote
from aftersales.repairs.services import quote_answer
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


def labour(hours: str = "1.5") -> list[services.QuoteLineInput]:
    return [
        services.QuoteLineInput(
            kind=QuoteLineKind.LABOUR,
            description="Labour",
            quantity=Decimal(hours),
            unit_price=Decimal("50.00"),
        )
    ]


# --- Reception -----------------------------------------------------------------------------------


def test_reception_flags_a_serial_number_that_differs_and_what_should_not_have_come(
    case, reception
):
    record = services.case_receive(
        case=case,
        by=reception,
        contents=ReceivedContents.COMPLETE_SET,
        serial_number_read="163c-fr0-other",
        unexpected_items=[UnexpectedItem.WORKING_BATTERY],
        note="Box crushed on one side.",
    )
    assert record.serial_mismatch and record.serial_number_read == "163CFR0OTHER"
    assert case.status == S.RECEIVED
    flags = case.events.get(kind="note", customer_visible=False).note
    assert "163CFR0OTHER" in flags and case.serial_number in flags
    assert "A battery that works normally" in flags
    assert "Box crushed" in flags


def test_reception_of_a_case_not_awaiting_a_parcel_is_refused(case, reception):
    services.case_receive(
        case=case,
        by=reception,
        contents=ReceivedContents.COMPLETE_SET,
        serial_number_read=case.serial_number,
    )
    with pytest.raises(CaseWorkError) as refused:
        services.case_receive(
            case=case,
            by=reception,
            contents=ReceivedContents.COMPLETE_SET,
            serial_number_read=case.serial_number,
        )
    assert refused.value.code == "case_moved"


# --- Evaluation: the coverage decision asked again -----------------------------------------------


def test_an_accident_the_user_is_liable_for_is_a_plan_replacement(case, people):
    walk_to(case, S.EVALUATING, **people)
    evaluation = services.case_evaluate(
        case=case,
        by=people["technician"],
        findings="Fell from 30 m.",
        damaged_components=[],
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,
        labour_hours=Decimal("2"),
    )
    assert evaluation.coverage["outcome"] == "plan_replacement"
    assert evaluation.coverage["evaluated"] is True
    assert evaluation.coverage["replacement_number"] == 1
    assert evaluation.coverage["fee"] == {"amount": "109.00", "currency": "EUR"}
    # The declaration is kept beside it.
    case.refresh_from_db()
    assert case.coverage == {} or case.coverage.get("evaluated") is None


def test_a_product_liable_for_the_accident_is_repaired_free_under_the_warranty(case, people):
    walk_to(case, S.EVALUATING, **people)
    evaluation = services.case_evaluate(
        case=case,
        by=people["technician"],
        findings="A motor failed in flight.",
        damaged_components=[],
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.PRODUCT,
        labour_hours=Decimal("2"),
    )
    assert evaluation.coverage["outcome"] == "warranty"
    with pytest.raises(CaseWorkError) as refused:
        services.quote_send(case=case, by=people["technician"], lines=labour())
    assert refused.value.code == "warranty_no_quote"


def test_an_express_case_is_evaluated_without_liability(case, people):
    case.express_requested = True
    case.save(update_fields=["express_requested"])
    walk_to(case, S.EVALUATING, **people)
    evaluation = services.case_evaluate(
        case=case,
        by=people["technician"],
        findings="Crashed.",
        damaged_components=[],
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,
        labour_hours=Decimal("1"),
    )
    assert evaluation.liability == Liability.NOT_ASSESSED


# --- Quotes and answers --------------------------------------------------------------------------


def test_a_quote_under_a_plan_offers_the_replacement_the_repair_and_refusing(case, people):
    walk_to(case, S.QUOTED, **people)
    quote = case.quotes.get()
    assert quote.subtotal == Decimal("75.00")
    assert quote.vat == Decimal("15.75") and quote.total == Decimal("90.75")
    assert quote.valid_until == timezone.localdate() + timedelta(days=30)
    options = {item["option"]: item for item in quote.options}
    assert options["plan_replacement"]["amount"] == "109.00"
    assert options["plan_replacement"]["replacement_number"] == 1
    assert options["repair"]["amount"] == "90.75"
    # Guide: 50 EUR per hour of evaluation.
    assert options["refuse"]["amount"] == "50.00"


def test_an_answer_to_a_revised_quote_is_refused_and_the_new_one_needs_its_answer(case, people):
    walk_to(case, S.QUOTED, **people)
    first = case.quotes.get()
    second = services.quote_send(case=case, by=people["technician"], lines=labour("3"))
    first.refresh_from_db()
    assert first.superseded_at is not None and second.version == 2
    with pytest.raises(CaseWorkError) as refused:
        quote_answer(case=case, quote_id=first.pk, option=QuoteOption.REPAIR, by=case.user)
    assert refused.value.code == "quote_not_current"
    quote_answer(case=case, quote_id=second.pk, option=QuoteOption.REPAIR, by=case.user)
    assert case.status == S.AWAITING_PAYMENT
    assert Payment.objects.get(request=case).amount == second.total


def test_a_quote_is_answered_once(case, people):
    walk_to(case, S.QUOTED, **people)
    quote = case.quotes.get()
    quote_answer(case=case, quote_id=quote.pk, option=QuoteOption.REFUSE, by=case.user)
    with pytest.raises(CaseWorkError) as refused:
        quote_answer(case=case, quote_id=quote.pk, option=QuoteOption.REPAIR, by=case.user)
    assert refused.value.code == "quote_answered"
    assert case.status == S.RETURNING_UNREPAIRED


def test_an_expired_quote_cannot_be_answered(case, people):
    walk_to(case, S.QUOTED, **people)
    Quote.objects.filter(request=case).update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(CaseWorkError) as refused:
        quote_answer(
            case=case,
            quote_id=case.quotes.get().pk,
            option=QuoteOption.REPAIR,
            by=case.user,
        )
    assert refused.value.code == "quote_expired"
    case.refresh_from_db()
    assert case.status == S.QUOTED


def test_another_customer_cannot_answer(case, people, other_customer):
    walk_to(case, S.QUOTED, **people)
    with pytest.raises(case.DoesNotExist):
        quote_answer(
            case=case,
            quote_id=case.quotes.get().pk,
            option=QuoteOption.REPAIR,
            by=other_customer,
        )


def test_a_payment_recorded_twice_is_recorded_once_and_starts_the_work(case, people):
    walk_to(case, S.AWAITING_PAYMENT, **people)
    payment = case.payments.get()
    assert payment.purpose == PaymentPurpose.PLAN_FEE
    services.payment_record(
        case=case, payment=payment, by=people["agent"], method=PaymentMethod.COUNTER
    )
    again = services.payment_record(
        case=case, payment=payment, by=people["agent"], method=PaymentMethod.CARD
    )
    assert again.method == PaymentMethod.COUNTER
    assert case.status == S.REPLACING
    # One step for the customer: the move that the payment started says it was received.
    (received,) = case.events.filter(note__startswith="Nous avons bien reçu votre paiement")
    assert (received.kind, received.status, received.customer_visible) == (
        "status",
        S.REPLACING,
        True,
    )


def test_refusing_the_quote_sends_the_unit_back_once_the_evaluation_fee_is_paid(case, people):
    walk_to(case, S.RETURNING_UNREPAIRED, answer=QuoteOption.REFUSE, **people)
    with pytest.raises(CaseWorkError):
        services.case_return_ready(case=case, by=people["reception"])
    fee = case.payments.get(purpose=PaymentPurpose.EVALUATION_FEE)
    services.payment_record(
        case=case, payment=fee, by=people["agent"], method=PaymentMethod.BANK_TRANSFER
    )
    services.case_return_ready(case=case, by=people["reception"])
    assert case.status == S.READY_TO_SHIP


# --- Plan replacement ----------------------------------------------------------------------------


def test_a_whole_unit_replacement_moves_the_plan_and_my_products_to_the_new_unit(
    case, people, spare, plan, unit
):
    walk_to(case, S.REPLACING, **people)
    replacement = services.case_replace_unit(
        case=case, by=people["technician"], new_serial_number=spare.serial_number.lower()
    )
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.device_id == spare.pk and plan.replacements_left == 1
    assert replacement.replacement_number == 1 and replacement.fee_amount == Decimal("109.00")
    grant = plan.events.replacements().get()
    assert grant.case_number == case.case_number
    assert set(Device.objects.filter(owner=case.user).values_list("pk", flat=True)) == {spare.pk}
    services.case_replacement_done(case=case, by=people["technician"])
    assert case.status == S.QUALITY_CHECK


@pytest.mark.parametrize("which", ["unknown", "other_model", "in_an_account"])
def test_a_replacement_unit_that_cannot_be_is_refused(
    case, people, which, other_model_unit, spare, other_customer
):
    walk_to(case, S.REPLACING, **people)
    serial = {
        "unknown": "163CNOSUCHUNIT",
        "other_model": other_model_unit.serial_number,
        "in_an_account": spare.serial_number,
    }[which]
    if which == "in_an_account":
        spare.owner = other_customer
        spare.save(update_fields=["owner"])
    with pytest.raises(CaseWorkError) as refused:
        services.case_replace_unit(case=case, by=people["technician"], new_serial_number=serial)
    assert refused.value.code == "replacement_unit"
    assert not case.replacements.exists()


def test_a_gimbal_replaced_under_the_plan_uses_a_replacement_and_its_fee(
    case, people, gimbal, plan, mavic
):
    walk_to(case, S.REPLACING, **people)
    replacement = services.case_replace_component(
        case=case,
        by=people["technician"],
        component=gimbal,
        new_serial_number="1V3CNEWGIMBAL1",
        part_model=mavic,
    )
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.replacements_used == 1 and plan.device_id == case.device_id
    event = plan.events.replacements().get()
    assert event.component == gimbal and event.new_serial_number == "1V3CNEWGIMBAL1"
    assert replacement.fee_amount == Decimal("109.00")


def test_a_gimbal_of_another_model_is_refused(case, people, gimbal):
    walk_to(case, S.REPLACING, **people)
    with pytest.raises(PlanRuleError) as refused:
        services.case_replace_component(
            case=case,
            by=people["technician"],
            component=gimbal,
            new_serial_number="1V3DZOOMGIMBAL",
            part_model=ProductModelFactory(code="mavic-2-zoom", name="Mavic 2 Zoom"),
        )
    assert refused.value.code == "gimbal_model_mismatch"
    assert Plan.objects.get(pk=case.plan_id).replacements_used == 0


# --- Warranty ------------------------------------------------------------------------------------


def test_a_warranty_repair_is_in_the_ledger_and_uses_no_replacement(case, people, plan):
    walk_to(case, S.EVALUATING, **people)
    services.case_evaluate(
        case=case,
        by=people["technician"],
        findings="Faulty IMU.",
        damaged_components=[],
        cause=EvaluatedCause.MANUFACTURING_DEFECT,
        liability=Liability.PRODUCT,
        labour_hours=Decimal("1"),
    )
    services.case_warranty_repair_start(case=case, by=people["technician"])
    assert case.status == S.REPAIRING
    services.case_repair_done(case=case, by=people["technician"])
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.replacements_used == 0 and plan.replacements_left == 2
    assert (
        plan.events.filter(kind=PlanEventKind.WARRANTY_REPAIR, case_number=case.case_number).count()
        == 1
    )


# --- Shipping back -------------------------------------------------------------------------------


def test_shipping_records_the_tracking_number_and_closing_ends_the_case(case, people, spare):
    walk_to(case, S.REPLACING, **people)
    services.case_replace_unit(
        case=case, by=people["technician"], new_serial_number=spare.serial_number
    )
    services.case_replacement_done(case=case, by=people["technician"])
    services.case_quality_check(case=case, by=people["technician"], passed=True)
    with pytest.raises(CaseWorkError):
        services.case_close(case=case, by=people["agent"], expected_status=S.READY_TO_SHIP)
    shipment = services.case_ship(
        case=case, by=people["reception"], carrier="UPS", tracking_number="1z999aa10123456784"
    )
    assert shipment.tracking_number == "1Z999AA10123456784"
    services.case_close(case=case, by=people["agent"])
    assert case.status == S.CLOSED


def test_wear_and_tear_is_neither_the_warranty_nor_the_plan(case, people):
    walk_to(case, S.EVALUATING, **people)
    evaluation = services.case_evaluate(
        case=case,
        by=people["technician"],
        findings="Motors worn out after 600 hours.",
        damaged_components=[],
        cause=EvaluatedCause.WEAR,
        liability=Liability.USER,
        labour_hours=Decimal("2"),
    )
    assert evaluation.coverage["outcome"] == "not_covered"
    assert "cause_not_covered" in [reason["code"] for reason in evaluation.coverage["reasons"]]
    quote = services.quote_send(case=case, by=people["technician"], lines=labour())
    assert [item["option"] for item in quote.options] == ["repair", "refuse"]
