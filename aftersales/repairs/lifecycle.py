"""A case's life after « Demande envoyée ! »: the one table of moves, and the one service that
makes them (`case_transition`). Nothing else assigns a case's status (the submission creates the
first one); the workshop's services record what happened (a parcel, an evaluation, a quote…) and
then call `case_transition`, in the same transaction.

Who may make a move is a permission of the repairs app (`RepairRequest.Meta.permissions`), given
to the staff roles by default in migration 0003 and changed by administrators afterwards; the
customer and the system are named as such. A move the table does not allow, or that its guard
refuses, raises `CaseWorkError` with a translated message: never a 500, never a silent change.

    submitted → received → evaluating → repairing (warranty, FAQ 8)
                                      → quoted → awaiting payment → repairing | replacing
                                               → returning unrepaired (refused)
    repairing | replacing → quality check → ready to ship → shipped → closed
    returning unrepaired → ready to ship
    working states ⇄ on hold;  submitted → cancelled
    Express (seed 001; no liability assessed, FAQ 3): submitted → awaiting payment (the plan's
    fee + the Express fee) → replacing → replacement shipped ahead (the plan moves to the new
    unit) → closed once the damaged unit is back whole, or → damaged unit received (flagged:
    another serial number, no battery) → closed once an agent has charged or cleared the flag
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.tasks import task_enqueue_with_transaction

from .choices import ActorKind, EventKind, HoldReason, PaymentPurpose, QuoteOption, RequestStatus
from .errors import CaseWorkError
from .models import CaseEvent, RepairRequest

logger = logging.getLogger(__name__)

S = RequestStatus

# Who may make a move besides staff holding a permission.
CUSTOMER = "customer"
SYSTEM = "system"
# The target of "back from hold": the status the case was put on hold from.
RESUME = "resume"

# Permissions of the repairs app (Meta.permissions), one per kind of work.
RECEIVE = "repairs.receive_parcel"
EVALUATE = "repairs.evaluate_case"
QUOTE = "repairs.send_quote"
PAY = "repairs.record_payment"
REPAIR = "repairs.repair_case"
REPLACE = "repairs.replace_unit"
CHECK = "repairs.check_quality"
SHIP = "repairs.ship_case"
HOLD = "repairs.hold_case"
CANCEL = "repairs.cancel_case"
CLOSE = "repairs.close_case"
ANNOTATE = "repairs.annotate_case"
# Not a move: a carrier investigation of a lost parcel (CarrierInvestigation.Meta.permissions).
INVESTIGATE = "repairs.investigate_parcel"
# Every permission of the repair centre's work: holding one makes a member of the workshop.
STAFF_PERMISSIONS: tuple[str, ...] = (
    RECEIVE,
    EVALUATE,
    QUOTE,
    PAY,
    REPAIR,
    REPLACE,
    CHECK,
    SHIP,
    HOLD,
    CANCEL,
    CLOSE,
    ANNOTATE,
    INVESTIGATE,
)
# The admin's "view case": a role reading cases without working on them (an analyst, an agent).
VIEW_CASES = "repairs.view_repairrequest"

# Where the unit is in the workshop's hands: a case can be put on hold from these.
HOLDABLE = (
    S.RECEIVED,
    S.EVALUATING,
    S.AWAITING_PAYMENT,
    S.REPAIRING,
    S.REPLACING,
    S.RETURNING_UNREPAIRED,
    S.QUALITY_CHECK,
    S.READY_TO_SHIP,
)


# --- Guards: what must be true of the case for a move (a message when it is not) -------------


def _has_reception(case: RepairRequest) -> Any:
    if not hasattr(case, "reception"):
        return _("Record what arrived in the parcel first.")
    return None


def _latest_evaluation(case: RepairRequest) -> Any:
    return case.evaluations.order_by("-evaluated_at", "-id").first()


def _evaluated_under_warranty(case: RepairRequest) -> Any:
    # FAQ 8: a defect under the ordinary warranty is repaired free, without a quote.
    evaluation = _latest_evaluation(case)
    if evaluation is None:
        return _("Record the evaluation first.")
    if evaluation.coverage.get("outcome") != "warranty":
        return _("Only a repair under the warranty starts without a quote.")
    return None


def _has_open_quote(case: RepairRequest) -> Any:
    if not case.quotes.filter(superseded_at__isnull=True, answer__isnull=True).exists():
        return _("Send a quote first.")
    return None


def _express_fee_due(case: RepairRequest) -> Any:
    # Seed 001: « DJI Care Refresh Express … PayPal should be used »: paid before it ships.
    if not case.express_requested:
        return _("Only an Express case waits for its fee before the parcel.")
    if not case.payments.filter(purpose=PaymentPurpose.EXPRESS_FEE).exists():
        return _("The Express fee is not due on this case.")
    return None


def _express_return(case: RepairRequest) -> Any:
    return getattr(case, "express_return", None) if case.express_requested else None


def _express_shipped_ahead(case: RepairRequest) -> Any:
    # FAQ 3: « … le remplacement vous sera envoyé plus rapidement »: before the damaged unit.
    if not case.express_requested:
        return _("Only an Express case ships its replacement before the damaged unit arrives.")
    if not case.replacements.exists() or not hasattr(case, "return_shipment"):
        return _("Record the new unit and the tracking number first.")
    return None


def _express_unit_back_whole(case: RepairRequest) -> Any:
    # The damaged unit came back as it should (its serial number, its battery), or an agent
    # dealt with what did not: charged the difference or cleared the flag.
    express = _express_return(case)
    if express is None:
        return _("Only an Express case is closed this way.")
    if express.flag_open:
        return _("Charge the difference or clear the flag first.")
    if not hasattr(case, "reception") and express.resolved_at is None:
        return _("The damaged unit has not come back yet.")
    return None


def _express_flag_raised(case: RepairRequest) -> Any:
    express = _express_return(case)
    if express is None or not hasattr(case, "reception"):
        return _("Record what arrived in the parcel first.")
    return None


def _answer_is(*options: str) -> Callable[[RepairRequest], Any]:
    def guard(case: RepairRequest) -> Any:
        quote = case.quotes.filter(superseded_at__isnull=True).select_related("answer").first()
        answer = getattr(quote, "answer", None) if quote else None
        if answer is None or answer.option not in options:
            return _("The customer has not given this answer to the quote.")
        return None

    return guard


def _paid(*purposes: str) -> Callable[[RepairRequest], Any]:
    def guard(case: RepairRequest) -> Any:
        if not case.payments.filter(purpose__in=purposes, paid_at__isnull=False).exists():
            return _("The payment has not been recorded yet.")
        return None

    return guard


def _replacement_recorded(case: RepairRequest) -> Any:
    if case.express_requested:
        return _("An Express replacement ships ahead of the damaged unit, without final checks.")
    if not case.replacements.exists():
        return _("Record the replacement first.")
    return None


def _evaluation_fee_settled(case: RepairRequest) -> Any:
    # Guide: « DJI peut facturer des frais d'évaluation … si vous refusez de réparer »: the
    # unit goes back once the fee is paid (or when none is owed).
    unpaid = case.payments.filter(purpose=PaymentPurpose.EVALUATION_FEE, paid_at__isnull=True)
    if unpaid.exists():
        return _("The evaluation fee has not been paid yet.")
    return None


def _express_unpaid(case: RepairRequest) -> Any:
    if not case.express_requested:
        return _("Once the work is paid for, the case can no longer be cancelled.")
    if case.payments.filter(paid_at__isnull=False).exists():
        return _("Once the work is paid for, the case can no longer be cancelled.")
    return None


def _has_return_shipment(case: RepairRequest) -> Any:
    if not hasattr(case, "return_shipment"):
        return _("Record the carrier and the tracking number first.")
    return None


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    # CUSTOMER, SYSTEM or a permission; any of them may make the move.
    by: tuple[str, ...]
    # The customer sees it on the case page and gets its e-mail.
    visible: bool = True
    guard: Callable[[RepairRequest], Any] | None = None


MOVES: tuple[Move, ...] = (
    # Guide: « Une fois votre dossier référencé dans nos ateliers vous serez automatiquement
    # notifié par e-mail ».
    Move((S.SUBMITTED,), S.RECEIVED, (RECEIVE,), guard=_has_reception),
    Move((S.RECEIVED,), S.EVALUATING, (EVALUATE,)),
    Move((S.EVALUATING,), S.REPAIRING, (EVALUATE,), guard=_evaluated_under_warranty),
    # FAQ 3, 10: the repair centre evaluates the product and sends a quote.
    Move((S.EVALUATING,), S.QUOTED, (QUOTE,), guard=_has_open_quote),
    # FAQ 10: « … faire réparer l'appareil au prix indiqué ou remplacer l'appareil avec DJI
    # Care Refresh »; both are paid before the work starts.
    Move(
        (S.QUOTED,),
        S.AWAITING_PAYMENT,
        (CUSTOMER,),
        guard=_answer_is(QuoteOption.REPAIR, QuoteOption.PLAN_REPLACEMENT),
    ),
    Move((S.QUOTED,), S.RETURNING_UNREPAIRED, (CUSTOMER,), guard=_answer_is(QuoteOption.REFUSE)),
    Move(
        (S.AWAITING_PAYMENT,),
        S.REPAIRING,
        (PAY, SYSTEM),
        guard=_paid(PaymentPurpose.REPAIR),
    ),
    # FAQ 10's plan fee after a quote; Express: the plan's fee and the Express fee, one payment.
    Move(
        (S.AWAITING_PAYMENT,),
        S.REPLACING,
        (PAY, SYSTEM),
        guard=_paid(PaymentPurpose.PLAN_FEE, PaymentPurpose.EXPRESS_FEE),
    ),
    Move((S.REPAIRING,), S.QUALITY_CHECK, (REPAIR,)),
    Move((S.REPLACING,), S.QUALITY_CHECK, (REPLACE,), guard=_replacement_recorded),
    Move((S.QUALITY_CHECK,), S.READY_TO_SHIP, (CHECK,)),
    # A failed check goes back to the bench; the customer is not told of every retry.
    Move((S.QUALITY_CHECK,), S.REPAIRING, (CHECK,), visible=False),
    Move((S.RETURNING_UNREPAIRED,), S.READY_TO_SHIP, (SHIP,), guard=_evaluation_fee_settled),
    Move((S.READY_TO_SHIP,), S.SHIPPED, (SHIP,), guard=_has_return_shipment),
    Move((S.SHIPPED,), S.CLOSED, (CLOSE, SYSTEM)),
    # Express (seed 001; FAQ 3, no liability assessed): the fee is due at submission (the
    # confirmation says so: no e-mail of its own), the replacement ships ahead of the damaged
    # unit, which reception scans when it comes back: whole, the case closes; with another
    # serial number or without its battery, it is flagged for an agent, who charges the
    # difference or clears the flag (as when it does not come back by the deadline).
    Move((S.SUBMITTED,), S.AWAITING_PAYMENT, (SYSTEM,), visible=False, guard=_express_fee_due),
    Move((S.REPLACING,), S.EXPRESS_SHIPPED, (SHIP,), guard=_express_shipped_ahead),
    Move((S.EXPRESS_SHIPPED,), S.CLOSED, (RECEIVE, CLOSE), guard=_express_unit_back_whole),
    Move((S.EXPRESS_SHIPPED,), S.EXPRESS_RETURNED, (RECEIVE,), guard=_express_flag_raised),
    Move((S.EXPRESS_RETURNED,), S.CLOSED, (CLOSE, SYSTEM), guard=_express_unit_back_whole),
    # Before paying the Express fee the customer may still withdraw.
    Move((S.AWAITING_PAYMENT,), S.CANCELLED, (CUSTOMER, CANCEL), guard=_express_unpaid),
    Move(HOLDABLE, S.ON_HOLD, (HOLD,)),
    Move((S.ON_HOLD,), RESUME, (HOLD,)),
    # Before the parcel arrives the customer may withdraw; afterwards the unit goes back.
    Move((S.SUBMITTED,), S.CANCELLED, (CUSTOMER, CANCEL)),
    Move((S.RECEIVED, S.EVALUATING, S.QUOTED), S.RETURNING_UNREPAIRED, (CANCEL,)),
)


def moves_from(status: str) -> list[Move]:
    return [move for move in MOVES if status in move.sources]


def _move_for(
    status: str, target: str, by: Any = None, case: RepairRequest | None = None
) -> Move | None:
    """The move from `status` to `target`; when several lead there (a quote refused by the
    customer, a case cancelled by an agent), the one `by` may make."""
    moves = [move for move in MOVES if status in move.sources and move.target == target]
    if case is not None:
        mine = [move for move in moves if may(by, case, move)]
        if mine:
            return mine[0]
    return moves[0] if moves else None


# --- Who is acting ----------------------------------------------------------------------------


def actor_kind_of(case: RepairRequest, by: Any) -> str:
    if by is None:
        return ActorKind.SYSTEM
    if by.pk == case.user_id and not by.is_staff:
        return ActorKind.CUSTOMER
    return ActorKind.STAFF


def may(by: Any, case: RepairRequest, move: Move) -> bool:
    """Whether `by` (a user, or None for the system) may make `move` on `case`."""
    kind = actor_kind_of(case, by)
    if kind == ActorKind.SYSTEM:
        return SYSTEM in move.by
    if kind == ActorKind.CUSTOMER:
        return CUSTOMER in move.by
    return any(perm not in (CUSTOMER, SYSTEM) and by.has_perm(perm) for perm in move.by)


def staff_may(by: Any, permission: str) -> bool:
    """For the workshop's records that are not moves (notes, parts, payments…)."""
    return bool(by is not None and by.is_active and by.is_staff and by.has_perm(permission))


