"""The repair centre's work on a case (FAQ 3, 8, 10; the guide's last pages): reception,
evaluation, quotes, payments, repair or plan replacement, quality check, shipping back, holds,
cancellations and notes.

Each service checks the worker's permission, locks the case's row first (then the plan's, then
the devices', in that order, through the plans services), records what was done, and moves the
case through `repairs.lifecycle.case_transition` in the same transaction. `expected_status` is
the status the worker's page showed: when someone else moved the case meanwhile, the service
refuses with `case_moved` and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from aftersales.catalog.models import Component, ProductModel
from aftersales.devices.models import Device, normalize_serial_number
from aftersales.payments.providers.base import minor_units
from aftersales.plans.choices import CoverageOutcome
from aftersales.plans.models import Plan
from aftersales.plans.money import Money
from aftersales.plans.services import (
    component_replacement_grant,
    replacement_grant,
    warranty_repair_record,
    warranty_repair_recorded,
)
from aftersales.repairs import lifecycle, paying
from aftersales.repairs.attachments import attachment_add
from aftersales.repairs.carriers import (
    TrackingNumberInvalid,
    TrackingNumbersExhausted,
    carrier_for,
)
from aftersales.repairs.choices import (
    AttachmentKind,
    EventKind,
    ExpressFlag,
    ExpressResolution,
    HoldReason,
    InvestigationOutcome,
    Liability,
    ParcelDirection,
    PaymentPurpose,
    QuoteLineKind,
    QuoteOption,
    ReplacementKind,
    RequestStatus,
)
from aftersales.repairs.coverage import coverage_snapshot_evaluated
from aftersales.repairs.errors import CaseWorkError
from aftersales.repairs.lifecycle import case_event_record, case_note_add, case_transition
from aftersales.repairs.models import (
    CarrierInvestigation,
    CaseEvent,
    Evaluation,
    ExpressReturn,
    ParcelLabel,
    Payment,
    Quote,
    QuoteLine,
    Reception,
    RepairRequest,
    Replacement,
    ReturnShipment,
)
from aftersales.repairs.parcels import label_record, parcel_of, tracking_number_in_use
from aftersales.repairs.pdf import case_language

S = RequestStatus
CENT = Decimal("0.01")


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def customer_language(case: RepairRequest) -> Any:
    """What the workshop writes for the customer (a payment received, a replacement, a revised
    quote) is kept on the timeline as written: in the customer's language, not the staff
    member's, so that the case page and the e-mail read it in their language."""
    return translation.override(case_language(case))


def _require(by: Any, permission: str) -> None:
    if not lifecycle.staff_may(by, permission):
        raise CaseWorkError("not_permitted")


def _require_status(locked: RepairRequest, *statuses: str) -> None:
    """A record that belongs to a step (a reception, an evaluation, a replacement, a shipment) is
    refused in any other: checked before anything is written, whatever status the page says it
    showed."""
    if locked.status not in statuses:
        raise CaseWorkError("wrong_status", current=RequestStatus(locked.status).label)


def _status_now(case: RepairRequest, locked: RepairRequest) -> None:
    case.status = locked.status
    case.status_changed_at = locked.status_changed_at


def case_serial_number(case: RepairRequest) -> str:
    device = case.device
    return case.serial_number or (device.serial_number if device is not None else "")


# --- Reception ----------------------------------------------------------------------------------


def case_receive(
    *,
    case: RepairRequest,
    by: Any,
    contents: str,
    serial_number_read: str,
    unexpected_items: Iterable[str] = (),
    note: str = "",
    photos: Sequence[Any] = (),
    battery_included: bool | None = None,
    expected_status: str | None = S.SUBMITTED,
) -> Reception:
    """Registers the parcel: what arrived against what the customer said they would send, the
    serial number read on the unit (a difference with the case is flagged on the timeline, not
    silently accepted), photos and a note. The customer is told « votre colis a été enregistré »
    (the move's e-mail).

    Express, once the replacement has shipped ahead: the damaged unit coming back. Whole (the
    original unit's serial number, its battery) the case closes; otherwise it is flagged for an
    agent to charge the difference (`repairs.express`), without any liability assessed (FAQ 3)."""
    _require(by, lifecycle.RECEIVE)
    serial_read = normalize_serial_number(serial_number_read)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        owed = (
            ExpressReturn.objects.select_for_update().filter(request=locked).first()
            if locked.status == S.EXPRESS_SHIPPED
            else None
        )
        if owed is None:
            _require_status(locked, S.SUBMITTED)
            battery_included = None
        expected_serial = normalize_serial_number(
            owed.serial_number if owed is not None else case_serial_number(locked)
        )
        reception = Reception.objects.create(
            request=locked,
            received_at=timezone.now(),
            received_by=by,
            contents=contents,
            unexpected_items=sorted(set(unexpected_items)),
            serial_number_read=serial_read,
            serial_mismatch=bool(expected_serial) and serial_read != expected_serial,
            battery_included=battery_included,
            note=note,
        )
        for photo in photos:
            attachment_add(
                repair_request=locked, kind=AttachmentKind.PARCEL_PHOTO, uploaded_file=photo
            )
        if owed is not None:
            _express_unit_back(locked, owed, reception, by)
        else:
            case_transition(case=locked, to=S.RECEIVED, by=by)
        flags = []
        if reception.serial_mismatch:
            flags.append(
                gettext(
                    "Serial number on the unit: %(read)s; the case says %(case)s. Check before "
                    "going on."
                )
                % {"read": serial_read, "case": expected_serial}
            )
        if reception.contents_differ:
            flags.append(
                gettext("The parcel holds: %(contents)s; the customer said: %(said)s.")
                % {
                    "contents": reception.get_contents_display(),
                    "said": locked.get_shipment_display() or "—",
                }
            )
        if reception.unexpected_items:
            flags.append(
                gettext("Not to be sent, but in the parcel: %(items)s.")
                % {"items": ", ".join(_unexpected_labels(reception.unexpected_items))}
            )
        if note:
            flags.append(note)
        if flags:
            case_note_add(case=locked, by=by, text="\n".join(flags), customer_visible=False)
    _status_now(case, locked)
    return reception


