"""Plan workflows: binding a plan to a device, activation codes, replacements, warranty repairs
and component serial changes. Views, the API and the admin call these; nothing else changes a
plan, so that each rule of the FAQ (seed 000) holds and lives in one place.

Every refusal is a `PlanRuleError` with a stable code (see `errors.RULE_MESSAGES`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Component, ProductModel
from aftersales.core.ratelimit import FailureLimit
from aftersales.devices.models import ComponentSerial, Device, normalize_serial_number

from . import codes
from .bulk import activation_codes_insert
from .choices import BindingChannel, PlanEventKind, UnbindReason
from .errors import PlanRuleError
from .models import (
    ActivationCode,
    ActivationCodeBatch,
    Offering,
    OfferingExpressFee,
    OfferingFee,
    Plan,
    PlanDevice,
    PlanEvent,
    SalesRegion,
    last_day_of_term,
)
from .selectors import binding_window_passed, region_for_country

# --- Sales regions ---------------------------------------------------------------------------


def sales_region_upsert(
    *, code: str, name_en: str, name_fr: str, countries: Iterable[str], position: int = 0
) -> SalesRegion:
    """Creates or updates a region. A country belongs to at most one region (FAQ 14, 15)."""
    with transaction.atomic():
        region = SalesRegion.objects.select_for_update().filter(code=code).first()
        region = region or SalesRegion(code=code)
        region.name_en, region.name_fr, region.position = name_en, name_fr, position
        region.countries = sorted({str(country).upper() for country in countries})
        taken = region.countries_in_other_regions()
        if taken:
            raise PlanRuleError("country_in_other_region", countries=", ".join(sorted(taken)))
        region.save()
    return region


# --- Binding a plan to a device --------------------------------------------------------------


def _fee_schedule(*, offering: Offering, region: SalesRegion) -> dict[str, Any]:
    """The offering's fees in the region, copied into the contract (FAQ 10: the service contract
    fixes the fee). Replacement n without its own row takes the fee of the highest lower one."""
    rows = list(
        OfferingFee.objects.filter(offering=offering, region=region).order_by("replacement_number")
    )
    replacements = []
    for number in range(1, offering.replacements_allowed + 1):
        applicable = [row for row in rows if row.replacement_number <= number]
        if applicable:
            replacements.append({"number": number, **applicable[-1].money.as_json()})
    express = None
    if offering.express_offered:
        express_fee = OfferingExpressFee.objects.filter(offering=offering, region=region).first()
        express = express_fee.money.as_json() if express_fee else None
    return {"replacements": replacements, "express": express}


def plan_bind(
    *,
    serial_number: str,
    offering: Offering,
    purchase_country: str,
    purchased_at: datetime | None = None,
    channel: BindingChannel | str,
    activation_code: ActivationCode | None = None,
    sold_by: Any = None,
) -> Plan:
    """Binds a new plan of `offering` to the device, bought in `purchase_country` at
    `purchased_at` (default: now; may be in the past for back-filled store orders). `sold_by` is
    the partner that sold it through the API, if any."""
    purchased_at = purchased_at or timezone.now()
    serial_number = normalize_serial_number(serial_number)
    purchase_country = str(purchase_country or "").upper()

    with transaction.atomic():
        # The device row lock serialises two bindings of the same device.
        device = (
            Device.objects.select_for_update(of=("self",))
            .select_related("model")
            .filter(serial_number=serial_number)
            .first()
        )
        if device is None:
            raise PlanRuleError("device_unknown")
        if not offering.is_active:
            raise PlanRuleError("offering_unavailable")
        if not offering.product_models.filter(pk=device.model_id).exists():
            raise PlanRuleError("model_not_covered", model=device.model.name)
        # FAQ 9: one plan per device, ever; a plan is not renewed after it expires. PlanDevice's
        # unique device backs this up in the database.
        if PlanDevice.objects.filter(device=device).exists():
            raise PlanRuleError("already_has_plan")
        # FAQ 15: sold only in the offering's regions.
        region = region_for_country(purchase_country)
        if region is None or not offering.regions.filter(pk=region.pk).exists():
            raise PlanRuleError("not_sold_in_country")
        # FAQ 14: the plan and the device are bought in the same country or region.
        device_region = region_for_country(str(device.purchase_country or ""))
        if device_region is None or device_region.pk != region.pk:
            raise PlanRuleError("region_mismatch")
        # FAQ 6: not activated yet, or activated at most the window before the plan's purchase
        # (the edge itself is allowed).
        if binding_window_passed(
            activated_at=device.activated_at,
            window_hours=offering.binding_window_hours,
            at=purchased_at,
        ):
            raise PlanRuleError("binding_window_passed", hours=offering.binding_window_hours)

        # FAQ 6: the service contract's date sets the validity.
        starts_on = timezone.localdate(purchased_at)
        plan = Plan(
            offering=offering,
            device=device,
            original_serial_number=device.serial_number,
            region=region,
            purchase_country=purchase_country,
            purchased_at=purchased_at,
            starts_on=starts_on,
            ends_on=last_day_of_term(starts_on, offering.duration_months),
            replacements_allowed=offering.replacements_allowed,
            fee_schedule=_fee_schedule(offering=offering, region=region),
            channel=channel,
            activation_code=activation_code,
            sold_by=sold_by,
        )
        try:
            with transaction.atomic():
                plan.save()
                PlanDevice.objects.create(plan=plan, device=device, bound_at=purchased_at)
        except IntegrityError as error:
            if (
                PlanDevice.objects.filter(device=device).exists()
                or Plan.objects.filter(device=device).exists()
            ):
                raise PlanRuleError("already_has_plan") from error
            raise
        PlanEvent.objects.create(
            plan=plan,
            kind=PlanEventKind.PLAN_BOUND,
            occurred_at=purchased_at,
            new_serial_number=device.serial_number,
            note=str(BindingChannel(channel).label),
        )
    return plan


def plan_activate_with_code(
    *, code: str, serial_number: str, purchased_at: datetime | None = None, sold_by: Any = None
) -> Plan:
    """Binds the plan of an activation card (FAQ 3, 11). A code is used once, for its offering
    and its region. `sold_by` is the partner redeeming it through the API, if any."""
    normalized = codes.normalize_code(code)
    # The check character catches typos before any query.
    if not codes.is_well_formed(normalized):
        raise PlanRuleError("code_invalid")
    purchased_at = purchased_at or timezone.now()

    with transaction.atomic():
        # Locked until commit: a second redemption of the same code waits, then sees it used.
        activation_code = (
            ActivationCode.objects.select_for_update(of=("self",))
            .select_related("offering", "batch")
            .filter(code=normalized)
            .first()
        )
        if activation_code is None:
            raise PlanRuleError("code_invalid")
        if activation_code.used_at is not None:
            raise PlanRuleError("code_used")
        try:
            # The card was sold in its batch's country: plan_bind checks that this is where
            # the device was bought (FAQ 14).
            plan = plan_bind(
                serial_number=serial_number,
                offering=activation_code.offering,
                purchase_country=str(activation_code.batch.country.code),
                purchased_at=purchased_at,
                channel=BindingChannel.ACTIVATION_CARD,
                activation_code=activation_code,
                sold_by=sold_by,
            )
        except PlanRuleError as error:
            if error.code == "model_not_covered":
                raise PlanRuleError(
                    "code_wrong_offering",
                    offering=activation_code.offering.name,
                    model=error.params["model"],
                ) from error
            raise
        activation_code.used_at = purchased_at
        activation_code.save(update_fields=["used_at"])
    return plan


# --- Activation codes ------------------------------------------------------------------------


def activation_codes_generate(
    *,
    offering: Offering,
    country: str,
    quantity: int,
    batch_size: int = 10_000,
    progress: Callable[[int], object] | None = None,
    created_by: Any = None,
) -> ActivationCodeBatch:
    """Generates `quantity` single-use codes for an offering sold in `country`.

    `progress(n)` is called after each chunk of n codes is written.
    """
    country = str(country).upper()
    region = region_for_country(country)
    if region is None or not offering.regions.filter(pk=region.pk).exists():
        raise PlanRuleError("not_sold_in_country")
    with transaction.atomic():
        batch = ActivationCodeBatch.objects.create(
            offering=offering,
            country=country,
            region=region,
            quantity=quantity,
            created_by=created_by,
        )
        activation_codes_insert(
            batch=batch, quantity=quantity, chunk_size=batch_size, progress=progress
        )
    return batch


# --- The plan's life -------------------------------------------------------------------------


def _locked_plan(plan: Plan) -> Plan:
    # No join in the locking query: after waiting for the lock, PostgreSQL re-checks a join
    # against the rows it read before, so a plan whose device just changed would vanish.
    Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
    return Plan.objects.select_related("device__model", "offering").get(pk=plan.pk)


def _check_plan_in_term(plan: Plan, when: datetime) -> None:
    # FAQ 1: valid for 12 months: valid on its last day, refused the day after.
    day = timezone.localdate(when)
    if day < plan.starts_on:
        raise PlanRuleError("plan_not_started")
    if day > plan.ends_on:
        raise PlanRuleError("plan_expired")


def replacement_grant(
    *,
    plan: Plan,
    new_serial_number: str,
    reason: str,
    case_number: str = "",
    replaced_device_id: int | None = None,
    at: datetime | None = None,
) -> PlanEvent:
    """Uses one of the plan's replacements: the customer gets `new_serial_number`, a registered
    unit of the same model with no plan of its own, and the plan follows it (FAQ 3, 10).

    `replaced_device_id`, when given, is the unit the caller replaces (the unit of its repair
    case): refused unless the plan covers that unit at the moment of the grant, checked under the
    plan's lock so that two grants for the same case cannot both pass."""
    at = at or timezone.now()
    new_serial_number = normalize_serial_number(new_serial_number)
    with transaction.atomic():
        # The row lock makes two grants for the last replacement run one after the other: the
        # second one sees no replacement left. The CheckConstraint and the unique replacement
        # number back this up.
        plan = _locked_plan(plan)
        if replaced_device_id is not None and plan.device_id != replaced_device_id:
            raise PlanRuleError("replaced_unit_not_covered")
        _check_plan_in_term(plan, at)
        # FAQ 1: up to two replacements (the number the contract fixed).
        if plan.replacements_left <= 0:
            raise PlanRuleError("no_replacements_left")
        old_device = plan.device
        new_device = (
            Device.objects.select_for_update(of=("self",))
            .filter(serial_number=new_serial_number)
            .first()
        )
        if new_device is None or new_device.pk == old_device.pk:
            raise PlanRuleError("replacement_device_unavailable")
        if new_device.model_id != old_device.model_id:
            raise PlanRuleError("replacement_model_mismatch", model=old_device.model.name)
        if PlanDevice.objects.filter(device=new_device).exists():
            raise PlanRuleError("replacement_device_unavailable")
        number = plan.replacements_used + 1
        # FAQ 10: the fee specified in the service contract.
        fee = plan.fee_for(number)
        if fee is None:
            raise PlanRuleError("no_fee_for_replacement")

        # The customer's new unit takes the old one's account and country when it has none.
        changed = []
        if new_device.owner_id is None and old_device.owner_id is not None:
            new_device.owner_id = old_device.owner_id
            new_device.added_to_account_at = at
            changed += ["owner", "added_to_account_at"]
        if not new_device.purchase_country and old_device.purchase_country:
            new_device.purchase_country = old_device.purchase_country
            changed.append("purchase_country")
        if changed:
            new_device.save(update_fields=changed)

        # FAQ 3, 10: the new serial is bound to the plan; the old one keeps its history.
        PlanDevice.objects.filter(plan=plan, unbound_at__isnull=True).update(
            unbound_at=at, unbind_reason=UnbindReason.REPLACED
        )
        PlanDevice.objects.create(
            plan=plan, device=new_device, bound_at=at, case_number=case_number
        )
        Plan.objects.filter(pk=plan.pk).update(
            replacements_used=F("replacements_used") + 1, device=new_device
        )
        plan.refresh_from_db(fields=["replacements_used", "device"])
        event = PlanEvent.objects.create(
            plan=plan,
            kind=PlanEventKind.REPLACEMENT_GRANTED,
            occurred_at=at,
            case_number=case_number,
            replacement_number=number,
            fee_amount=fee.amount,
            fee_currency=fee.currency,
            old_serial_number=old_device.serial_number,
            new_serial_number=new_device.serial_number,
            note=reason,
        )
    return event