def staff_reads_cases(by: Any) -> bool:
    """Staff whose role reads any case with what the customer sent and its documents (uploads,
    the case form, labels): one of the workshop's permissions or the admin's "view case". A
    staff account without a role reads none (audit: `is_staff` alone opened every file)."""
    return staff_may(by, VIEW_CASES) or any(staff_may(by, perm) for perm in STAFF_PERMISSIONS)


def allowed_targets(case: RepairRequest, by: Any) -> list[str]:
    """The statuses `by` may move the case to now (guards not checked): the workshop's
    buttons."""
    return [move.target for move in moves_from(case.status) if may(by, case, move)]


# --- The one service --------------------------------------------------------------------------


def case_lock(case: RepairRequest, expected_status: str | None = None) -> RepairRequest:
    """The case's row, locked until the caller's transaction ends (its row alone; its centre,
    for the calendar and targets, read with it). Refused with `case_moved` when the worker's
    page showed another status than the one read under the lock: someone moved the case
    meanwhile."""
    locked = (
        RepairRequest.objects.select_for_update(of=("self",))
        .select_related("repair_centre")
        .get(pk=case.pk)
    )
    if expected_status is not None and locked.status != expected_status:
        raise CaseWorkError("case_moved", current=RequestStatus(locked.status).label)
    return locked


