"""Known data for the workshop dashboard's tests: a few cases at two repair centres, each with a
timeline written at known moments (in the site's time zone), evaluations with their damaged
components and quotes with their answers — so that every figure can be counted by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftersales.accounts.tests.factories import UserFactory
from aftersales.catalog.tests.factories import (
    ComponentFactory,
    ProductModelFactory,
    RepairCentreFactory,
    ServiceZoneFactory,
)
from aftersales.repairs.choices import (
    EvaluatedCause,
    EventKind,
    Liability,
    Problem,
    QuoteOption,
    RequestStatus,
)
from aftersales.repairs.models import CaseEvent, Evaluation, Quote, QuoteAnswer, RepairRequest
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop.dashboard import Filters

S = RequestStatus

# The period of the tests: ten days.
START = date(2026, 3, 2)  # a Monday
END = date(2026, 3, 11)


def at(day: date, hour: float = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(hours=hour)


def day(n: int) -> date:
    return START + timedelta(days=n)


@dataclass
class Known:
    centre: Any
    other_centre: Any
    mavic: Any
    spark: Any
    gimbal: Any
    battery: Any
    staff: Any
    cases: dict[str, RepairRequest]

    def filters(self, **changes: Any) -> Filters:
        return Filters(
            start=changes.get("start", START),
            end=changes.get("end", END),
            centre=changes.get("centre"),
        )


def moves(case: RepairRequest, *steps: tuple[str, datetime]) -> None:
    """The case's timeline: submitted at its submission, then each (status, when)."""
    previous = ""
    for status, when in steps:
        CaseEvent.objects.create(
            request=case,
            kind=EventKind.STATUS,
            from_status=previous,
            status=status,
            occurred_at=when,
        )
        previous = status
    case.status = previous
    case.save(update_fields=["status"])
    # A note is not a move: it never counts.
    CaseEvent.objects.create(
        request=case, kind=EventKind.NOTE, status=previous, occurred_at=steps[-1][1], note="x"
    )


def evaluate(case: RepairRequest, by: Any, components: list[Any], outcome: str, when: datetime):
    evaluation = Evaluation.objects.create(
        request=case,
        evaluated_at=when,
        evaluated_by=by,
        findings="Seen.",
        cause=EvaluatedCause.ACCIDENT,
        liability=Liability.USER,
        labour_hours=Decimal("1.00"),
        coverage={"outcome": outcome},
    )
    evaluation.damaged_components.set(components)
    return evaluation


def quote(
    case: RepairRequest, evaluation: Evaluation, by: Any, answer: str | None, when, version=1
):
    sent = Quote.objects.create(
        request=case,
        version=version,
        evaluation=evaluation,
        created_at=when,
        created_by=by,
        valid_until=when.date() + timedelta(days=30),
        currency="EUR",
        vat_rate=Decimal("21"),
        subtotal=Decimal("100"),
        vat=Decimal("21"),
        total=Decimal("121"),
    )
    if answer:
        QuoteAnswer.objects.create(
            quote=sent,
            option=answer,
            amount=Decimal("121"),
            currency="EUR",
            answered_at=when,
            answered_by=case.user,
        )
    return sent


