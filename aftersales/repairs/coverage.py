"""What the plan issue's coverage decision is asked for a repair request, and what the case
keeps of its answer.

The customer ticks problems (guide, step 5); `plans.selectors.coverage_decide` reasons about one
component and one cause. This module is the one place that turns the first into the second, and
the one place that says when a plan holder is offered Express (seed 001, "DJI Care Refresh
Express").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from aftersales.plans.choices import CoverageOutcome, DamageCause, PlanStatus
from aftersales.plans.models import OfferingExpressFee, Plan
from aftersales.plans.money import Money
from aftersales.plans.selectors import CoverageDecision, coverage_decide

from .choices import EvaluatedCause, Liability, Problem
from .models import RepairRequest

# A problem that names a part: the first one ticked, in this order, is the part asked about.
# Codes are the catalogue's component codes (demo data: catalog/demo.py COMPONENTS).
PROBLEM_COMPONENTS: list[tuple[str, str]] = [
    # « Dysfonctionnements de la nacelle et de la caméra »: the gimbal-camera (FAQ 4, 5).
    (Problem.GIMBAL_CAMERA, "gimbal-camera"),
    # « Dysfonctionnement de la batterie »: the battery, covered by Mavic/Spark plans (FAQ 7).
    (Problem.BATTERY, "battery"),
    # « Erreur de la radiocommande »: the remote controller, which no plan covers (FAQ 7).
    (Problem.REMOTE_CONTROLLER, "remote-controller"),
]
# Every other problem (water, accident, cracks, sensors, IMU, propulsion, software…) concerns
# the unit itself: the model's main component, i.e. its first by position (the aircraft of a
# drone, the gimbal of a Zenmuse, the handheld of an Osmo).
FALLBACK_COMPONENT = "aircraft"

COVERED_OUTCOMES = {CoverageOutcome.WARRANTY, CoverageOutcome.PLAN_REPLACEMENT}


def damage_cause(problems: list[str]) -> DamageCause:
    # Water first: FAQ 13 covers it by the plan, like an accident, and it is the more specific
    # of the two when both are ticked.
    if Problem.WATER_DAMAGE in problems:
        return DamageCause.WATER
    # « Dégât dû à un accident »: the customer's own view of the cause (product- or
    # user-related) is kept on the case; liability is the technician's to decide (FAQ 8).
    if Problem.ACCIDENT_DAMAGE in problems:
        return DamageCause.ACCIDENT
    # Anything else is presumed a manufacturing defect: the ordinary warranty (FAQ 8).
    return DamageCause.MANUFACTURING_DEFECT


def damaged_component(repair_request: RepairRequest) -> str:
    problems = repair_request.problems or []
    for problem, code in PROBLEM_COMPONENTS:
        if problem in problems:
            return code
    product_model = repair_request.product_model
    if product_model is not None:
        main = (
            product_model.components.order_by("position", "code")
            .values_list("code", flat=True)
            .first()
        )
        if main:
            return main
    return FALLBACK_COMPONENT


def _texts(text: Any) -> dict[str, str]:
    """A lazy text rendered in each of the site's languages: the case is read later, by the
    customer and by staff, maybe in another language than the one it was submitted in."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(text)
    return texts


def _reason_json(*, code: str, faq: str, staff_text: Any, customer_text: Any) -> dict[str, Any]:
    """One reason: its code, FAQ item, and its staff and customer texts in the active language
    (`staff_text`, `customer_text`) and in every language (`staff_texts`, `customer_texts`, by
    language code; `repairs.selectors.case_coverage` shows the reader's)."""
    return {
        "code": code,
        "faq": faq,
        "staff_text": str(staff_text),
        "customer_text": str(customer_text),
        "staff_texts": _texts(staff_text),
        "customer_texts": _texts(customer_text),
    }


def coverage_snapshot(repair_request: RepairRequest) -> dict[str, Any]:
    """The coverage decision for this request "as declared" (from the problems the customer
    ticked), as JSON the case keeps: outcome, reasons (FAQ item, staff and customer texts in
    every language), plan, replacement n of N, fee, warranty."""
    return _snapshot(
        serial_number=repair_request.serial_number,
        component=damaged_component(repair_request),
        cause=damage_cause(repair_request.problems or []),
        on_date=timezone.localdate(),
    )


