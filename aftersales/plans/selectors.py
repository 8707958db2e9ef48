"""Reads about plans that need thought: which region a country is in, which plan a serial has,
and the coverage decision (warranty, plan replacement or not covered) with its reasons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from aftersales.catalog.models import Component
from aftersales.devices.models import Device, normalize_serial_number

from .choices import CoverageOutcome, DamageCause, PlanStatus
from .errors import PlanNotFound, PlanRuleError
from .models import Offering, Plan, PlanDevice, PlanEvent, SalesRegion, last_day_of_term
from .money import Money


def region_for_country(country: str) -> SalesRegion | None:
    return SalesRegion.objects.for_country(country).first()


def plan_for_serial(serial_number: str) -> Plan | None:
    """The plan currently bound to this serial (a replaced unit's serial has none any more)."""
    return (
        Plan.objects.select_related("offering", "region", "device__model")
        .filter(device__serial_number=normalize_serial_number(serial_number))
        .first()
    )


def plan_for_owner(serial_number: str, owner_id: int | None) -> Plan | None:
    """The plan bound to this serial when the unit is in the account `owner_id` (My products), else
    None. What a customer's request may use: the plan follows the unit (FAQ 10) into the
    account of whoever holds it, and a serial number typed from another account's unit must
    neither show nor use that account's plan (audit)."""
    if owner_id is None:
        return None
    return (
        Plan.objects.select_related("offering", "region", "device__model")
        .filter(
            device__serial_number=normalize_serial_number(serial_number), device__owner_id=owner_id
        )
        .first()
    )


def plan_by_reference(reference: uuid.UUID | str) -> Plan:
    """The plan partners know by this reference; PlanNotFound (`plan_unknown`) otherwise."""
    plan = Plan.objects.filter(reference=reference).first()
    if plan is None:
        raise PlanNotFound("plan_unknown")
    return plan


def offering_by_code(code: str) -> Offering:
    """The offering with this code, on sale or not (binding says when it is not on sale);
    PlanRuleError (`offering_unknown`) when there is none."""
    offering = Offering.objects.filter(code=code).first()
    if offering is None:
        raise PlanRuleError("offering_unknown")
    return offering


def binding_window_passed(
    *, activated_at: datetime | None, window_hours: int, at: datetime
) -> bool:
    """FAQ 6: a plan can be bound to a device not activated yet, or activated at most
    `window_hours` before `at`, the plan's purchase (the edge itself is allowed)."""
    return activated_at is not None and at - activated_at > timedelta(hours=window_hours)


def plan_replacements_left(plan: Plan) -> int:
    return plan.replacements_left


def serial_numbers_bound_with(serial_numbers: set[str]) -> set[str]:
    """Every serial number bound, ever, to the plans these units are or were bound to: a unit's
    former and later serial numbers across its replacements (FAQ 10), for the workshop's search
    and a device's history. One query, by the devices' and the bindings' indexes."""
    serials = {normalize_serial_number(serial) for serial in serial_numbers} - {""}
    if not serials:
        return set()
    plans = PlanDevice.objects.filter(device__serial_number__in=serials).values("plan_id")
    return set(
        PlanDevice.objects.filter(plan_id__in=plans).values_list("device__serial_number", flat=True)
    )


def plan_bindings(plan: Plan) -> QuerySet[PlanDevice]:
    """The units the plan followed, in order (its serial numbers' history)."""
    return plan.bindings.select_related("device").order_by("bound_at", "id")


# --- Coverage decision -----------------------------------------------------------------------
# The reasons' texts are lazy: translated, with their dates, amounts and catalogue names in the
# language active when they are rendered (a case records them in every language, see
# repairs.coverage).


def _param(value: Any) -> Any:
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Money | Promise):
        return str(value)
    return value


def _render(message: Any, params: dict[str, Any]) -> str:
    if not params:
        return str(message)
    return str(message % {key: _param(value) for key, value in params.items()})


_lazy_render = lazy(_render, str)


def _text(message: Any, **params: Any) -> str:
    """`message` (a lazy gettext or ngettext) formatted with `params` when rendered."""
    return _lazy_render(message, params)


def _name(obj: Any) -> str:
    """A catalogue object's name in the language active when rendered."""
    return lazy(lambda: obj.name, str)()


