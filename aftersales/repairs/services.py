"""Workflows of the online repair request: start a draft, save a step, send the case.

Views call these; they never write a repair request themselves.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from aftersales.accounts.services import ADDRESS_FIELDS
from aftersales.catalog.models import RepairCentre
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import PlanEvent
from aftersales.plans.selectors import plan_by_reference, plan_for_owner
from aftersales.plans.services import replacement_grant

from . import attachments, coverage, steps
from .case_numbers import case_number_generate
from .choices import (
    ActorKind,
    AttachmentKind,
    PaymentPurpose,
    QuoteOption,
    RequestStatus,
    Shipment,
)
from .errors import CaseIncomplete, CaseRuleError, CaseWorkError, TermsNotAccepted
from .express import express_fee_request
from .lifecycle import case_service_levels_refresh, case_transition
from .models import CaseEvent, Payment, Quote, QuoteAnswer, RepairRequest
from .parcels import return_label_due
from .tasks import send_case_confirmation, send_return_label

CASE_NUMBER_ATTEMPTS = 5


def repair_request_start(*, user: Any) -> RepairRequest:
    """A new draft, or the customer's last one still untouched (not even its zone answered):
    "Make a repair request" is a plain link, and following it again — or another site making
    the browser follow it (audit) — must not pile up empty drafts in My requests."""
    untouched = (
        RepairRequest.objects.filter(
            user=user,
            status=RequestStatus.DRAFT,
            current_step=steps.FIRST.slug,
            zone__isnull=True,
            device__isnull=True,
            product_model__isnull=True,
        )
        .order_by("-pk")
        .first()
    )
    if untouched is not None:
        return untouched
    return RepairRequest.objects.create(user=user, current_step=steps.FIRST.slug)


def repair_request_save_step(
    *,
    repair_request: RepairRequest,
    step: steps.Step | str,
    cleaned_data: dict[str, Any],
    current_step: str | None = None,
) -> RepairRequest:
    """Write what a step's form validated: all of it, or (when the customer leaves a step
    half-filled) the fields that were valid. Uploaded files are stored as attachments.

    Raises ValidationError({field: [...]}) for uploads the storage refused (e.g. too many flight
    logs); everything else is saved before it is raised.
    """
    if isinstance(step, str):
        found = steps.step_get(step)
        if found is None:
            raise ValueError(f"Unknown step: {step!r}")
        step = found
    if not repair_request.is_draft:
        raise ValueError("Only a draft can be changed.")
    changed = [name for name in step.model_fields if name in cleaned_data]
    for name in changed:
        setattr(repair_request, name, cleaned_data[name])
    if current_step is not None:
        repair_request.current_step = current_step
    repair_request.save(update_fields=[*changed, "current_step", "updated_at"])

    errors: dict[str, list[Any]] = {}
    for form_field, kind in step.uploads.items():
        uploaded = cleaned_data.get(form_field)
        for uploaded_file in uploaded if isinstance(uploaded, list) else [uploaded]:
            if not uploaded_file:
                continue
            try:
                attachments.attachment_add(
                    repair_request=repair_request, kind=kind, uploaded_file=uploaded_file
                )
            except ValidationError as error:
                errors.setdefault(form_field, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return repair_request


def repair_request_clear_moot(*, repair_request: RepairRequest) -> list[str]:
    """Forget the answers that an earlier change made moot, so that a case never carries them
    (e.g. accident damage unticked after the analysis was filled in). Drafts keep them until
    submission, so that ticking the box again finds them. The one place for this rule; returns
    the fields it changed (not saved)."""
    r = repair_request
    changed: dict[str, Any] = {}
    # The plan follows the serial number (FAQ 10): the case records the plan bound to it now,
    # whether or not the customer ticked "I have a service plan" (the coverage decision uses
    # it either way, and the case page must not say "no plan" next to "covered by the plan").
    plan = plan_for_owner(r.serial_number, r.user_id) if r.serial_number else None
    if r.plan_id != (plan.pk if plan else None):
        changed["plan"] = plan
    r.plan = plan  # the checks below (Express) read it
    if not steps.has_accident_damage(r):
        changed["accident_cause"] = ""
    if not (steps.analysis_applies(r) and r.data_analysis_requested):
        changed.update(
            data_analysis_requested=False,
            accident_date=None,
            flight_environment="",
            abnormal_condition="",
            flight_account_email="",
            flight_records_synced=False,
            video_url="",
        )
        for attachment in r.attachments.filter(kind=AttachmentKind.FLIGHT_LOG):
            attachments.attachment_remove(attachment=attachment)
    if not (steps.express_applies(r) and r.express_requested):
        changed.update(express_requested=False, express_serial_number="")
    if r.shipment != Shipment.DEFECTIVE_COMPONENT:
        changed["component"] = None
    changed = {
        name: value
        for name, value in changed.items()
        if name == "plan" or getattr(r, name) != value
    }
    for name, value in changed.items():
        setattr(r, name, value)
    return list(changed)


def _address_snapshot(repair_request: RepairRequest) -> dict[str, Any]:
    address = repair_request.return_address
    if address is None:
        return {}
    data: dict[str, Any] = {name: str(getattr(address, name) or "") for name in ADDRESS_FIELDS}
    data["country_name"] = str(address.country.name)
    data["lines"] = [line for line in address.lines if line]
    data["address_id"] = address.pk
    return data


def case_submit(
    *, repair_request: RepairRequest, user: Any, terms_accepted: bool | None = None
) -> RepairRequest:
    """Turn the draft into a case: number, repair centre, return address as sent, coverage
    decision, return label due date; then queue the confirmation (case form PDF by e-mail) and
    the return label (or the news that the case has none).

    Sending twice gives the same case. Raises CaseIncomplete (with the first step lacking an
    answer) or TermsNotAccepted; nothing is changed then.
    """
    with transaction.atomic():
        # The row lock makes a second, simultaneous submission wait and then see the case.
        locked = RepairRequest.objects.select_for_update().get(pk=repair_request.pk, user=user)
        if not locked.is_draft:
            return locked
        changed = repair_request_clear_moot(repair_request=locked)
        incomplete = steps.first_incomplete(locked)
        if incomplete is not None:
            raise CaseIncomplete(incomplete)
        if terms_accepted:
            locked.terms_accepted_at = timezone.now()
        if locked.terms_accepted_at is None:
            raise TermsNotAccepted()

        now = timezone.now()
        language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            decision = coverage.coverage_snapshot(locked)
        locked.status = RequestStatus.SUBMITTED
        locked.status_changed_at = now
        locked.submitted_at = now
        locked.language = language
        locked.repair_centre = (
            RepairCentre.objects.filter(zone_id=locked.zone_id, is_active=True)
            .order_by("name", "pk")
            .first()
        )
        locked.return_address_snapshot = _address_snapshot(locked)
        locked.coverage = decision
        # Guide: within two business days, the label or the news that there is none — in the
        # centre's calendar (its time zone, weekends and public holidays).
        locked.return_label_due_by = return_label_due(centre=locked.repair_centre, submitted_at=now)
        locked.evaluation_fee = Decimal(str(settings.AFTERSALES["EVALUATION_FEE_PER_HOUR"]))
        locked.evaluation_fee_currency = settings.AFTERSALES["EVALUATION_FEE_CURRENCY"]
        fields = [
            *changed,
            "terms_accepted_at",
            "status",
            "status_changed_at",
            "submitted_at",
            "language",
            "repair_centre",
            "return_address_snapshot",
            "coverage",
            "return_label_due_by",
            "evaluation_fee",
            "evaluation_fee_currency",
            "case_number",
            "updated_at",
        ]
        _save_with_case_number(locked, fields)
        # The timeline's first event; its e-mail is the confirmation with the case form.
        first = CaseEvent.objects.create(
            request=locked,
            from_status=RequestStatus.DRAFT,
            status=RequestStatus.SUBMITTED,
            occurred_at=now,  # the case's status date: the queues age it from this move
            actor=user,
            actor_kind=ActorKind.CUSTOMER,
            customer_visible=True,
        )
        # The label's clock starts, and the first estimated return date (issue 9, item 5).
        case_service_levels_refresh(case=locked, event=first, now=now)
        # Seed 001: Express is paid before its replacement ships ahead of the damaged unit.
        express_fee_request(case=locked)
        # Queued in the same transaction: the task exists only if the case does. The PDF is
        # rendered by the worker, not in this request.
        send_case_confirmation.enqueue(request_id=locked.pk)
        send_return_label.enqueue(request_id=locked.pk)
    return locked


def _save_with_case_number(repair_request: RepairRequest, fields: list[str]) -> None:
    for attempt in range(CASE_NUMBER_ATTEMPTS):
        repair_request.case_number = case_number_generate()
        try:
            # A savepoint: a collision rolls back this save only, and a new number is drawn.
            with transaction.atomic():
                repair_request.save(update_fields=fields)
            return
        except IntegrityError:
            if attempt == CASE_NUMBER_ATTEMPTS - 1:
                raise


def case_replacement_grant(
    *,
    plan_reference: uuid.UUID | str,
    case_number: str,
    new_serial_number: str,
    reason: str,
) -> PlanEvent:
    """Grants one of the plan's replacements for the repair case `case_number`: the case must be
    submitted (not a draft, not cancelled) and be about the unit the plan covers now (FAQ 3, 10).
    The plan knows the case by its number only; the unit check is made under the plan's lock.

    Raises PlanNotFound (`plan_unknown`), CaseRuleError (`case_unknown`) or PlanRuleError.
    """
    plan = plan_by_reference(plan_reference)
    case = (
        RepairRequest.objects.exclude(status__in=[RequestStatus.DRAFT, RequestStatus.CANCELLED])
        .filter(case_number=case_number)
        .only("pk", "case_number", "device_id")
        .first()
    )
    if case is None:
        raise CaseRuleError("case_unknown")
    if case.device_id is None:
        # A case filed "by model" names no registered unit: no plan covers it.
        raise PlanRuleError("replaced_unit_not_covered")
    return replacement_grant(
        plan=plan,
        new_serial_number=new_serial_number,
        reason=reason,
        case_number=str(case.case_number),
        replaced_device_id=case.device_id,
    )


# --- The customer's side of a case after submission (issue 8) ---------------------------------

# The payment each answer to a quote makes due (FAQ 10; guide: the evaluation fee).
ANSWER_PAYMENTS = {
    QuoteOption.REPAIR: PaymentPurpose.REPAIR,
    QuoteOption.PLAN_REPLACEMENT: PaymentPurpose.PLAN_FEE,
    QuoteOption.REFUSE: PaymentPurpose.EVALUATION_FEE,
}
# Where each answer moves the case: to be paid before the work starts, or back unrepaired.
ANSWER_TARGETS = {
    QuoteOption.REPAIR: RequestStatus.AWAITING_PAYMENT,
    QuoteOption.PLAN_REPLACEMENT: RequestStatus.AWAITING_PAYMENT,
    QuoteOption.REFUSE: RequestStatus.RETURNING_UNREPAIRED,
}


def quote_answer_refusal(
    *, case: RepairRequest, current: Quote | None, quote_id: int, option: str
) -> CaseWorkError | None:
    """Why the customer cannot answer the quote `quote_id` with `option` now (`current` is the
    case's current quote), or None. The one place for these rules: `quote_answer` checks them
    under the case's lock, the confirmation page before it asks."""
    if current is None or current.pk != quote_id:
        return CaseWorkError("quote_not_current")
    if getattr(current, "answer", None) is not None:
        return CaseWorkError("quote_answered")
    if case.status != RequestStatus.QUOTED:
        return CaseWorkError("wrong_status", current=RequestStatus(case.status).label)
    if timezone.localdate() > current.valid_until:
        return CaseWorkError("quote_expired", date=date_format(current.valid_until, "DATE_FORMAT"))
    offered = current.option(option)
    if offered is None:
        return CaseWorkError("option_not_offered")
    if option == QuoteOption.PLAN_REPLACEMENT and not _plan_replacement_still_free(case, offered):
        # FAQ 1: the contract's replacements are counted; one used since the quote was sent
        # (another part replaced under the plan) cannot be paid for now and refused at the
        # workshop later (audit).
        return CaseWorkError("plan_replacement_used")
    return None


def _plan_replacement_still_free(case: RepairRequest, offered: dict[str, Any]) -> bool:
    """The replacement the quote offered (n of N) is still the plan's next one."""
    plan = case.plan
    if plan is None or plan.replacements_left <= 0:
        return False
    number = offered.get("replacement_number")
    return number is None or int(number) == plan.replacements_used + 1


def quote_answer(*, case: RepairRequest, quote_id: int, option: str, by: Any) -> QuoteAnswer:
    """The customer's answer to the quote they read (`quote_id`): pay the repair, use a plan
    replacement for its fee, or refuse and pay the evaluation fee. One answer per quote; an
    answer to a quote that was revised meanwhile, answered already or expired is refused with
    a message (CaseWorkError), and nothing changes."""
    with transaction.atomic():
        locked = RepairRequest.objects.select_for_update().get(pk=case.pk, user=by)
        current = locked.quotes.filter(superseded_at__isnull=True).select_related("answer").first()
        refusal = quote_answer_refusal(
            case=locked, current=current, quote_id=quote_id, option=option
        )
        if refusal is not None:
            raise refusal
        assert current is not None  # checked by quote_answer_refusal
        offered = current.option(option)
        assert offered is not None
        amount = Decimal(str(offered["amount"]))
        answer = QuoteAnswer.objects.create(
            quote=current,
            option=option,
            amount=amount,
            currency=str(offered["currency"]),
            answered_at=timezone.now(),
            answered_by=by,
        )
        payment = Payment.objects.create(
            request=locked,
            purpose=ANSWER_PAYMENTS[QuoteOption(option)],
            quote=current,
            amount=amount,
            currency=answer.currency,
        )
        if amount == 0:
            # Nothing to pay (a free repair offered as a quote): settled at once.
            payment.paid_at = answer.answered_at
            payment.save(update_fields=["paid_at"])
        case_transition(case=locked, to=ANSWER_TARGETS[QuoteOption(option)], by=by)
        if amount == 0 and option != QuoteOption.REFUSE:
            target = (
                RequestStatus.REPLACING
                if option == QuoteOption.PLAN_REPLACEMENT
                else RequestStatus.REPAIRING
            )
            case_transition(case=locked, to=target, by=None)
    case.status = locked.status
    return answer


def case_cancel_by_customer(*, case: RepairRequest, by: Any) -> None:
    """The customer withdraws a case before sending the parcel (guide: a case that is never
    sent; once the parcel is in, support cancels and the unit goes back)."""
    with transaction.atomic():
        locked = RepairRequest.objects.select_for_update().get(pk=case.pk, user=by)
        case_transition(case=locked, to=RequestStatus.CANCELLED, by=by)
    case.status = RequestStatus.CANCELLED