def _express_unit_back(
    locked: RepairRequest, owed: ExpressReturn, reception: Reception, by: Any
) -> None:
    """The damaged unit of an Express case is back: closed when whole and nothing is left to
    settle, else flagged (another serial number, no battery, or late and still flagged)."""
    from aftersales.repairs import express

    reasons = []
    if reception.serial_mismatch:
        reasons.append(ExpressFlag.OTHER_SERIAL)
    if reception.battery_included is False:
        reasons.append(ExpressFlag.NO_BATTERY)
    express.express_flag_raise(case=locked, express=owed, flags=reasons, by=by)
    with customer_language(locked):
        if owed.flag_open:
            told = gettext(
                "We have received the unit you sent back. It is not what Express requires "
                "(%(reasons)s): the difference will be charged to you; our team will contact "
                "you."
            ) % {"reasons": ", ".join(owed.flag_labels)}
        else:
            told = gettext("We have received your damaged unit: your Express replacement is done.")
    target = S.EXPRESS_RETURNED if owed.flag_open else S.CLOSED
    case_transition(case=locked, to=target, by=by, note=told, visible_note=True)


def _unexpected_labels(values: Iterable[str]) -> list[str]:
    from aftersales.repairs.choices import UnexpectedItem

    return [str(UnexpectedItem(value).label) for value in values if value in UnexpectedItem.values]


# --- Evaluation -----------------------------------------------------------------------------------


def case_evaluation_start(
    *, case: RepairRequest, by: Any, expected_status: str | None = S.RECEIVED
) -> CaseEvent:
    # The lock, the status the page showed and the move: one read of the case's row.
    return case_transition(case=case, to=S.EVALUATING, by=by, expected_status=expected_status)


def case_evaluate(
    *,
    case: RepairRequest,
    by: Any,
    findings: str,
    damaged_components: Sequence[Component],
    cause: str,
    liability: str,
    labour_hours: Decimal,
    evaluation_hours: Decimal = Decimal("1"),
    expected_status: str | None = S.EVALUATING,
) -> Evaluation:
    """The technician's findings, and the coverage decision asked again from them ("as
    evaluated", beside the customer's declaration). FAQ 3: an Express case's liability is not
    assessed. Re-evaluating (before the quote) keeps the earlier evaluation in the history."""
    _require(by, lifecycle.EVALUATE)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        _require_status(locked, S.EVALUATING)
        if locked.express_requested:
            liability = Liability.NOT_ASSESSED
        elif liability == Liability.NOT_ASSESSED:
            liability = Liability.UNDETERMINED
        components = list(damaged_components)
        main = components[0].code if components else _declared_component(locked)
        coverage = coverage_snapshot_evaluated(
            locked, component=main, cause=cause, liability=liability
        )
        evaluation = Evaluation.objects.create(
            request=locked,
            evaluated_at=timezone.now(),
            evaluated_by=by,
            findings=findings,
            cause=cause,
            liability=liability,
            labour_hours=labour_hours,
            evaluation_hours=evaluation_hours,
            coverage=coverage,
        )
        evaluation.damaged_components.set(components)
        case_event_record(
            case=locked,
            by=by,
            kind=EventKind.NOTE,
            note=gettext("Evaluated: %(cause)s, liability %(liability)s. %(findings)s")
            % {
                "cause": evaluation.get_cause_display(),
                "liability": evaluation.get_liability_display(),
                "findings": findings,
            },
            customer_visible=False,
        )
    return evaluation


def _declared_component(case: RepairRequest) -> str:
    from aftersales.repairs.coverage import damaged_component

    return damaged_component(case)


def latest_evaluation(case: RepairRequest) -> Evaluation | None:
    return case.evaluations.order_by("-evaluated_at", "-id").first()


def case_warranty_repair_start(
    *, case: RepairRequest, by: Any, expected_status: str | None = S.EVALUATING
) -> CaseEvent:
    """FAQ 8: under the warranty the repair is free and starts at once, without a quote."""
    # The lock, the status the page showed and the move: one read of the case's row.
    return case_transition(case=case, to=S.REPAIRING, by=by, expected_status=expected_status)


# --- Quotes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteLineInput:
    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    component: Component | None = None