def _names(objects: list[Any]) -> str:
    return lazy(lambda: ", ".join(obj.name for obj in objects), str)()


@dataclass(frozen=True)
class CoverageReason:
    code: str
    faq: str  # the FAQ item of seed 000 the rule comes from, e.g. "FAQ 8"
    staff_text: str
    customer_text: str


@dataclass(frozen=True)
class WarrantyStatus:
    active: bool
    # The last day of the ordinary warranty; None while the device is not activated (the
    # warranty is counted from activation).
    ends_on: date | None


@dataclass
class CoverageDecision:
    serial_number: str
    outcome: CoverageOutcome
    reasons: list[CoverageReason] = field(default_factory=list)
    device: Device | None = None
    warranty: WarrantyStatus | None = None
    plan: Plan | None = None
    plan_status: PlanStatus | None = None
    replacement_number: int | None = None
    replacements_allowed: int | None = None
    replacements_left: int | None = None
    fee: Money | None = None
    covered_components: list[Component] = field(default_factory=list)

    @property
    def is_covered(self) -> bool:
        return self.outcome != CoverageOutcome.NOT_COVERED

    @property
    def reason_codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]


def warranty_status(*, activated_at: datetime | None, months: int, on_date: date) -> WarrantyStatus:
    """The ordinary warranty (FAQ 8): `months` from activation; a unit never activated has not
    started its warranty yet, so it is covered."""
    if activated_at is None:
        return WarrantyStatus(active=True, ends_on=None)
    if timezone.is_naive(activated_at):  # SQLite gives naive UTC datetimes to raw queries
        activated_at = timezone.make_aware(activated_at, UTC)
    ends_on = last_day_of_term(timezone.localdate(activated_at), months)
    return WarrantyStatus(active=on_date <= ends_on, ends_on=ends_on)