def evaluated_cause(cause: str, liability: str) -> DamageCause:
    """What the technician found, as the plans' coverage rules read it. Product liability means
    the product failed: a defect, for the warranty (FAQ 8) whatever the damage looks like."""
    if liability == Liability.PRODUCT or cause == EvaluatedCause.MANUFACTURING_DEFECT:
        return DamageCause.MANUFACTURING_DEFECT
    if cause == EvaluatedCause.WATER:
        return DamageCause.WATER  # FAQ 13
    if cause == EvaluatedCause.ACCIDENT:
        return DamageCause.ACCIDENT
    return DamageCause.OTHER  # wear and tear and the rest: neither warranty nor plan


def coverage_snapshot_evaluated(
    repair_request: RepairRequest, *, component: str, cause: str, liability: str
) -> dict[str, Any]:
    """The coverage decision asked again from the technician's findings ("as evaluated"), on
    the day the case was sent: a plan valid then still covers the damage it declared."""
    sent = repair_request.submitted_at or timezone.now()
    serial = repair_request.serial_number or (
        repair_request.device.serial_number if repair_request.device else ""
    )
    return {
        **_snapshot(
            serial_number=serial,
            component=component,
            cause=evaluated_cause(cause, liability),
            on_date=timezone.localdate(sent),
        ),
        "evaluated": True,
        "liability": liability,
    }


def _snapshot(
    *, serial_number: str, component: str, cause: DamageCause, on_date: Any
) -> dict[str, Any]:
    snapshot: dict[str, Any] = {
        "decided_on": on_date.isoformat(),
        "serial_number": serial_number,
        "component": component,
        "cause": cause.value,
    }
    if not serial_number:
        # Chosen by model without a serial number (guide, step 4): nothing to look up; the
        # workshop decides once the unit is in hand.
        return {
            **snapshot,
            "outcome": CoverageOutcome.NOT_COVERED.value,
            "reasons": [
                _reason_json(
                    code="serial_unknown",
                    faq="FAQ 12",
                    staff_text=gettext_lazy("No serial number was given: decide on reception."),
                    customer_text=gettext_lazy(
                        "We will check the warranty and your plan when your product arrives."
                    ),
                )
            ],
            "plan_id": None,
            "replacement_number": None,
            "replacements_allowed": None,
            "replacements_left": None,
            "fee": None,
            "warranty": None,
        }
    decision = coverage_decide(
        serial_number=serial_number, component_code=component, cause=cause, on_date=on_date
    )
    return {**snapshot, **_decision_json(decision)}


def _decision_json(decision: CoverageDecision) -> dict[str, Any]:
    warranty = decision.warranty
    return {
        "outcome": decision.outcome.value,
        "reasons": [
            _reason_json(
                code=reason.code,
                faq=reason.faq,
                staff_text=reason.staff_text,
                customer_text=reason.customer_text,
            )
            for reason in decision.reasons
        ],
        "plan_id": decision.plan.pk if decision.plan else None,
        "replacement_number": decision.replacement_number,
        "replacements_allowed": decision.replacements_allowed,
        "replacements_left": decision.replacements_left,
        "fee": decision.fee.as_json() if decision.fee else None,
        "warranty": (
            {
                "active": warranty.active,
                "ends_on": warranty.ends_on.isoformat() if warranty.ends_on else None,
            }
            if warranty
            else None
        ),
    }


def is_covered(snapshot: dict[str, Any]) -> bool:
    return snapshot.get("outcome") in COVERED_OUTCOMES


# --- Express (seed 001, « DJI Care Refresh Express ») ------------------------------------------


def express_eligible(repair_request: RepairRequest) -> bool:
    """Offered to a plan holder whose offering has Express, while the plan is active and has a
    replacement left: Express is a plan replacement without liability assessment."""
    if not repair_request.has_plan or repair_request.plan_id is None:
        return False
    plan = repair_request.plan
    return bool(
        plan is not None
        and plan.offering.express_offered
        and plan.status == PlanStatus.ACTIVE
        and plan.replacements_left > 0
    )


def express_fee(plan: Plan) -> Money | None:
    """The contract's Express fee when it fixed one, else the offering's fee in the plan's
    region."""
    if plan.express_fee is not None:
        return plan.express_fee
    row = OfferingExpressFee.objects.filter(offering_id=plan.offering_id, region_id=plan.region_id)
    fee = row.first()
    return fee.money if fee else None