def quote_defaults() -> dict[str, Any]:
    """The repair centre's terms for a quote (configuration)."""
    aftersales = settings.AFTERSALES
    return {
        "currency": aftersales["EVALUATION_FEE_CURRENCY"],
        "labour_rate": Decimal(str(aftersales["LABOUR_RATE_PER_HOUR"])),
        "vat_rate": Decimal(str(aftersales["QUOTE_VAT_RATE"])),
        "validity_days": int(aftersales["QUOTE_VALIDITY_DAYS"]),
        "evaluation_fee_per_hour": Decimal(str(aftersales["EVALUATION_FEE_PER_HOUR"])),
    }


# What Quote.total holds (10 digits, 2 decimal places).
QUOTE_TOTAL_MAX = Decimal("99999999.99")


@dataclass(frozen=True)
class QuoteTotals:
    subtotal: Decimal
    vat: Decimal
    total: Decimal


def quote_totals(lines: Sequence[QuoteLineInput]) -> QuoteTotals:
    """The quote's amounts from its lines, at the centre's VAT rate (what is sent, and what the
    quote builder shows before sending)."""
    terms = quote_defaults()
    # In the currency's smallest unit: a cent, or a whole yen (a total the payment service
    # could not charge exactly would be refused online).
    unit = Decimal(1).scaleb(-minor_units(terms["currency"]))
    raw = sum((line.quantity * line.unit_price for line in lines), Decimal(0))
    subtotal = raw.quantize(unit, rounding=ROUND_HALF_UP)
    vat = (subtotal * terms["vat_rate"] / 100).quantize(unit, rounding=ROUND_HALF_UP)
    return QuoteTotals(subtotal=subtotal, vat=vat, total=subtotal + vat)


def quote_options(
    *, case: RepairRequest, evaluation: Evaluation, total: Decimal, currency: str
) -> list[dict[str, Any]]:
    """What the customer may answer, from the evaluated decision (not the declaration): with a
    plan, « use replacement n of N for the contract's fee » beside the repair at the quoted
    price (FAQ 10); without, the repair; always, refusing for the evaluation fee (guide)."""
    terms = quote_defaults()
    options: list[dict[str, Any]] = []
    decision = evaluation.coverage
    if decision.get("outcome") == CoverageOutcome.PLAN_REPLACEMENT and decision.get("fee"):
        fee = decision["fee"]
        options.append(
            {
                "option": QuoteOption.PLAN_REPLACEMENT.value,
                "amount": str(Money.from_json(fee).amount),
                "currency": fee["currency"],
                "replacement_number": decision.get("replacement_number"),
                "replacements_allowed": decision.get("replacements_allowed"),
            }
        )
    options.append(
        {"option": QuoteOption.REPAIR.value, "amount": str(_money(total)), "currency": currency}
    )
    hours = Decimal(evaluation.evaluation_hours)
    options.append(
        {
            "option": QuoteOption.REFUSE.value,
            "amount": str(_money(hours * terms["evaluation_fee_per_hour"])),
            "currency": currency,
            "hours": str(hours),
        }
    )
    return options


def quote_send(
    *,
    case: RepairRequest,
    by: Any,
    lines: Sequence[QuoteLineInput],
    message: str = "",
    expected_status: str | None = None,
) -> Quote:
    """Sends the quote built from the latest evaluation (lines of parts and labour, VAT, total,
    valid 30 days by default). A revised quote replaces the earlier one, which can no longer be
    answered, and needs a new answer. Under the warranty there is no quote (FAQ 8)."""
    _require(by, lifecycle.QUOTE)
    if not lines:
        raise CaseWorkError("quote_empty", gettext("A quote needs at least one line."))
    if quote_totals(lines).total > QUOTE_TOTAL_MAX:
        # The columns' size (audit: a larger total was a database error, a 500).
        raise CaseWorkError(
            "quote_too_large",
            gettext("A quote's total cannot exceed %(max)s: check the quantities and prices.")
            % {"max": number_format(QUOTE_TOTAL_MAX, 2, force_grouping=True)},
        )
    terms = quote_defaults()
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        if locked.status not in (S.EVALUATING, S.QUOTED):
            raise CaseWorkError("wrong_status", current=RequestStatus(locked.status).label)
        evaluation = latest_evaluation(locked)
        if evaluation is None:
            raise CaseWorkError("no_evaluation", gettext("Record the evaluation first."))
        if evaluation.coverage.get("outcome") == CoverageOutcome.WARRANTY:
            raise CaseWorkError(
                "warranty_no_quote",
                gettext("Under the warranty the repair is free: start it without a quote."),
            )
        totals = quote_totals(lines)
        subtotal, vat, total = totals.subtotal, totals.vat, totals.total
        now = timezone.now()
        previous = locked.quotes.filter(superseded_at__isnull=True).first()
        if previous is not None:
            previous.superseded_at = now
            previous.save(update_fields=["superseded_at"])
        version = (locked.quotes.aggregate(last=Max("version"))["last"] or 0) + 1
        quote = Quote.objects.create(
            request=locked,
            version=version,
            evaluation=evaluation,
            created_at=now,
            created_by=by,
            # Issue 9, item 5: the centre's quote expiry (its service levels), else the default.
            valid_until=timezone.localdate(now)
            + timedelta(
                days=locked.repair_centre.sla_quote_expiry_days
                if locked.repair_centre is not None
                else terms["validity_days"]
            ),
            currency=terms["currency"],
            vat_rate=terms["vat_rate"],
            subtotal=subtotal,
            vat=vat,
            total=total,
            options=quote_options(
                case=locked, evaluation=evaluation, total=total, currency=terms["currency"]
            ),
            message=message,
        )
        QuoteLine.objects.bulk_create(
            [
                QuoteLine(
                    quote=quote,
                    position=position,
                    kind=line.kind,
                    component=line.component,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                )
                for position, line in enumerate(lines)
            ]
        )
        if locked.status == S.EVALUATING:
            case_transition(case=locked, to=S.QUOTED, by=by, note=message, visible_note=True)
        else:
            with customer_language(locked):
                note = gettext(
                    "We have revised your quote (version %(version)s): it replaces the earlier "
                    "one. Read it and answer it on your case page."
                ) % {"version": version}
            case_event_record(
                case=locked, by=by, kind=EventKind.QUOTE, note=note, customer_visible=True
            )
    _status_now(case, locked)
    return quote