def coverage_decide(
    *,
    serial_number: str,
    component_code: str,
    cause: DamageCause | str,
    on_date: date | None = None,
    part_model_code: str = "",
) -> CoverageDecision:
    """Who pays for damage to `component_code` of the unit `serial_number`, caused by `cause`, on
    `on_date` (default: today).

    `part_model_code`, when given, is the model of the part asked for as replacement (a gimbal
    of another model is not covered, FAQ 5). Three queries at most: the device with its plan,
    the plan's covered components, and the component when the plan does not cover it.
    """
    on_date = on_date or timezone.localdate()
    serial_number = normalize_serial_number(serial_number)
    cause = DamageCause(cause)
    decision = CoverageDecision(serial_number=serial_number, outcome=CoverageOutcome.NOT_COVERED)
    reasons = decision.reasons

    device = (
        Device.objects.select_related("model", "plan__offering", "plan_binding__plan__device")
        .filter(serial_number=serial_number)
        .first()
    )
    if device is None:
        reasons.append(
            CoverageReason(
                "device_unknown",
                "FAQ 10",
                _text(
                    _("No device is registered with serial number %(serial)s."),
                    serial=serial_number,
                ),
                _text(_("We could not find this serial number. Check it and try again.")),
            )
        )
        return decision
    decision.device = device
    decision.warranty = warranty = warranty_status(
        activated_at=device.activated_at, months=device.model.warranty_months, on_date=on_date
    )
    plan = getattr(device, "plan", None)
    if plan is not None:
        decision.plan = plan
        decision.plan_status = plan.status_on(on_date)
        decision.replacements_allowed = plan.replacements_allowed
        decision.replacements_left = plan.replacements_left
        decision.covered_components = list(plan.offering.components.all())

    # FAQ 8: a manufacturing defect under the ordinary warranty is repaired free and uses
    # nothing of the plan.
    if cause == DamageCause.MANUFACTURING_DEFECT:
        if warranty.active:
            if warranty.ends_on:
                staff_text = _text(
                    _(
                        "Manufacturing defect under the ordinary warranty (last day: %(ends)s): "
                        "free repair; no plan replacement is used."
                    ),
                    ends=warranty.ends_on,
                )
            else:
                staff_text = _text(
                    _(
                        "Manufacturing defect under the ordinary warranty, which has not started "
                        "yet (the device is not activated): free repair; no plan replacement is "
                        "used."
                    )
                )
            reasons.append(
                CoverageReason(
                    "warranty_defect",
                    "FAQ 8",
                    staff_text,
                    _text(
                        _(
                            "This is covered by the warranty: the repair is free and does not "
                            "use a replacement of your plan."
                        )
                    ),
                )
            )
            decision.outcome = CoverageOutcome.WARRANTY
            return decision
        reasons.append(
            CoverageReason(
                "warranty_expired",
                "FAQ 8",
                _text(_("The ordinary warranty ended on %(ends)s."), ends=warranty.ends_on),
                _text(_("The warranty of this product ended on %(ends)s."), ends=warranty.ends_on),
            )
        )

    if plan is None:
        binding = getattr(device, "plan_binding", None)
        if binding is not None:
            current = binding.plan.device.serial_number
            reasons.append(
                CoverageReason(
                    "serial_replaced",
                    "FAQ 10",
                    _text(
                        _(
                            "This unit was replaced under plan #%(plan)s; the plan now follows "
                            "serial number %(current)s."
                        ),
                        plan=binding.plan_id,
                        current=current,
                    ),
                    _text(
                        _(
                            "This unit was replaced. Your plan now covers the unit with serial "
                            "number %(current)s."
                        ),
                        current=current,
                    ),
                )
            )
        else:
            reasons.append(
                CoverageReason(
                    "no_plan",
                    "FAQ 11",
                    _text(_("No plan is bound to this serial number: paid repair.")),
                    _text(_("This product has no protection plan, so the repair is paid.")),
                )
            )
        return decision

    if cause == DamageCause.WATER:
        reasons.append(
            CoverageReason(
                "water_covered",
                "FAQ 13",
                _text(_("Water damage is covered by the plan like an accident.")),
                _text(_("Water damage is covered by your plan.")),
            )
        )
    elif cause == DamageCause.ACCIDENT:
        reasons.append(
            CoverageReason(
                "accident_covered",
                "FAQ 8",
                _text(_("Accidental damage in normal use is covered by the plan.")),
                _text(_("Accidental damage is covered by your plan.")),
            )
        )

    covered = True
    # FAQ 1, 8: the plan covers damage from an accident in normal use (and water, FAQ 13), not
    # wear and tear or any other cause a technician finds.
    if cause == DamageCause.OTHER:
        covered = False
        reasons.append(
            CoverageReason(
                "cause_not_covered",
                "FAQ 1",
                _text(
                    _("The damage is not from an accident or water: the plan does not cover it.")
                ),
                _text(
                    _(
                        "Your plan covers damage from an accident or water in normal use; this "
                        "damage is not, so the repair is paid."
                    )
                ),
            )
        )
    if decision.plan_status == PlanStatus.NOT_STARTED:
        covered = False
        reasons.append(
            CoverageReason(
                "plan_not_started",
                "FAQ 6",
                _text(
                    _("The plan starts on %(starts)s (service contract date)."),
                    starts=plan.starts_on,
                ),
                _text(_("Your plan starts on %(starts)s."), starts=plan.starts_on),
            )
        )
    elif decision.plan_status == PlanStatus.EXPIRED:
        covered = False
        reasons.append(
            CoverageReason(
                "plan_expired",
                "FAQ 1",
                _text(
                    _("The plan's last day was %(ends)s; it cannot be renewed (FAQ 9)."),
                    ends=plan.ends_on,
                ),
                _text(_("Your plan ended on %(ends)s."), ends=plan.ends_on),
            )
        )

    # FAQ 7: what a replacement covers depends on the product line (an Inspire 2's cameras
    # have plans of their own, FAQ 2).
    covered_codes = {component.code for component in decision.covered_components}
    if component_code not in covered_codes:
        covered = False
        component = Component.objects.filter(code=component_code).first()
        name = _name(component) if component else component_code
        listed = _names(decision.covered_components)
        reasons.append(
            CoverageReason(
                "component_not_covered",
                "FAQ 7",
                _text(
                    _("%(offering)s does not cover %(component)s; it covers: %(listed)s."),
                    offering=_name(plan.offering),
                    component=name,
                    listed=listed,
                ),
                _text(
                    _("Your plan does not cover this part (%(component)s). It covers: %(listed)s."),
                    component=name,
                    listed=listed,
                ),
            )
        )

    # FAQ 5: a gimbal is replaced only by one of the unit's own model.
    if part_model_code and part_model_code != device.model.code:
        covered = False
        reasons.append(
            CoverageReason(
                "gimbal_model_mismatch",
                "FAQ 5",
                _text(
                    _(
                        "A %(model)s gimbal is replaced only by a %(model)s gimbal; swapping to "
                        "another model's gimbal is a separate paid service."
                    ),
                    model=_name(device.model),
                ),
                _text(
                    _(
                        "Your plan replaces the gimbal only with one of the same model "
                        "(%(model)s). A gimbal of another model is a separate, paid service."
                    ),
                    model=_name(device.model),
                ),
            )
        )

    # FAQ 1: up to two replacements (the number the contract fixed).
    if plan.replacements_left <= 0:
        covered = False
        reasons.append(
            CoverageReason(
                "no_replacements_left",
                "FAQ 1",
                _text(
                    ngettext_lazy(
                        "The only replacement of the plan is used.",
                        "All %(allowed)s replacements of the plan are used.",
                        "allowed",
                    ),
                    allowed=plan.replacements_allowed,
                ),
                _text(_("Your plan has no replacement left, so the repair is paid.")),
            )
        )

    if not covered:
        return decision

    number = plan.replacements_used + 1
    decision.outcome = CoverageOutcome.PLAN_REPLACEMENT
    decision.replacement_number = number
    # FAQ 10: the fee specified in the service contract.
    decision.fee = plan.fee_for(number)
    params = {"number": number, "allowed": plan.replacements_allowed, "fee": decision.fee}
    if decision.fee:
        staff_text = _text(
            _("Replacement %(number)s of %(allowed)s under %(offering)s; fee %(fee)s."),
            offering=_name(plan.offering),
            **params,
        )
        customer_text = _text(
            _(
                "Your plan covers a replacement (%(number)s of %(allowed)s) for a service fee "
                "of %(fee)s. Your new unit's serial number will be added to your plan."
            ),
            **params,
        )
    else:
        staff_text = _text(
            _(
                "Replacement %(number)s of %(allowed)s under %(offering)s; the contract names "
                "no fee for it."
            ),
            offering=_name(plan.offering),
            **params,
        )
        customer_text = _text(
            _(
                "Your plan covers a replacement (%(number)s of %(allowed)s). We will tell you "
                "the service fee. Your new unit's serial number will be added to your plan."
            ),
            **params,
        )
    reasons.append(CoverageReason("plan_replacement", "FAQ 10", staff_text, customer_text))
    return decision


