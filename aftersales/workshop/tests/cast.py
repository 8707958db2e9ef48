"""The workshop tests' cast: Alice's Mavic 2 Pro under a DJI Care Refresh plan (two
replacements, 109 then 149 EUR), her case about it as submitted (accident damage, French), a spare
Mavic 2 Pro in the centre's stock and one of another model; and a helper that walks a case
through the workshop's services to any status.

Import the fixtures into a test module with `from aftersales.workshop.tests.cast import *`.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aftersales.catalog.tests.factories import ComponentFactory, ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind
from aftersales.plans.tests.factories import OfferingFactory
from aftersales.repairs.choices import (
    EvaluatedCause,
    Liability,
    PaymentMethod,
    Problem,
    QuoteLineKind,
    QuoteOption,
    ReceivedContents,
    RequestStatus,
    Shipment,
)
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.services import quote_answer
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import services

__all__ = [
    "aircraft",
    "battery",
    "case",
    "evaluated",
    "gimbal",
    "mavic",
    "offering",
    "other_model_unit",
    "plan",
    "quoted",
    "ready_to_ship",
    "spare",
    "unit",
    "walk_to",
]


@pytest.fixture
def aircraft(db):
    return ComponentFactory(code="aircraft", name_en="Aircraft", name_fr="Drone", position=10)


@pytest.fixture
def gimbal(db):
    return ComponentFactory(
        code="gimbal-camera",
        name_en="Gimbal and camera",
        name_fr="Nacelle et caméra",
        has_serial_number=True,
        position=20,
    )


@pytest.fixture
def battery(db):
    return ComponentFactory(code="battery", name_en="Battery", name_fr="Batterie", position=30)


@pytest.fixture
def mavic(aircraft, gimbal, battery):
    model = ProductModelFactory()  # Mavic 2 Pro
    model.components.set([aircraft, gimbal, battery])
    return model


@pytest.fixture
def offering(mavic, aircraft, gimbal, battery):
    """DJI Care Refresh (Mavic 2): 109 then 149 EUR, sold in the EU (FAQ 7: aircraft, gimbal,
    battery)."""
    offering = OfferingFactory(product_models=[mavic])
    offering.components.set([aircraft, gimbal, battery])
    return offering


@pytest.fixture
def unit(customer, mavic):
    """Alice's Mavic 2 Pro, activated a month ago, in her account."""
    return DeviceFactory(
        model=mavic,
        owner=customer,
        added_to_account_at=timezone.now(),
        activated_at=timezone.now() - timedelta(days=30),
    )


@pytest.fixture
def plan(unit, offering):
    return plan_bind(
        serial_number=unit.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=unit.activated_at,
        channel=BindingChannel.STORE_WITH_DEVICE,
    )


@pytest.fixture
def case(customer, unit, mavic, plan):
    """Alice's case about her Mavic, as the submission leaves it: an accident, in French."""
    customer.preferred_language = "fr"
    customer.save(update_fields=["preferred_language"])
    return SubmittedCaseFactory(
        user=customer,
        device=unit,
        serial_number=unit.serial_number,
        product_model=mavic,
        has_plan=True,
        plan=plan,
        problems=[Problem.ACCIDENT_DAMAGE.value],
        shipment=Shipment.COMPLETE_SET,
        language="fr",
    )


@pytest.fixture
def spare(mavic):
    """A new Mavic 2 Pro in the repair centre's stock: in no account, never under a plan."""
    return DeviceFactory(model=mavic, purchase_country="NL")


@pytest.fixture
def other_model_unit(db):
    return DeviceFactory(model=ProductModelFactory(code="spark", name="Spark"))


def walk_to(
    case: RepairRequest,
    status: str,
    *,
    reception: Any,
    technician: Any,
    agent: Any,
    cause: str = EvaluatedCause.ACCIDENT,
    liability: str = Liability.USER,
    answer: str = QuoteOption.PLAN_REPLACEMENT,
) -> RepairRequest:
    """Takes `case` from submitted to `status` through the real services, as the workshop and
    the customer would (accident under a plan by default: quote, plan replacement chosen)."""
    S = RequestStatus
    steps = [
        (S.RECEIVED, lambda: services.case_receive(
            case=case, by=reception, contents=ReceivedContents.COMPLETE_SET,
            serial_number_read=case.serial_number,
        )),
        (S.EVALUATING, lambda: services.case_evaluation_start(case=case, by=technician)),
    ]  # fmt: skip

    for _target, step in steps:
        if case.status == status:
            return case
        step()
    if case.status == status:
        return case
    evaluated(case, technician, cause=cause, liability=liability)
    if case.status == status:
        return case
    quote = quoted(case, technician)
    if status == S.QUOTED:
        return case
    quote_answer(case=case, quote_id=quote.pk, option=answer, by=case.user)
    if case.status == status:
        return case
    payment = case.payments.get(paid_at__isnull=True)
    services.payment_record(
        case=case, payment=payment, by=agent, method=PaymentMethod.BANK_TRANSFER, reference="X1"
    )
    return case


def evaluated(
    case: RepairRequest,
    technician: Any,
    *,
    cause: str = EvaluatedCause.ACCIDENT,
    liability: str = Liability.USER,
) -> None:
    """The technician's evaluation of a case being evaluated (one component damaged)."""
    services.case_evaluate(
        case=case,
        by=technician,
        findings="Arms broken, gimbal cracked.",
        damaged_components=list(case.product_model.components.all()[:1]),
        cause=cause,
        liability=liability,
        labour_hours=Decimal("1.5"),
    )


def quoted(case: RepairRequest, technician: Any) -> Any:
    """A quote of 1.5 hours of labour sent for an evaluated case."""
    return services.quote_send(
        case=case,
        by=technician,
        lines=[
            services.QuoteLineInput(
                kind=QuoteLineKind.LABOUR,
                description="Labour",
                quantity=Decimal("1.5"),
                unit_price=Decimal("50.00"),
            )
        ],
    )


def ready_to_ship(case: RepairRequest, spare: Any, **people: Any) -> RepairRequest:
    """`case` replaced under the plan by `spare` and checked: ready to ship back."""
    walk_to(case, RequestStatus.REPLACING, **people)
    services.case_replace_unit(
        case=case, by=people["technician"], new_serial_number=spare.serial_number
    )
    services.case_replacement_done(case=case, by=people["technician"])
    services.case_quality_check(case=case, by=people["technician"], passed=True)
    return case