def quote_lines_suggested(case: RepairRequest, evaluation: Evaluation) -> list[QuoteLineInput]:
    """What the quote form starts with: a part line per damaged component (price to fill in)
    and the evaluation's labour at the centre's rate."""
    terms = quote_defaults()
    lines = [
        QuoteLineInput(
            kind=QuoteLineKind.PART,
            description=component.name,
            quantity=Decimal(1),
            unit_price=Decimal(0),
            component=component,
        )
        for component in evaluation.damaged_components.all()
    ]
    if evaluation.labour_hours:
        lines.append(
            QuoteLineInput(
                kind=QuoteLineKind.LABOUR,
                description=gettext("Labour"),
                quantity=Decimal(evaluation.labour_hours),
                unit_price=terms["labour_rate"],
            )
        )
    return lines


# --- Payments -------------------------------------------------------------------------------------


def payment_record(
    *,
    case: RepairRequest,
    payment: Payment,
    by: Any,
    method: str,
    reference: str = "",
    amount: Decimal | None = None,
) -> Payment:
    """An agent records a payment the customer made (amount, method, reference). Recording it
    again changes nothing (a payment confirmed twice is recorded once). A paid repair or plan fee
    starts the work."""
    _require(by, lifecycle.PAY)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, None)
        row = Payment.objects.select_for_update().get(pk=payment.pk, request=locked)
        if row.paid_at is not None:
            return row
        if amount is not None and _money(amount) != _money(row.amount):
            raise CaseWorkError(
                "payment_amount",
                gettext("The amount due is %(amount)s.")
                % {"amount": Money(amount=row.amount, currency=row.currency)},
            )
        paying.payment_settle(case=locked, payment=row, by=by, method=method, reference=reference)
    _status_now(case, locked)
    return row


# --- Repair ---------------------------------------------------------------------------------------


def part_use_record(
    *,
    case: RepairRequest,
    by: Any,
    component: Component,
    quantity: int = 1,
    serial_number: str = "",
    note: str = "",
) -> Any:
    from aftersales.repairs.models import PartUsed

    _require(by, lifecycle.REPAIR)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, None)
        if locked.status not in (S.REPAIRING, S.REPLACING):
            raise CaseWorkError("wrong_status", current=RequestStatus(locked.status).label)
        return PartUsed.objects.create(
            request=locked,
            component=component,
            quantity=quantity,
            serial_number=normalize_serial_number(serial_number),
            note=note,
            recorded_by=by,
        )


def case_repair_done(
    *, case: RepairRequest, by: Any, note: str = "", expected_status: str | None = S.REPAIRING
) -> CaseEvent:
    """The repair is finished: to the quality check. A warranty repair is written to the plan's
    ledger, using nothing of it (FAQ 8)."""
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        evaluation = latest_evaluation(locked)
        under_warranty = (
            evaluation is not None
            and evaluation.coverage.get("outcome") == CoverageOutcome.WARRANTY
        )
        event = case_transition(case=locked, to=S.QUALITY_CHECK, by=by, note=note)
        plan = _case_plan(locked)
        if (
            under_warranty
            and plan is not None
            and not warranty_repair_recorded(plan=plan, case_number=str(locked.case_number))
        ):
            warranty_repair_record(plan=plan, case_number=str(locked.case_number), note=note)
    _status_now(case, locked)
    return event


def _case_plan(case: RepairRequest) -> Plan | None:
    if case.plan_id is not None:
        return Plan.objects.select_related("device").filter(pk=case.plan_id).first()
    return None


# --- Plan replacement -----------------------------------------------------------------------------


def replacement_unit_check(case: RepairRequest, new_serial_number: str) -> str | None:
    """Why this serial number cannot be the case's new unit, for the form's field (the plans
    service checks again under its locks): unknown, another model, or already in an account."""
    serial = normalize_serial_number(new_serial_number)
    device = Device.objects.select_related("model").filter(serial_number=serial).first()
    if device is None:
        return gettext("No unit with this serial number is registered.")
    model_id = case.device.model_id if case.device is not None else case.product_model_id
    if model_id is not None and device.model_id != model_id:
        return gettext("This unit is a %(model)s: the replacement must be of the same model.") % {
            "model": device.model.name
        }
    if device.owner_id is not None:
        return gettext("This unit is in a customer's account already.")
    return None