def case_transition(
    *,
    case: RepairRequest,
    to: str,
    by: Any,
    note: str = "",
    visible_note: bool = False,
    reason: str = "",
    expected_status: str | None = None,
) -> CaseEvent:
    """Moves `case` to `to` for `by` (a user, or None for the system) and writes the timeline
    event. Locks the case's row; inside the caller's transaction when there is one, so that a
    record (a reception, an answer) and the move commit together. `expected_status`: the status
    the worker's page showed; another one, read under the lock, refuses with `case_moved`
    (someone moved the case meanwhile) — a move that records nothing else needs no lock of its
    own before this one.

    `note` is shown to the customer with the move when `visible_note`, else kept as an
    internal note beside it; `reason` is the hold reason when `to` is on hold. A
    customer-visible move's e-mail is queued once the transaction commits. Raises
    CaseWorkError when the table or a guard refuses.
    """
    with transaction.atomic():
        locked = case_lock(case, expected_status)
        source = locked.status
        move = _move_for(source, to, by, locked)
        if move is None:
            raise CaseWorkError(
                "transition_not_allowed",
                current=RequestStatus(source).label,
                target=target_label(to),
            )
        if not may(by, locked, move):
            raise CaseWorkError("transition_not_permitted", target=target_label(to))
        if move.guard is not None:
            refusal = move.guard(locked)
            if refusal is not None:
                raise CaseWorkError("transition_guard", str(refusal))

        target = locked.held_from_status if to == RESUME else to
        if not target:
            raise CaseWorkError(
                "transition_not_allowed",
                current=RequestStatus(source).label,
                target=target_label(to),
            )
        now = timezone.now()
        fields = ["status", "status_changed_at", "updated_at"]
        if target == S.ON_HOLD:
            locked.hold_reason = reason or HoldReason.OTHER
            locked.held_from_status = source
            fields += ["hold_reason", "held_from_status"]
        elif source == S.ON_HOLD:
            locked.hold_reason = ""
            locked.held_from_status = ""
            fields += ["hold_reason", "held_from_status"]
        locked.status = target
        locked.status_changed_at = now
        # A note meant for staff never rides on a move the customer reads: it becomes an
        # internal note of its own.
        public_note = note if (visible_note or not move.visible) else ""
        event = CaseEvent.objects.create(
            request=locked,
            kind=EventKind.STATUS,
            from_status=source,
            status=target,
            occurred_at=now,
            actor=by,
            actor_kind=actor_kind_of(locked, by),
            note=public_note,
            customer_visible=move.visible,
            hold_reason=locked.hold_reason if target == S.ON_HOLD else "",
        )
        # Issue 9, item 5: the clocks and the estimated return date, derived from the timeline
        # again with this move, before its e-mail (which tells the estimate) is queued; then
        # the row written once with all of it (each write of a case's status rewrites every
        # index of the table: one write, not two).
        case_service_levels_refresh(case=locked, event=event, now=now, save=False)
        locked.save(update_fields=[*fields, "sla_due_at", "estimated_return_on"])
        if note and not public_note:
            case_note_add(case=locked, by=by, text=note, customer_visible=False)
        if move.visible:
            _queue_event_email(event)
    logger.info(
        "Case moved",
        extra={
            "case_number": locked.case_number,
            "from": source,
            "to": target,
            "by": getattr(by, "pk", None),
        },
    )
    case.status = target
    case.status_changed_at = locked.status_changed_at
    case.hold_reason, case.held_from_status = locked.hold_reason, locked.held_from_status
    case.sla_due_at, case.estimated_return_on = locked.sla_due_at, locked.estimated_return_on
    return event