def warranty_repair_record(
    *, plan: Plan, case_number: str, note: str = "", at: datetime | None = None
) -> PlanEvent:
    """Records a repair under the ordinary warranty. It uses no replacement (FAQ 8)."""
    return PlanEvent.objects.create(
        plan=plan,
        kind=PlanEventKind.WARRANTY_REPAIR,
        occurred_at=at or timezone.now(),
        case_number=case_number,
        old_serial_number=plan.device.serial_number,
        note=note,
    )


def _component_serial_swap(
    *, device: Device, component: Component, new_serial_number: str, at: datetime
) -> str:
    """Fits the part `new_serial_number` on `device` in place of its current one (kept with
    `removed_at`, so the unit's history stays whole); returns the old part's serial number."""
    current = (
        ComponentSerial.objects.select_for_update()
        .filter(device=device, component=component, removed_at__isnull=True)
        .first()
    )
    if current is not None:
        current.removed_at = at
        current.save(update_fields=["removed_at"])
    try:
        with transaction.atomic():
            ComponentSerial.objects.create(
                device=device, component=component, serial_number=new_serial_number
            )
    except IntegrityError as error:
        raise PlanRuleError("component_serial_in_use") from error
    return current.serial_number if current else ""


def _check_part_fits(plan: Plan, component: Component, part_model: ProductModel | None) -> None:
    if not plan.offering.components.filter(pk=component.pk).exists():
        raise PlanRuleError("component_not_covered", component=component.name)
    # FAQ 5: « … nous remplacerons sa nacelle uniquement par une nacelle pour Mavic 2 Pro ».
    fits = part_model is not None and part_model.pk == plan.device.model_id
    if component.has_serial_number and not fits:
        raise PlanRuleError("gimbal_model_mismatch", model=plan.device.model.name)