def case_replace_unit(
    *,
    case: RepairRequest,
    by: Any,
    new_serial_number: str,
    note: str = "",
    expected_status: str | None = S.REPLACING,
) -> Replacement:
    """FAQ 3, 10: the customer gets a new or as-new unit whose serial number the plan follows
    (the plans service, which knows the case by its number); the new unit takes the old one's
    place in the customer's account. Lock order: case, plan, devices."""
    _require(by, lifecycle.REPLACE)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        _require_status(locked, S.REPLACING)
        replacement, note = _unit_replace(locked, by, new_serial_number, note)
        case_event_record(case=locked, by=by, kind=EventKind.NOTE, note=note, customer_visible=True)
    return replacement


def _unit_replace(
    locked: RepairRequest, by: Any, new_serial_number: str, note: str
) -> tuple[Replacement, str]:
    """The plan moves to the new unit (the plans service, which locks the plan and the devices
    after the case), the new unit takes the old one's place in the customer's account, and the
    `Replacement` is recorded; returns it with what the customer is told, in their language."""
    new_serial_number = normalize_serial_number(new_serial_number)
    if Replacement.objects.filter(request=locked).exists():
        raise CaseWorkError("replacement_recorded")
    plan = _case_plan(locked)
    if plan is None or locked.device_id is None:
        raise CaseWorkError("no_plan_replacement")
    refusal = replacement_unit_check(locked, new_serial_number)
    if refusal is not None:
        raise CaseWorkError("replacement_unit", refusal)
    event = replacement_grant(
        plan=plan,
        new_serial_number=new_serial_number,
        reason=note or gettext("Replacement through case %(case)s") % {"case": locked.case_number},
        case_number=str(locked.case_number),
        replaced_device_id=locked.device_id,
    )
    # The replaced unit leaves the customer's account: My products shows the new one.
    Device.objects.filter(pk=locked.device_id, owner_id=locked.user_id).update(
        owner=None, added_to_account_at=None
    )
    Device.objects.filter(serial_number=new_serial_number, owner__isnull=True).update(
        owner_id=locked.user_id, added_to_account_at=timezone.now()
    )
    replacement = _replacement_record(locked, event, by, ReplacementKind.UNIT)
    with customer_language(locked):
        told = gettext(
            "Your product is replaced by the unit with serial number %(serial)s, now covered "
            "by your plan (replacement %(number)s of %(allowed)s)."
        ) % {
            "serial": event.new_serial_number,
            "number": event.replacement_number,
            "allowed": plan.replacements_allowed,
        }
    return replacement, told


def _replacement_record(
    case: RepairRequest, event: Any, by: Any, kind: str, component: Component | None = None
) -> Replacement:
    """The case's record of a replacement the plan granted (its ledger event): the old and new
    serial numbers, replacement n and its fee."""
    return Replacement.objects.create(
        request=case,
        kind=kind,
        component=component,
        old_serial_number=event.old_serial_number,
        new_serial_number=event.new_serial_number,
        replacement_number=event.replacement_number or 0,
        fee_amount=event.fee_amount or Decimal(0),
        fee_currency=event.fee_currency,
        recorded_at=event.occurred_at,
        recorded_by=by,
    )


def case_replace_component(
    *,
    case: RepairRequest,
    by: Any,
    component: Component,
    new_serial_number: str = "",
    part_model: ProductModel | None = None,
    note: str = "",
    expected_status: str | None = S.REPLACING,
) -> Replacement:
    """A covered part replaced under the plan (a Mavic 2's gimbal, a battery — FAQ 4, 7): it
    uses replacement n of N for its fee; a gimbal only by one of the same model (FAQ 5)."""
    _require(by, lifecycle.REPLACE)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        _require_status(locked, S.REPLACING)
        if Replacement.objects.filter(request=locked).exists():
            raise CaseWorkError("replacement_recorded")
        plan = _case_plan(locked)
        if plan is None or locked.device_id is None:
            raise CaseWorkError("no_plan_replacement")
        event = component_replacement_grant(
            plan=plan,
            component=component,
            new_serial_number=new_serial_number,
            part_model=part_model,
            reason=note,
            case_number=str(locked.case_number),
            replaced_device_id=locked.device_id,
        )
        replacement = _replacement_record(
            locked, event, by, ReplacementKind.COMPONENT, component=component
        )
        with customer_language(locked):
            note = gettext(
                "The %(component)s of your product is replaced under your plan (replacement "
                "%(number)s of %(allowed)s)."
            ) % {
                "component": component.name,
                "number": event.replacement_number,
                "allowed": plan.replacements_allowed,
            }
        case_event_record(case=locked, by=by, kind=EventKind.NOTE, note=note, customer_visible=True)
    return replacement


def case_replacement_done(
    *, case: RepairRequest, by: Any, expected_status: str | None = S.REPLACING
) -> CaseEvent:
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        event = case_transition(case=locked, to=S.QUALITY_CHECK, by=by)
    _status_now(case, locked)
    return event