# --- The customer's plans ("My plans") -------------------------------------------------------


def plans_of(user: Any) -> QuerySet[Plan]:
    """The customer's plans: those whose current unit is in the customer's account.

    A plan follows its serial number (FAQ 10) and the account follows the unit: after a
    replacement the new unit joins the old one's account, so the plan stays in "My plans"; a unit
    taken out of the account (or a store sale not yet added to one) takes its plan with it.
    """
    return (
        Plan.objects.filter(device__owner=user)
        .select_related("offering", "region", "device__model")
        .order_by("-starts_on", "-id")
    )


def plan_of(user: Any, plan_id: int) -> Plan:
    """One of the customer's plans with what its page shows; Plan.DoesNotExist for anybody
    else's (or none)."""
    return plans_of(user).prefetch_related("offering__components").get(pk=plan_id)


def plan_ledger(plan: Plan) -> QuerySet[PlanEvent]:
    """The plan's service events, oldest first."""
    return plan.events.select_related("component").order_by("occurred_at", "id")


@dataclass(frozen=True)
class ContractFee:
    replacement_number: int
    fee: Money


def plan_contract_fees(plan: Plan) -> list[ContractFee]:
    """The fee of each replacement as the contract fixed it (FAQ 10)."""
    return [
        ContractFee(replacement_number=row["number"], fee=Money.from_json(row))
        for row in plan.fee_schedule.get("replacements", [])
    ]


def plan_contract_number(plan: Plan) -> str:
    """The service contract's number, as printed on it and in its file name: DCR-000123."""
    return f"DCR-{plan.pk:06d}"