def known_data() -> Known:
    zone = ServiceZoneFactory()
    centre = RepairCentreFactory(zone=zone, name="Barendrecht")
    other_centre = RepairCentreFactory(zone=zone, name="Lyon", city="Lyon", country="FR")
    gimbal = ComponentFactory(code="gimbal", name_en="Gimbal", name_fr="Nacelle")
    battery = ComponentFactory(code="battery", name_en="Battery", name_fr="Batterie")
    mavic = ProductModelFactory(code="mavic-2-pro", name="Mavic 2 Pro")
    spark = ProductModelFactory(code="spark", name="Spark")
    staff = UserFactory(email="tech-dashboard@example.com", is_staff=True)

    def new(name: str, submitted: datetime, model: Any = mavic, where: Any = centre, **fields):
        return SubmittedCaseFactory(
            zone=zone,
            repair_centre=where,
            product_model=model,
            submitted_at=submitted,
            status_changed_at=submitted,
            user=UserFactory(email=f"{name}@example.com"),
            **fields,
        )

    cases: dict[str, RepairRequest] = {}
    # Warranty: submitted day 0, received day 1, evaluating day 1 (+2 h), repairing day 2,
    # quality check day 4, ready to ship day 4 (+1 h), shipped day 5, closed day 9.
    warranty = cases["warranty"] = new(
        "warranty", at(day(0)), problems=[Problem.GIMBAL_CAMERA.value]
    )
    moves(
        warranty,
        (S.SUBMITTED, at(day(0))),
        (S.RECEIVED, at(day(1))),
        (S.EVALUATING, at(day(1), 12)),
        (S.REPAIRING, at(day(2))),
        (S.QUALITY_CHECK, at(day(4))),
        (S.READY_TO_SHIP, at(day(4), 11)),
        (S.SHIPPED, at(day(5))),
        (S.CLOSED, at(day(9))),
    )
    evaluate(warranty, staff, [gimbal], "warranty", at(day(2)))
    # A paid repair: submitted day 0, received day 3, evaluated and quoted day 3, answered
    # "repair" day 4 (awaiting payment).
    paid = cases["paid"] = new(
        "paid",
        at(day(0), 15),
        problems=[Problem.GIMBAL_CAMERA.value, Problem.ACCIDENT_DAMAGE.value],
    )
    moves(
        paid,
        (S.SUBMITTED, at(day(0), 15)),
        (S.RECEIVED, at(day(3))),
        (S.EVALUATING, at(day(3), 11)),
        (S.QUOTED, at(day(3), 12)),
        (S.AWAITING_PAYMENT, at(day(4), 12)),
    )
    first = evaluate(paid, staff, [battery], "not_covered", at(day(3), 11))
    # Evaluated again: the latest evaluation's components count, not the first's.
    latest = evaluate(paid, staff, [gimbal, battery], "not_covered", at(day(3), 11.5))
    old = quote(paid, first, staff, None, at(day(3), 11.5))
    old.superseded_at = at(day(3), 12)
    old.save(update_fields=["superseded_at"])
    quote(paid, latest, staff, QuoteOption.REPAIR, at(day(3), 12), version=2)
    # Refused: a Spark submitted day 2, quoted day 3, refused day 3.
    refused = cases["refused"] = new(
        "refused", at(day(2)), model=spark, problems=[Problem.ACCIDENT_DAMAGE.value]
    )
    moves(
        refused,
        (S.SUBMITTED, at(day(2))),
        (S.RECEIVED, at(day(2), 14)),
        (S.EVALUATING, at(day(2), 15)),
        (S.QUOTED, at(day(3))),
        (S.RETURNING_UNREPAIRED, at(day(3), 18)),
    )
    evaluation = evaluate(refused, staff, [battery], "not_covered", at(day(2), 16))
    quote(refused, evaluation, staff, QuoteOption.REFUSE, at(day(3)))
    # Express under the plan: submitted day 2, replacing day 3 (no quote, FAQ 3).
    express = cases["express"] = new(
        "express",
        at(day(2), 9),
        problems=[Problem.ACCIDENT_DAMAGE.value],
        express_requested=True,
    )
    moves(
        express,
        (S.SUBMITTED, at(day(2), 9)),
        (S.RECEIVED, at(day(3), 9)),
        (S.EVALUATING, at(day(3), 10)),
        (S.REPLACING, at(day(3), 11)),
    )
    evaluate(express, staff, [gimbal], "plan_replacement", at(day(3), 10.5))
    # A plan replacement chosen on the quote, at the other centre: submitted day 5.
    plan = cases["plan"] = new(
        "plan", at(day(5)), where=other_centre, problems=[Problem.WATER_DAMAGE.value]
    )
    moves(
        plan,
        (S.SUBMITTED, at(day(5))),
        (S.RECEIVED, at(day(6))),
        (S.EVALUATING, at(day(6), 11)),
        (S.QUOTED, at(day(7))),
        (S.AWAITING_PAYMENT, at(day(7), 10)),
    )
    evaluation = evaluate(plan, staff, [battery], "plan_replacement", at(day(6), 12))
    quote(plan, evaluation, staff, QuoteOption.PLAN_REPLACEMENT, at(day(7)))
    # Before the period: submitted and closed earlier, outside every figure but one stage that
    # ended in the period? No: all its moves are before it.
    before = cases["before"] = new("before", at(day(-20)))
    moves(before, (S.SUBMITTED, at(day(-20))), (S.CANCELLED, at(day(-19))))
    # Submitted before the period, received in it: its "submitted" stage ended in the period
    # (10 days long), but it was not opened in the period.
    late = cases["late"] = new("late", at(day(-5)), problems=[Problem.BATTERY.value])
    moves(late, (S.SUBMITTED, at(day(-5))), (S.RECEIVED, at(day(5))))
    # After the period.
    after = cases["after"] = new("after", at(day(12)))
    moves(after, (S.SUBMITTED, at(day(12))))
    return Known(centre, other_centre, mavic, spark, gimbal, battery, staff, cases)