# --- Quality check, shipping, closing ---------------------------------------------------------


def case_quality_check(
    *,
    case: RepairRequest,
    by: Any,
    passed: bool,
    note: str = "",
    expected_status: str | None = S.QUALITY_CHECK,
) -> CaseEvent:
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        target = S.READY_TO_SHIP if passed else S.REPAIRING
        event = case_transition(case=locked, to=target, by=by, note=note)
    _status_now(case, locked)
    return event


def case_return_ready(
    *, case: RepairRequest, by: Any, expected_status: str | None = S.RETURNING_UNREPAIRED
) -> CaseEvent:
    """A unit going back unrepaired is ready once the evaluation fee is paid."""
    # The lock, the status the page showed and the move: one read of the case's row.
    return case_transition(case=case, to=S.READY_TO_SHIP, by=by, expected_status=expected_status)


def case_ship(
    *,
    case: RepairRequest,
    by: Any,
    tracking_number: str = "",
    carrier: str = "",
    expected_status: str | None = S.READY_TO_SHIP,
) -> ReturnShipment:
    """Ships the unit back through the centre's carrier (`repairs.carriers`): the tracking
    number typed by staff (from a label printed elsewhere; its format and check digit checked by
    the carrier) or, left empty, the next one the carrier issues; the outbound label (PDF, ZPL)
    is made under it for staff to print; the case is marked shipped, and the customer's e-mail
    and case page carry the tracking number and the carrier's tracking link.

    `carrier` is the name told to the customer, by default the centre's carrier's. Refusals
    (`tracking_number`, `tracking_numbers_exhausted`, the status) change nothing."""
    _require(by, lifecycle.SHIP)
    # Checked before a tracking number is issued (a number issued and unused is a gap); checked
    # again under the case's lock below.
    _require_status(RepairRequest.objects.only("status").get(pk=case.pk), S.READY_TO_SHIP)
    account, label = _outbound_label(case, tracking_number)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        _require_status(locked, S.READY_TO_SHIP)
        shipment = _shipment_record(locked, by, account, label, carrier)
        case_transition(case=locked, to=S.SHIPPED, by=by)
    _status_now(case, locked)
    return shipment


def _outbound_label(case: RepairRequest, tracking_number: str) -> tuple[Any, Any]:
    """The centre's carrier and the outbound label under the typed tracking number (checked by
    the carrier) or the next one it issues. Drawn outside any transaction: the case's lock is
    held for the writes only."""
    account = carrier_for(case.repair_centre)
    typed = tracking_number.strip()
    try:
        if typed:
            number = account.tracking_number_clean(typed)
            if tracking_number_in_use(number):
                # Audit: the customer's return label, scanned on the very box, gave a 500.
                raise CaseWorkError("tracking_number_in_use")
        elif account.issues_numbers:
            number = account.tracking_number_issue()
        else:
            raise CaseWorkError("tracking_number_needed")
    except TrackingNumberInvalid as refusal:
        raise CaseWorkError("tracking_number", str(refusal.message)) from refusal
    except TrackingNumbersExhausted as refusal:
        raise CaseWorkError("tracking_numbers_exhausted") from refusal
    label = account.label_create(parcel_of(case, ParcelDirection.OUTBOUND), tracking_number=number)
    return account, label


def _shipment_record(
    locked: RepairRequest, by: Any, account: Any, label: Any, carrier: str = ""
) -> ReturnShipment:
    label_record(case=locked, direction=ParcelDirection.OUTBOUND, carrier=account, label=label)
    return ReturnShipment.objects.create(
        request=locked,
        carrier=carrier.strip() or label.carrier_name,
        tracking_number=label.tracking_number,
        tracking_url=label.tracking_url,
        shipped_at=timezone.now(),
        shipped_by=by,
    )


# --- Express: the replacement ships ahead, the damaged unit comes back ------------------------


def case_express_ship(
    *,
    case: RepairRequest,
    by: Any,
    new_serial_number: str,
    tracking_number: str = "",
    note: str = "",
    expected_status: str | None = S.REPLACING,
) -> ReturnShipment:
    """Seed 001, « DJI Care Refresh Express »: once the Express fee is paid, the replacement
    unit (same model, in no one's account) ships before the damaged unit arrives. The plan
    moves to the new serial number now (FAQ 3, « Le numéro de série du produit remplacé sera
    mis à jour automatiquement »), the new unit takes the old one's place in My products, and
    the damaged unit is due back by the deadline (`repairs.express`). One move, one e-mail:
    the new unit, the tracking number, and the date to send the damaged unit back by."""
    from aftersales.repairs import express

    _require(by, lifecycle.SHIP)
    current = RepairRequest.objects.only("status", "express_requested").get(pk=case.pk)
    _require_status(current, S.REPLACING)
    if not current.express_requested:
        raise CaseWorkError("wrong_status", current=RequestStatus(current.status).label)
    refusal = replacement_unit_check(case, new_serial_number)
    if refusal is not None:
        raise CaseWorkError("replacement_unit", refusal)
    account, label = _outbound_label(case, tracking_number)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        _require_status(locked, S.REPLACING)
        replacement, told = _unit_replace(locked, by, new_serial_number, note)
        shipment = _shipment_record(locked, by, account, label)
        owed = express.express_return_open(
            case=locked,
            serial_number=replacement.old_serial_number or case_serial_number(locked),
            shipped_at=shipment.shipped_at,
        )
        with customer_language(locked):
            told = " ".join([told, express.deadline_text(owed)])
        case_transition(case=locked, to=S.EXPRESS_SHIPPED, by=by, note=told, visible_note=True)
    _status_now(case, locked)
    return shipment