def component_serial_change(
    *,
    plan: Plan,
    component: Component,
    new_serial_number: str,
    part_model: ProductModel,
    case_number: str = "",
    at: datetime | None = None,
) -> PlanEvent:
    """Records a new serial-numbered part on the plan's unit that uses no replacement (a part
    fitted under the warranty, FAQ 8, 4): the plan follows the new part's serial number.

    `part_model` is the model the new part is made for, as the technician reads it from the
    part or the stock: a gimbal is replaced only by one of the unit's own model (FAQ 5).
    """
    at = at or timezone.now()
    new_serial_number = normalize_serial_number(new_serial_number)
    with transaction.atomic():
        plan = _locked_plan(plan)
        if not component.has_serial_number:
            raise PlanRuleError("component_has_no_serial_number", component=component.name)
        _check_part_fits(plan, component, part_model)
        old = _component_serial_swap(
            device=plan.device, component=component, new_serial_number=new_serial_number, at=at
        )
        event = PlanEvent.objects.create(
            plan=plan,
            kind=PlanEventKind.COMPONENT_SERIAL_CHANGED,
            occurred_at=at,
            case_number=case_number,
            component=component,
            old_serial_number=old,
            new_serial_number=new_serial_number,
        )
    return event


def component_replacement_grant(
    *,
    plan: Plan,
    component: Component,
    new_serial_number: str = "",
    part_model: ProductModel | None = None,
    reason: str = "",
    case_number: str = "",
    replaced_device_id: int | None = None,
    at: datetime | None = None,
) -> PlanEvent:
    """Uses one of the plan's replacements for a covered part of the unit (FAQ 4, 7: « Un
    service DJI Care Refresh couvre deux unités de remplacement par an »; the Mavic 2's gimbal,
    a battery), for the contract's fee (FAQ 10). A part with its own serial number (a gimbal)
    needs the new part's serial, which the plan follows from then on (FAQ 4); it must be made
    for the unit's model (FAQ 5). The unit itself stays the plan's."""
    at = at or timezone.now()
    new_serial_number = normalize_serial_number(new_serial_number)
    with transaction.atomic():
        plan = _locked_plan(plan)
        if replaced_device_id is not None and plan.device_id != replaced_device_id:
            raise PlanRuleError("replaced_unit_not_covered")
        _check_plan_in_term(plan, at)
        if plan.replacements_left <= 0:
            raise PlanRuleError("no_replacements_left")
        _check_part_fits(plan, component, part_model)
        if component.has_serial_number and not new_serial_number:
            raise PlanRuleError("component_serial_required", component=component.name)
        number = plan.replacements_used + 1
        fee = plan.fee_for(number)
        if fee is None:
            raise PlanRuleError("no_fee_for_replacement")
        old = ""
        if component.has_serial_number:
            old = _component_serial_swap(
                device=plan.device,
                component=component,
                new_serial_number=new_serial_number,
                at=at,
            )
        Plan.objects.filter(pk=plan.pk).update(replacements_used=F("replacements_used") + 1)
        plan.refresh_from_db(fields=["replacements_used"])
        event = PlanEvent.objects.create(
            plan=plan,
            kind=PlanEventKind.REPLACEMENT_GRANTED,
            occurred_at=at,
            case_number=case_number,
            replacement_number=number,
            fee_amount=fee.amount,
            fee_currency=fee.currency,
            component=component,
            old_serial_number=old,
            new_serial_number=new_serial_number,
            note=reason,
        )
    return event