def case_service_levels_refresh(
    *, case: RepairRequest, event: CaseEvent | None, now: Any = None, save: bool = True
) -> None:
    """The case's service level clocks (`sla.py`) and its estimated return date
    (`estimates.py`), derived again from its timeline; in the caller's transaction, the case's
    row locked. `event`: the move the estimate is told with. `save=False`: set on `case` only,
    for a caller that writes its row anyway."""
    from . import estimates, sla

    sla.case_sla_refresh(case=case, now=now, save=False)
    estimates.estimate_record(case=case, event=event, now=now)
    if save:
        # Both kept on the case's row in one write.
        RepairRequest.objects.filter(pk=case.pk).update(
            sla_due_at=case.sla_due_at, estimated_return_on=case.estimated_return_on
        )


def case_note_add(
    *, case: RepairRequest, by: Any, text: str, customer_visible: bool = False
) -> CaseEvent:
    """A note on the timeline: internal (staff only) or public (the customer sees it and is
    e-mailed)."""
    event = CaseEvent.objects.create(
        request=case,
        kind=EventKind.NOTE,
        status=case.status,
        actor=by,
        actor_kind=actor_kind_of(case, by),
        note=text,
        customer_visible=customer_visible,
    )
    if customer_visible:
        _queue_event_email(event)
    return event


def case_event_record(
    *, case: RepairRequest, by: Any, kind: str, note: str, customer_visible: bool
) -> CaseEvent:
    """A record of the timeline that is not a move (a quote sent or revised, a payment)."""
    event = CaseEvent.objects.create(
        request=case,
        kind=kind,
        status=case.status,
        actor=by,
        actor_kind=actor_kind_of(case, by),
        note=note,
        customer_visible=customer_visible,
    )
    if customer_visible:
        _queue_event_email(event)
    return event


def target_label(to: str) -> str:
    if to == RESUME:
        return str(_("back from hold"))
    try:
        return str(RequestStatus(to).label)
    except ValueError:
        return to


def _queue_event_email(event: CaseEvent) -> None:
    """The customer's e-mail of a visible event, queued with the transaction (never for a move
    that was rolled back); the task renders it in the customer's language."""
    from .tasks import send_case_event_email

    task_enqueue_with_transaction(send_case_event_email, event_id=event.pk)