def express_charge(*, case: RepairRequest, by: Any, amount: Decimal, note: str = "") -> Payment:
    """An agent charges the difference of a flagged Express case (the damaged unit not back in
    time, another unit, no battery): a payment due, paid like any other (transfer reference,
    counter, online), and the flag dealt with. FAQ 3: no liability assessment, only what
    came back."""
    from aftersales.repairs import express

    _require(by, lifecycle.PAY)
    if amount <= 0:
        raise CaseWorkError("payment_amount", gettext("Enter the amount to charge."))
    with transaction.atomic():
        locked = lifecycle.case_lock(case, None)
        owed = _flag_open(locked)
        if locked.payments.filter(purpose=PaymentPurpose.EXPRESS_CHARGE).exists():
            raise CaseWorkError("express_charged")
        payment = Payment.objects.create(
            request=locked,
            purpose=PaymentPurpose.EXPRESS_CHARGE,
            amount=_money(amount),
            currency=express.charge_currency(),
        )
        _flag_resolve(owed, by, ExpressResolution.CHARGED, note)
        with customer_language(locked):
            told = gettext(
                "Express: %(reasons)s. We charge you the difference of %(amount)s: pay it from "
                "your case page."
            ) % {
                "reasons": ", ".join(owed.flag_labels),
                "amount": Money(amount=payment.amount, currency=payment.currency),
            }
        case_event_record(
            case=locked, by=by, kind=EventKind.PAYMENT, note=told, customer_visible=True
        )
        if note.strip():
            case_note_add(case=locked, by=by, text=note.strip(), customer_visible=False)
    return payment


def express_clear(*, case: RepairRequest, by: Any, note: str) -> ExpressReturn:
    """An agent clears a flagged Express case without charging (the unit arrived late but whole,
    the carrier lost it…), with why: an internal note."""
    _require(by, lifecycle.PAY)
    if not note.strip():
        raise CaseWorkError("note_empty", gettext("Write the note first."))
    with transaction.atomic():
        locked = lifecycle.case_lock(case, None)
        owed = _flag_open(locked)
        _flag_resolve(owed, by, ExpressResolution.CLEARED, note)
        case_note_add(
            case=locked,
            by=by,
            text=gettext("Express flag cleared: %(note)s") % {"note": note.strip()},
            customer_visible=False,
        )
    return owed


def _flag_open(locked: RepairRequest) -> ExpressReturn:
    owed = ExpressReturn.objects.select_for_update().filter(request=locked).first()
    if owed is None or not owed.flag_open:
        raise CaseWorkError("express_not_flagged")
    return owed


def _flag_resolve(owed: ExpressReturn, by: Any, resolution: str, note: str) -> None:
    owed.resolution = resolution
    owed.resolved_at = timezone.now()
    owed.resolved_by = by
    owed.resolution_note = note.strip()
    owed.save(update_fields=["resolution", "resolved_at", "resolved_by", "resolution_note"])


def case_close(
    *, case: RepairRequest, by: Any, expected_status: str | None = S.SHIPPED
) -> CaseEvent:
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        event = case_transition(case=locked, to=S.CLOSED, by=by)
    _status_now(case, locked)
    return event


# --- Holds, cancellations, notes ------------------------------------------------------------------


def case_hold(
    *,
    case: RepairRequest,
    by: Any,
    reason: str,
    note: str = "",
    expected_status: str | None = None,
) -> CaseEvent:
    if reason not in HoldReason.values:
        raise CaseWorkError("hold_reason", gettext("Choose why the case is on hold."))
    # The lock, the status the page showed and the move: one read of the case's row.
    return case_transition(
        case=case, to=S.ON_HOLD, by=by, note=note, reason=reason, expected_status=expected_status
    )


def case_resume(
    *, case: RepairRequest, by: Any, note: str = "", expected_status: str | None = S.ON_HOLD
) -> CaseEvent:
    # The lock, the status the page showed and the move: one read of the case's row.
    return case_transition(
        case=case, to=lifecycle.RESUME, by=by, note=note, expected_status=expected_status
    )


def case_cancel(
    *, case: RepairRequest, by: Any, note: str = "", expected_status: str | None = None
) -> CaseEvent:
    """Before the parcel arrives the case is cancelled; once the unit is in the workshop it is
    sent back unrepaired."""
    with transaction.atomic():
        locked = lifecycle.case_lock(case, expected_status)
        before_parcel = locked.status == S.SUBMITTED or (
            locked.express_requested and locked.status == S.AWAITING_PAYMENT
        )
        target = S.CANCELLED if before_parcel else S.RETURNING_UNREPAIRED
        event = case_transition(case=locked, to=target, by=by, note=note, visible_note=True)
    _status_now(case, locked)
    return event