def warranty_repair_recorded(*, plan: Plan, case_number: str) -> bool:
    """Whether the ledger has this case's warranty repair already (it is written once)."""
    return plan.events.filter(kind=PlanEventKind.WARRANTY_REPAIR, case_number=case_number).exists()


# --- Activation card on the customer's page (FAQ 3 path 1, FAQ 11) ---------------------------

# Failed redemptions before the customer (or the address) is told to wait: enough for typos,
# far too few to walk through codes or learn which serial numbers exist.
REDEMPTION_LIMIT_PER_ACCOUNT = FailureLimit(scope="plans:redeem:account", limit=10, window=3600)
REDEMPTION_LIMIT_PER_ADDRESS = FailureLimit(scope="plans:redeem:address", limit=30, window=3600)

ACTIVATION_MESSAGES: dict[str, Any] = {
    "rate_limited": _(
        "Too many activation attempts failed. Please wait an hour and try again, or contact "
        "support."
    ),
    # Says nothing about the other account: not its e-mail, not its name, not since when (the
    # same words as when adding a product to "My products").
    "device_other_account": _(
        "This product is already registered to another account. If it is yours, contact support."
    ),
}


def plan_activate_for_customer(
    *, user: Any, code: str, serial_number: str, address: str | None = None
) -> Plan:
    """A logged-in customer activates a card: binds its plan to the device and puts the device
    in the customer's account, then queues the service contract e-mail.

    Refusals are `PlanRuleError`s: the rules of `plan_activate_with_code`, plus `rate_limited`
    (too many failures for this account or this address) and `device_other_account`. Every
    refusal counts as a failure for the account and the address.
    """
    limits = [(REDEMPTION_LIMIT_PER_ACCOUNT, user.pk)]
    if address:
        limits.append((REDEMPTION_LIMIT_PER_ADDRESS, address))
    if any(limit.is_reached(identity) for limit, identity in limits):
        raise PlanRuleError("rate_limited", str(ACTIVATION_MESSAGES["rate_limited"]))
    try:
        plan = _plan_activate_for_customer(user=user, code=code, serial_number=serial_number)
    except PlanRuleError:
        for limit, identity in limits:
            limit.record_failure(identity)
        raise
    return plan


