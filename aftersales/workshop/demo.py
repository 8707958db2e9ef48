"""The workshop's demo (`manage.py load_demo`, issue 8): cases in every status a case can have
after « Demande envoyée ! », made the way people make them. Each one is a completed draft that
its customer submits (`repairs.services.case_submit`), then the demo staff work on it through the
workshop's services and the customer answers its quote (`repairs.services.quote_answer`), as the
pages do; the e-mails those services queue go out like any other (printed on the terminal by
`make run`'s worker).

A case is found again by its customer and serial number: loading twice makes nothing the second
time, and a demo case someone moved on since stays where they left it. The units, plans and
customers it needs are the devices', plans' and accounts' demo objects.

Every service stamps the time it acts, so the demo cases are as old as the first `load_demo`:
their times are never rewritten afterwards (the plan ledger and the timeline are append-only).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.catalog.models import Component
from aftersales.catalog.selectors import zone_for_country
from aftersales.devices.models import Device
from aftersales.repairs.choices import (
    AccidentCause,
    EvaluatedCause,
    HoldReason,
    Liability,
    PaymentMethod,
    Problem,
    PurchaseChannel,
    QuoteLineKind,
    QuoteOption,
    ReceivedContents,
    RequestStatus,
    ServiceType,
    Shipment,
    UnexpectedItem,
)
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.parcels import return_label_decide, return_label_make
from aftersales.repairs.services import case_cancel_by_customer, case_submit, quote_answer

from . import services

S = RequestStatus

# The demo staff who act (accounts/demo.py).
RECEPTION = "reception@example.com"
TECHNICIAN = "technician@example.com"
AGENT = "agent@example.com"

# What the demo repair centre charges for a part (before VAT).
PART_PRICES = {
    "aircraft": Decimal("249.00"),
    "handheld-gimbal-camera": Decimal("99.00"),
    "gimbal-camera": Decimal("159.00"),
    "battery": Decimal("89.00"),
    "propellers": Decimal("12.00"),
    "remote-controller": Decimal("119.00"),
}


@dataclass(frozen=True)
class DemoCase:
    customer: str  # e-mail of a demo customer (accounts/demo.py)
    serial_number: str  # a unit in their account (devices/demo.py)
    problems: tuple[str, ...]
    description: str
    # What happens to the case after its submission, in order (the keys of ACTIONS).
    steps: tuple[str, ...]
    try_it: str  # what to do with it, printed by load_demo
    accident_cause: str = ""
    express: bool = False
    component: str = ""  # the defective component sent alone (guide, step 7)
    new_serial_number: str = ""  # the replacement unit or part (devices/demo.py STOCK_DEVICES)
    quote_message: str = ""  # written to the customer, in their language
    findings: str = "Inspected on the bench."


CASES = [
    DemoCase(
        "client@example.com",
        "OTPKFR0DEMO003",
        (Problem.BATTERY,),
        "La batterie ne tient plus que dix minutes, même après une charge complète.",
        (),
        try_it="reception: scan its number at /workshop/scan/ and record the parcel",
    ),
    DemoCase(
        "elena@example.com",
        "163DES0DEMO031",
        (Problem.WATER_DAMAGE,),
        "Landed in shallow sea water; it powers on but the motors stutter.",
        ("receive_with_battery",),
        try_it="technician: start the evaluation (reception flagged a battery that came along)",
    ),
    DemoCase(
        "elena@example.com",
        "X5SCES0DEMO032",
        (Problem.GIMBAL_CAMERA,),
        "The gimbal drifts to the left and the picture is tilted.",
        ("receive", "start"),
        try_it="technician: evaluate it, then send the quote",
    ),
    DemoCase(
        "client@example.com",
        "2N4MFR0DEMO002",
        (Problem.ACCIDENT_DAMAGE,),
        "Le drone a heurté une branche et il est tombé d'environ cinq mètres.",
        ("receive", "start", "evaluate_accident", "quote"),
        try_it="client@example.com: answer the quote on the case page (plan replacement, "
        "repair, or refuse)",
        accident_cause=AccidentCause.USER,
        findings="Front left arm broken, shell cracked, gimbal intact.",
        quote_message="Bonjour, voici notre devis : vous pouvez utiliser un remplacement de "
        "votre DJI Care Refresh ou faire réparer votre drone.",
    ),
    DemoCase(
        "lea@example.com",
        "07DDFR0DEMO012",
        (Problem.PROPULSION,),
        "Un moteur fait un bruit de frottement et le drone dérive en vol stationnaire.",
        ("receive", "start", "evaluate_wear", "quote", "answer_repair"),
        try_it="agent: record the payment of the repair",
        findings="Motor 3 bearings worn; out of warranty, no plan.",
        quote_message="Bonjour, le roulement d'un moteur est usé : voici le devis de la "
        "réparation.",
    ),
    DemoCase(
        "customer@example.com",
        "07DDGB0DEMO001",
        (Problem.GIMBAL_CAMERA,),
        "The gimbal motor buzzes and the camera does not level after start-up.",
        ("receive", "start", "evaluate_defect", "warranty"),
        try_it="technician: record the part used and finish the repair (free, warranty)",
        findings="Gimbal pitch motor faulty from the factory.",
    ),
    DemoCase(
        "customer@example.com",
        "0K2ZGB0DEMO002",
        (Problem.ACCIDENT_DAMAGE,),
        "Crashed into a wall while flying indoors; one arm is snapped.",
        # Seed 001: the Express amount paid (by transfer); the replacement to ship ahead.
        ("pay",),
        try_it="reception: Express, ship the new unit 163DNL0SPARE02 (in stock) ahead",
        new_serial_number="163DNL0SPARE02",
        accident_cause=AccidentCause.USER,
        express=True,
        findings="Arm snapped, body cracked.",
    ),
    DemoCase(
        "lea@example.com",
        "0AXCFR0DEMO011",
        (Problem.ACCIDENT_DAMAGE,),
        "Tombé dans les escaliers, la caméra ne s'allume plus.",
        ("receive", "start", "evaluate_accident", "quote", "answer_refuse"),
        try_it="agent: record the evaluation fee; then reception: ready to ship",
        accident_cause=AccidentCause.USER,
        findings="Main board and gimbal damaged by the fall; no plan, warranty over.",
        quote_message="Bonjour, voici le devis de la réparation de votre Spark.",
    ),
    DemoCase(
        "jan@example.com",
        "095XNL0DEMO023",
        (Problem.ACCIDENT_DAMAGE,),
        "Hard landing on gravel; the landing gear no longer retracts.",
        ("receive", "start", "evaluate_accident", "quote", "answer_repair", "pay", "hold_parts"),
        try_it="technician: take it off hold when the parts arrive",
        accident_cause=AccidentCause.USER,
        findings="Transformation mechanism bent; the part is on back-order.",
        quote_message="Hello, here is the quote for the repair of your Inspire 2.",
    ),
    DemoCase(
        "elena@example.com",
        "P3SEES0DEMO033",
        (Problem.COMPASS_IMU,),
        "Compass error at every start, even after calibration.",
        ("receive", "start", "evaluate_defect", "warranty", "part", "repair_done"),
        try_it="technician: do the quality check",
        findings="Compass module faulty from the factory.",
    ),
    DemoCase(
        "jan@example.com",
        "163CNL0DEMO021",
        (Problem.GIMBAL_CAMERA, Problem.ACCIDENT_DAMAGE),
        "The gimbal hit the ground on landing and the camera no longer moves.",
        (
            "receive",
            "start",
            "evaluate_gimbal",
            "quote",
            "answer_replacement",
            "pay",
            "replace_gimbal",
            "replacement_done",
            "check",
        ),
        try_it="reception (logistics): scan it at /workshop/scan/, ship it, print its label",
        accident_cause=AccidentCause.USER,
        component="gimbal-camera",
        new_serial_number="1V3CNL0SPARE05",
        findings="Gimbal arm broken by the impact.",
        quote_message="Hello, your gimbal can be replaced under your DJI Care Refresh plan.",
    ),
    DemoCase(
        "jan@example.com",
        "0AUDNL0DEMO022",
        (Problem.VISION_SENSORS,),
        "Obstacle sensing reports an error on every flight.",
        (
            "receive",
            "start",
            "evaluate_defect",
            "warranty",
            "part",
            "repair_done",
            "check",
            "ship",
        ),
        try_it="agent: close it once the customer has it",
        findings="Forward vision sensor board faulty from the factory.",
    ),
    DemoCase(
        "client@example.com",
        "0AXCFR0DEMO004",
        (Problem.ACCIDENT_DAMAGE, Problem.SCRATCHES_CRACKS),
        "Le Spark est tombé dans un lac gelé puis a heurté la glace.",
        (
            "receive",
            "start",
            "evaluate_accident",
            "quote",
            "answer_replacement",
            "pay",
            "replace_unit",
            "replacement_done",
            "check",
            "ship",
            "close",
        ),
        try_it="client@example.com: My products shows the new Spark, My plans one replacement left",
        accident_cause=AccidentCause.USER,
        new_serial_number="0AXCNL0SPARE01",
        findings="Body cracked, two arms broken.",
        quote_message="Bonjour, votre Spark peut être remplacé avec votre DJI Care Refresh.",
    ),
    DemoCase(
        "lea@example.com",
        "OSM1FR0DEMO013",
        (Problem.BATTERY,),
        "La poignée s'éteint toute seule.",
        ("cancel",),
        try_it="nothing: the customer withdrew it before sending the parcel",
    ),
]


@dataclass
class _Walk:
    """A case being made, and who acts on it."""

    case: RepairRequest
    spec: DemoCase
    staff: dict[str, User]

    def reload(self) -> RepairRequest:
        self.case = RepairRequest.objects.select_related("product_model", "device", "user").get(
            pk=self.case.pk
        )
        return self.case


# --- What people do to a case (each through the real services) --------------------------------


def _receive(walk: _Walk, **extra: Any) -> None:
    case = walk.case
    services.case_receive(
        case=case,
        by=walk.staff[RECEPTION],
        contents=ReceivedContents(case.shipment),
        serial_number_read=case.serial_number,
        **extra,
    )


def _receive_with_battery(walk: _Walk) -> None:
    _receive(
        walk,
        unexpected_items=[UnexpectedItem.WORKING_BATTERY],
        note="A spare battery in a plastic bag; kept aside to send back with the unit.",
    )


def _main_component(case: RepairRequest) -> Component:
    assert case.product_model is not None, "every demo case names its model"
    component = case.product_model.components.order_by("position", "code").first()
    assert component is not None, "the demo catalogue gives every model its components"
    return component


def _evaluate(walk: _Walk, *, cause: str, liability: str, components: list[Component]) -> None:
    services.case_evaluate(
        case=walk.case,
        by=walk.staff[TECHNICIAN],
        findings=walk.spec.findings,
        damaged_components=components,
        cause=cause,
        liability=liability,
        labour_hours=Decimal("1.50"),
        evaluation_hours=Decimal("1.00"),
    )


def _quote(walk: _Walk) -> None:
    case = walk.case
    evaluation = services.latest_evaluation(case)
    assert evaluation is not None
    lines = [
        dataclasses.replace(line, unit_price=PART_PRICES.get(line.component.code, Decimal("50")))
        if line.kind == QuoteLineKind.PART and line.component is not None
        else line
        for line in services.quote_lines_suggested(case, evaluation)
    ]
    services.quote_send(
        case=case, by=walk.staff[TECHNICIAN], lines=lines, message=walk.spec.quote_message
    )


def _answer(option: str) -> Callable[[_Walk], None]:
    def answer(walk: _Walk) -> None:
        case = walk.case
        quote = case.quotes.get(superseded_at__isnull=True)
        quote_answer(case=case, quote_id=quote.pk, option=option, by=case.user)

    return answer


def _pay(walk: _Walk) -> None:
    case = walk.case
    payment = case.payments.get(paid_at__isnull=True)
    services.payment_record(
        case=case,
        payment=payment,
        by=walk.staff[AGENT],
        method=PaymentMethod.BANK_TRANSFER,
        reference=f"VIR-{case.case_number}",
    )


def _replace_gimbal(walk: _Walk) -> None:
    case = walk.case
    gimbal = Component.objects.get(code="gimbal-camera")
    services.case_replace_component(
        case=case,
        by=walk.staff[TECHNICIAN],
        component=gimbal,
        new_serial_number=walk.spec.new_serial_number,
        part_model=case.product_model,  # FAQ 5: a gimbal of the unit's own model
    )


def _part(walk: _Walk) -> None:
    services.part_use_record(
        case=walk.case,
        by=walk.staff[TECHNICIAN],
        component=_main_component(walk.case),
        note=walk.spec.findings,
    )


def _ship(walk: _Walk) -> None:
    # The next number of the centre's range, its outbound label made (issue 9).
    services.case_ship(case=walk.case, by=walk.staff[RECEPTION])


ACTIONS: dict[str, Callable[[_Walk], Any]] = {
    "receive": _receive,
    "receive_with_battery": _receive_with_battery,
    "start": lambda w: services.case_evaluation_start(case=w.case, by=w.staff[TECHNICIAN]),
    "evaluate_accident": lambda w: _evaluate(
        w,
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,
        components=[_main_component(w.case)],
    ),
    "evaluate_gimbal": lambda w: _evaluate(
        w,
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,
        components=[Component.objects.get(code="gimbal-camera")],
    ),
    "evaluate_defect": lambda w: _evaluate(
        w,
        cause=EvaluatedCause.MANUFACTURING_DEFECT,
        liability=Liability.PRODUCT,
        components=[_main_component(w.case)],
    ),
    "evaluate_wear": lambda w: _evaluate(
        w,
        cause=EvaluatedCause.WEAR,
        liability=Liability.USER,
        components=[_main_component(w.case)],
    ),
    "warranty": lambda w: services.case_warranty_repair_start(case=w.case, by=w.staff[TECHNICIAN]),
    "quote": _quote,
    "answer_replacement": _answer(QuoteOption.PLAN_REPLACEMENT),
    "answer_repair": _answer(QuoteOption.REPAIR),
    "answer_refuse": _answer(QuoteOption.REFUSE),
    "pay": _pay,
    "replace_unit": lambda w: services.case_replace_unit(
        case=w.case, by=w.staff[TECHNICIAN], new_serial_number=w.spec.new_serial_number
    ),
    "replace_gimbal": _replace_gimbal,
    "express_ship": lambda w: services.case_express_ship(
        case=w.case, by=w.staff[RECEPTION], new_serial_number=w.spec.new_serial_number
    ),
    "replacement_done": lambda w: services.case_replacement_done(
        case=w.case, by=w.staff[TECHNICIAN]
    ),
    "part": _part,
    "repair_done": lambda w: services.case_repair_done(case=w.case, by=w.staff[TECHNICIAN]),
    "check": lambda w: services.case_quality_check(
        case=w.case, by=w.staff[TECHNICIAN], passed=True
    ),
    "ship": _ship,
    "close": lambda w: services.case_close(case=w.case, by=w.staff[AGENT]),
    "hold_parts": lambda w: services.case_hold(
        case=w.case,
        by=w.staff[TECHNICIAN],
        reason=HoldReason.WAITING_FOR_PARTS,
        note="Landing gear mechanism ordered from the factory.",
    ),
    "cancel": lambda w: case_cancel_by_customer(case=w.case, by=w.case.user),
}


# --- Loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCaseLine:
    """What load_demo prints of a demo case."""

    case_number: str
    status: str
    customer: str
    product: str
    try_it: str


def load_workshop_demo(created: dict[str, int]) -> list[DemoCaseLine]:
    """Makes the demo cases that are missing (counted in `created["cases"]`); returns every
    demo case as it is now."""
    staff = {
        user.email: user for user in User.objects.filter(email__in=[RECEPTION, TECHNICIAN, AGENT])
    }
    lines = []
    for spec in CASES:
        customer = User.objects.filter(email__iexact=spec.customer).first()
        device = (
            Device.objects.select_related("model").filter(serial_number=spec.serial_number).first()
        )
        if customer is None or device is None or len(staff) < 3:
            continue  # a demo object removed by hand: leave the case out
        case = (
            RepairRequest.objects.filter(user=customer, serial_number=spec.serial_number)
            .exclude(status=S.DRAFT)
            .order_by("submitted_at", "pk")
            .first()
        )
        if case is None:
            case = _make_case(spec, customer=customer, device=device, staff=staff)
            created["cases"] = created.get("cases", 0) + 1
        lines.append(
            DemoCaseLine(
                case_number=str(case.case_number),
                status=case.status,
                customer=customer.email,
                product=f"{device.model.name} {device.serial_number}",
                try_it=spec.try_it,
            )
        )
    return lines


def _make_case(
    spec: DemoCase, *, customer: User, device: Device, staff: dict[str, User]
) -> RepairRequest:
    address = customer.addresses.order_by("pk").first()
    assert address is not None, "the demo customers have an address (accounts/demo.py)"
    country = str(address.country)
    walk = _Walk(case=RepairRequest(), spec=spec, staff=staff)
    # The draft as the wizard leaves it, every step answered (guide, steps 3 to 8).
    draft = RepairRequest.objects.create(
        user=customer,
        current_step="summary",
        zone=zone_for_country(country),
        country=country,
        device=device,
        serial_number=device.serial_number,
        product_model=device.model,
        service_type=ServiceType.REPAIR,
        problems=[str(problem) for problem in spec.problems],
        description=spec.description,
        support_contacted=True,
        purchase_channel=PurchaseChannel.AUTHORISED_DEALER,
        received_on=timezone.localdate(device.activated_at or timezone.now()),
        has_plan=hasattr(device, "plan"),
        accident_cause=spec.accident_cause,
        express_requested=spec.express,
        express_serial_number=device.serial_number if spec.express else "",
        shipment=Shipment.DEFECTIVE_COMPONENT if spec.component else Shipment.COMPLETE_SET,
        component=Component.objects.get(code=spec.component) if spec.component else None,
        return_address=address,
    )
    walk.case = case_submit(repair_request=draft, user=customer, terms_accepted=True)
    # Still to be sent: its return label (or the news that there is none) decided and made now,
    # so that the case page shows it at once; the worker e-mails it.
    if not spec.steps and return_label_decide(case=walk.case):
        return_label_make(case=walk.case)
    for step in spec.steps:
        walk.reload()
        ACTIONS[step](walk)
    return walk.reload()
