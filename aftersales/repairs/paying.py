"""How a customer pays for a case (issue 9): the ways a repair centre offers (settings.PAYMENTS,
through `aftersales.payments`), the bank transfer's structured reference, an online payment
started from the case page, and the provider's notification that settles the payment and
starts the work.

The one rule: a case moves on (to repair, to replacement) only once its payment is settled —
by an agent recording it (`workshop.services.payment_record`) or by the provider's verified
notification (`payment_notification_receive`), never by the customer coming back from the
payment page. Both go through `payment_settle`, which records a payment once."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from aftersales.payments import providers
from aftersales.payments import services as payment_services
from aftersales.payments.choices import AttemptStatus, NotificationOutcome, ProviderCode
from aftersales.payments.errors import PaymentError
from aftersales.payments.models import PaymentAttempt
from aftersales.payments.providers.base import PROBLEM_DISPUTED, PROBLEM_FAILED, Notification
from aftersales.payments.references import reference_compact
from aftersales.plans.money import Money

from .case_numbers import is_case_number
from .choices import EventKind, PaymentMethod, PaymentPurpose, RequestStatus
from .errors import CaseWorkError
from .lifecycle import case_event_record, case_note_add, case_transition
from .models import Payment, RepairRequest
from .pdf import case_language

logger = logging.getLogger(__name__)

S = RequestStatus

# The work a settled payment starts (FAQ 10: the repair or the plan replacement is paid before
# the work starts; seed 001: the Express fee before the replacement ships ahead). An evaluation
# fee lets the unit go back (lifecycle's guard); an Express charge moves nothing.
PAID_MOVES = {
    PaymentPurpose.REPAIR: S.REPAIRING,
    PaymentPurpose.PLAN_FEE: S.REPLACING,
    PaymentPurpose.EXPRESS_FEE: S.REPLACING,
}


# --- The ways to pay ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WaysToPay:
    bank_transfer: bool = False
    counter: bool = False
    online: list[providers.PaymentProvider] = field(default_factory=list)

    def csp_form_action(self) -> list[str]:
        return sorted({origin for item in self.online for origin in item.csp_form_action()})


def ways_to_pay(case: RepairRequest) -> WaysToPay:
    centre = case.repair_centre.name if case.repair_centre_id else ""  # type: ignore[union-attr]
    offered = providers.offered(centre)
    codes = {item.code for item in offered}
    return WaysToPay(
        bank_transfer=ProviderCode.BANK_TRANSFER in codes,
        counter=ProviderCode.COUNTER in codes,
        online=[item for item in offered if item.online],
    )


def case_number_of_transfer_reference(text: str) -> str:
    """The case number a bank transfer's reference names ("RF20 CAS2 6000 00N9 SDAA R" →
    "CAS-2600000-N9SDAA"), or "" when the text is no valid reference of ours: how an agent
    finds the case of a transfer on the bank statement."""
    compact = reference_compact(text)
    body = compact[4:]
    if len(body) != 17 or not body.startswith("CAS"):
        return ""
    number = f"CAS-{body[3:10]}-{body[10:16]}"
    return number if is_case_number(number) else ""


def pending_online(case: RepairRequest) -> dict[str, PaymentAttempt]:
    """The latest online payment still waiting for its provider's confirmation, per purpose:
    one the customer came back from as paid (a payment page left or never finished is no
    payment on its way)."""
    attempts = PaymentAttempt.objects.filter(
        reference=case.case_number, status=AttemptStatus.PENDING, returned_at__isnull=False
    )
    latest: dict[str, PaymentAttempt] = {}
    for attempt in attempts.order_by("created_at", "id"):
        latest[attempt.purpose] = attempt
    return latest


# --- Settling a payment (an agent's record, or the provider's notification) ----------------------


def payment_settle(
    *, case: RepairRequest, payment: Payment, by: Any, method: str, reference: str = ""
) -> bool:
    """Marks `payment` paid, tells the customer, and starts the work it pays for. Both rows are
    locked by the caller (the case first), inside its transaction. False, and nothing
    changed, when the payment was paid already: a payment confirmed twice is recorded once."""
    if payment.paid_at is not None:
        return False
    payment.method = method
    payment.reference = reference[:100]
    payment.paid_at = timezone.now()
    payment.recorded_by = by
    payment.save(update_fields=["method", "reference", "paid_at", "recorded_by"])
    with translation.override(case_language(case)):
        note = gettext("We have received your payment of %(amount)s (%(purpose)s).") % {
            "amount": Money(amount=payment.amount, currency=payment.currency),
            "purpose": payment.get_purpose_display(),
        }
    target = PAID_MOVES.get(PaymentPurpose(payment.purpose))
    if case.status == S.AWAITING_PAYMENT and target is not None:
        # The payment starts the work: one step for the customer, so one event and one
        # e-mail — the move, which says the payment was received.
        case_transition(case=case, to=target, by=by, note=note, visible_note=True)
    else:
        if (
            case.status == S.ON_HOLD
            and case.held_from_status == S.AWAITING_PAYMENT
            and target is not None
        ):
            # Paid while on hold (audit): back from hold, the case goes to the work the
            # payment started, not back to waiting for a payment nobody owes any more.
            case.held_from_status = target
            case.save(update_fields=["held_from_status"])
        case_event_record(
            case=case, by=by, kind=EventKind.PAYMENT, note=note, customer_visible=True
        )
    return True


# --- Paying online ----------------------------------------------------------------------------


def payment_online_start(
    *,
    case: RepairRequest,
    payment_id: int,
    provider_code: str,
    by: Any,
    urls: Callable[[str], tuple[str, str]],
) -> PaymentAttempt:
    """The customer starts paying `payment_id` of their case online: the attempt and the
    provider's payment page to send them to. Refused (CaseWorkError, PaymentError) when the
    payment is not due or the provider is not offered for the case."""
    if case.user_id != getattr(by, "pk", None) or case.status == S.CANCELLED:
        # A cancelled case owes nothing (audit: its Express fee could still be paid online).
        raise CaseWorkError("payment_not_due")
    payment = case.payments.filter(pk=payment_id, paid_at__isnull=True).first()
    if payment is None or payment.amount <= 0:
        raise CaseWorkError("payment_not_due")
    provider = next((p for p in ways_to_pay(case).online if p.code == provider_code), None)
    if provider is None:
        raise PaymentError("provider_not_offered")
    language = case_language(case)
    with translation.override(language):
        description = gettext("%(purpose)s, case %(number)s") % {
            "purpose": payment.get_purpose_display(),
            "number": case.case_number,
        }
    return payment_services.payment_online_start(
        provider=provider,
        reference=case.case_number or "",
        purpose=payment.purpose,
        amount=payment.amount,
        currency=payment.currency,
        description=description,
        urls=urls,
        by=by,
        customer_email=getattr(by, "email", ""),
        language=language,
    )


def payment_notification_receive(
    *, provider_code: str, body: bytes, headers: Mapping[str, str]
) -> str:
    """A provider's notification: verified (NotificationRefused otherwise: nothing recorded),
    recorded once by its event id, and when it confirms a payment started here, the payment is
    settled and the case moves on — all in one transaction, so that a notification sent twice,
    or two at the same instant, settle it once. Returns the outcome ("duplicate" for one
    recorded before)."""
    notification = payment_services.notification_verify(
        provider_code=provider_code, body=body, headers=headers
    )
    with transaction.atomic():
        row = payment_services.notification_record(
            provider_code=provider_code, notification=notification
        )
        if row is None:
            return "duplicate"
        if not notification.paid:
            if notification.problem:
                return _payment_problem(provider_code, notification, row)
            return payment_services.notification_outcome(row, NotificationOutcome.IGNORED)
        attempt, case = _attempt_and_case(provider_code, notification)
        if attempt is None or case is None:
            return payment_services.notification_outcome(row, NotificationOutcome.UNKNOWN_PAYMENT)
        due = (
            case.payments.select_for_update()
            .filter(purpose=attempt.purpose, paid_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        outcome = payment_services.attempt_confirm(
            attempt=attempt, notification=notification, row=row
        )
        if outcome != NotificationOutcome.CONFIRMED:
            return outcome
        if (
            due is not None
            and case.status != S.CANCELLED
            and (due.amount, due.currency) == (attempt.amount, attempt.currency)
        ):
            payment_settle(
                case=case,
                payment=due,
                by=None,
                method=PaymentMethod.ONLINE,
                reference=attempt.provider_id or str(attempt.token),
            )
        else:
            # Paid online although nothing (or another amount) is due now: an agent recorded
            # a transfer meanwhile, the customer paid in two tabs, or cancelled the case
            # while the payment page was open. Staff refund it.
            case_note_add(
                case=case,
                by=None,
                text=gettext(
                    "An online payment of %(amount)s (%(purpose)s, %(id)s) was confirmed, but "
                    "no such payment is due: refund it or apply it by hand."
                )
                % {
                    "amount": Money(amount=attempt.amount, currency=attempt.currency),
                    "purpose": _purpose_label(attempt.purpose),
                    "id": attempt.provider_id,
                },
            )
    return outcome


def _attempt_and_case(
    provider_code: str, notification: Notification
) -> tuple[PaymentAttempt | None, RepairRequest | None]:
    """The attempt a notification is about and its case, the case locked first (as everywhere:
    the case, then its payment, then the attempt); None, logged, for no payment started here."""
    attempt = payment_services.attempt_for(provider_code=provider_code, notification=notification)
    case = (
        RepairRequest.objects.select_for_update().filter(case_number=attempt.reference).first()
        if attempt is not None
        else None
    )
    if attempt is None or case is None:
        logger.warning(
            "Payment notification for no payment started here",
            extra={
                "provider": provider_code,
                "event_id": notification.event_id,
                "event_type": notification.event_type,
            },
        )
    return attempt, case


def _payment_problem(provider_code: str, notification: Notification, row: Any) -> str:
    """News of an online payment of a case (inside the notification's transaction): one that
    was on its way and failed (the attempt is failed, the customer may pay again and is told
    so), or a refund or a dispute made at the provider (staff are told on the case: the money
    the work was started on is gone). Audit: all three were ignored."""
    attempt, case = _attempt_and_case(provider_code, notification)
    if attempt is None or case is None:
        return payment_services.notification_outcome(row, NotificationOutcome.UNKNOWN_PAYMENT)
    amount = Money(amount=attempt.amount, currency=attempt.currency)
    purpose = _purpose_label(attempt.purpose)
    if notification.problem == PROBLEM_FAILED:
        if payment_services.attempt_fail(attempt=attempt):
            with translation.override(case_language(case)):
                text = gettext(
                    "Your online payment of %(amount)s (%(purpose)s) did not go through: "
                    "nothing was taken. You can pay again from your case page."
                ) % {"amount": amount, "purpose": _purpose_label(attempt.purpose)}
            case_note_add(case=case, by=None, text=text, customer_visible=True)
        return payment_services.notification_outcome(row, NotificationOutcome.FAILED, attempt)
    reported = Money(
        amount=notification.amount if notification.amount is not None else attempt.amount,
        currency=notification.currency or attempt.currency,
    )
    if notification.problem == PROBLEM_DISPUTED:
        text = gettext(
            "The payment service reports a dispute of %(reported)s on the online payment of "
            "%(amount)s (%(purpose)s, %(id)s): the customer's bank contests it. Answer it at "
            "the payment service before the work goes on."
        )
    else:
        text = gettext(
            "The payment service reports a refund of %(reported)s on the online payment of "
            "%(amount)s (%(purpose)s, %(id)s): check what the case is still owed."
        )
    text %= {
        "reported": reported,
        "amount": amount,
        "purpose": purpose,
        "id": attempt.provider_payment_id or attempt.provider_id,
    }
    case_note_add(case=case, by=None, text=text)
    return payment_services.notification_outcome(row, NotificationOutcome.REPORTED, attempt)


def _purpose_label(purpose: str) -> str:
    try:
        return str(PaymentPurpose(purpose).label)
    except ValueError:
        return purpose


def attempt_of(case: RepairRequest, token: uuid.UUID) -> PaymentAttempt | None:
    """The customer's own attempt for this case, by the token of the return address."""
    return PaymentAttempt.objects.filter(reference=case.case_number, token=token).first()