def _device_of_another_account(device: Device | None, user: Any) -> bool:
    return device is not None and device.owner_id is not None and device.owner_id != user.pk


def _plan_activate_for_customer(*, user: Any, code: str, serial_number: str) -> Plan:
    other_account = PlanRuleError(
        "device_other_account", str(ACTIVATION_MESSAGES["device_other_account"])
    )
    serial_number = normalize_serial_number(serial_number)
    # Refused before anything is bound.
    if _device_of_another_account(
        Device.objects.filter(serial_number=serial_number).only("owner_id").first(), user
    ):
        raise other_account
    with transaction.atomic():
        plan = plan_activate_with_code(code=code, serial_number=serial_number)
        # plan_bind locked the device row until this transaction ends: read the owner again
        # under that lock, in case another account claimed the unit in the meantime. Raising
        # here rolls the binding back.
        device = Device.objects.get(pk=plan.device_id)
        if _device_of_another_account(device, user):
            raise other_account
        if device.owner_id is None:
            device.owner = user
            device.added_to_account_at = timezone.now()
            device.save(update_fields=["owner", "added_to_account_at"])
        plan.device = device
        plan_send_contract(plan=plan)
    return plan


# --- Service contract ------------------------------------------------------------------------


def plan_send_contract(*, plan: Plan) -> None:
    """Queues the e-mail of the plan's service contract (PDF in the customer's language, FAQ 6).
    With the database task backend the task is a row of the caller's transaction: it exists if
    and only if the plan does (queued after the commit instead, a crash in between would lose
    the e-mail). A plan whose device is in nobody's account (a store sale) has nobody to send it
    to: the task logs and skips."""
    from .tasks import send_contract

    send_contract.enqueue(plan_id=plan.pk)