def case_note(*, case: RepairRequest, by: Any, text: str, public: bool = False) -> CaseEvent:
    """A note on the timeline: internal (staff only) or public (the customer reads it and is
    e-mailed)."""
    _require(by, lifecycle.ANNOTATE)
    text = text.strip()
    if not text:
        raise CaseWorkError("note_empty", gettext("Write the note first."))
    with transaction.atomic():
        locked = lifecycle.case_lock(case, None)
        return case_note_add(case=locked, by=by, text=text, customer_visible=public)


# --- Parcels: the return label, carrier investigations ---------------------------------------


def return_label_send_again(*, case: RepairRequest, by: Any) -> None:
    """Queues the return label's task again for a case whose customer has heard nothing (the
    "Return labels late" queue): after a centre's range of numbers was renewed, a mail server
    came back… The task sends at most one e-mail per case, however often it is queued."""
    from aftersales.repairs.tasks import send_return_label

    _require(by, lifecycle.RECEIVE)
    with transaction.atomic():
        locked = lifecycle.case_lock(case, None)
        _require_status(locked, S.SUBMITTED)
        if locked.return_label_sent_at is not None:
            raise CaseWorkError("return_label_sent")
        send_return_label.enqueue(request_id=locked.pk)


def _parcel_tracking(case: RepairRequest, direction: str) -> str:
    """The tracking number of the case's parcel going `direction`, if one is known."""
    if direction == ParcelDirection.OUTBOUND:
        shipment = ReturnShipment.objects.filter(request=case).first()
        if shipment is not None:
            return shipment.tracking_number
    label = ParcelLabel.objects.filter(request=case, direction=direction).first()
    return label.tracking_number if label is not None else ""


def investigation_open(
    *,
    case: RepairRequest,
    by: Any,
    direction: str,
    tracking_number: str = "",
    carrier_reference: str = "",
    note: str = "",
) -> CarrierInvestigation:
    """Records that the carrier investigates a lost parcel (guide: « En cas de perte du colis,
    veuillez contacter le service client DJI dès que possible. Le temps nécessaire à UPS pour
    enquêter au sujet du colis perdu est soumis au contrat de service… »). Its deadline is the
    carrier contract's business days in the centre's calendar. One open investigation per
    parcel. The tracking number is the parcel's, or one typed (checked by the carrier)."""
    _require(by, lifecycle.INVESTIGATE)
    if direction not in ParcelDirection.values:
        raise CaseWorkError("no_parcel")
    with transaction.atomic():
        locked = lifecycle.case_lock(case, None)
        number = tracking_number.strip()
        if number:
            try:
                number = carrier_for(locked.repair_centre).tracking_number_clean(number)
            except TrackingNumberInvalid as refusal:
                raise CaseWorkError("tracking_number", str(refusal.message)) from refusal
        else:
            number = _parcel_tracking(locked, direction)
        if not number:
            raise CaseWorkError("no_parcel")
        if CarrierInvestigation.objects.filter(
            request=locked, direction=direction, closed_at=None
        ).exists():
            raise CaseWorkError("investigation_open")
        now = timezone.now()
        centre = locked.repair_centre
        days = centre.investigation_business_days if centre is not None else 8
        calendar = centre.business_calendar() if centre is not None else None
        due_by = calendar.add_business_days(now, days) if calendar else now + timedelta(days=days)
        investigation = CarrierInvestigation.objects.create(
            request=locked,
            direction=direction,
            tracking_number=number,
            carrier_reference=carrier_reference.strip(),
            note=note.strip(),
            opened_at=now,
            opened_by=by,
            due_by=due_by,
        )
        case_note_add(
            case=locked,
            by=by,
            text=gettext("Carrier investigation opened for parcel %(number)s.")
            % {"number": number},
            customer_visible=False,
        )
    return investigation


def investigation_close(
    *, case: RepairRequest, by: Any, investigation_id: int, outcome: str, note: str = ""
) -> CarrierInvestigation:
    """Records how the carrier's investigation ended (found, delivered after all, lost)."""
    _require(by, lifecycle.INVESTIGATE)
    if outcome not in InvestigationOutcome.values:
        raise CaseWorkError("investigation_closed")
    with transaction.atomic():
        locked = lifecycle.case_lock(case, None)
        investigation = (
            CarrierInvestigation.objects.select_for_update()
            .filter(pk=investigation_id, request=locked)
            .first()
        )
        if investigation is None or not investigation.is_open:
            raise CaseWorkError("investigation_closed")
        investigation.closed_at = timezone.now()
        investigation.closed_by = by
        investigation.outcome = outcome
        if note.strip():
            investigation.note = "\n".join(filter(None, [investigation.note, note.strip()]))
        investigation.save(update_fields=["closed_at", "closed_by", "outcome", "note"])
        case_note_add(
            case=locked,
            by=by,
            text=gettext("Carrier investigation of parcel %(number)s closed: %(outcome)s.")
            % {
                "number": investigation.tracking_number,
                "outcome": InvestigationOutcome(outcome).label,
            },
            customer_visible=False,
        )
    return investigation
