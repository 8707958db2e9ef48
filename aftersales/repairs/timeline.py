"""The case's timeline in the customer's words: what each visible event says on the case page
and in its e-mail. Staff read the same events with who did what and the internal notes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import EventKind, HoldReason, RequestStatus
from .models import CaseEvent

S = RequestStatus

# What the customer is told when the case enters a status.
STATUS_TEXTS: dict[str, Any] = {
    S.SUBMITTED: _("Your repair request has been submitted."),
    # Guide: « Une fois votre dossier référencé dans nos ateliers vous serez automatiquement
    # notifié par e-mail »; the words: « votre colis a été enregistré ».
    S.RECEIVED: _("Your parcel has been registered at our workshop."),
    S.EVALUATING: _("A technician is evaluating your product."),
    # FAQ 3: « … vous enverra un devis une fois l'évaluation des dommages terminée ».
    S.QUOTED: _(
        "We have evaluated your product and sent you a quote. Choose how to go on from your "
        "case page."
    ),
    S.AWAITING_PAYMENT: _("We are waiting for your payment; the work starts once it is received."),
    S.REPAIRING: _("Your product is being repaired."),
    S.REPLACING: _("Your product is being replaced under your plan."),
    S.RETURNING_UNREPAIRED: _("Your product will be sent back to you unrepaired."),
    S.QUALITY_CHECK: _("Your product is going through its final checks."),
    S.READY_TO_SHIP: _("Your product is ready to be shipped back to you."),
    S.SHIPPED: _("Your product has been shipped back to you."),
    S.CLOSED: _("Your case is closed."),
    S.ON_HOLD: _("Your case is on hold."),
    S.CANCELLED: _("Your case has been cancelled."),
    S.EXPRESS_SHIPPED: _("Your Express replacement has been shipped to you."),
    S.EXPRESS_RETURNED: _("We have received the unit you sent back."),
}

# Express (seed 001): the same statuses mean other things when the replacement ships first.
EXPRESS_STATUS_TEXTS: dict[str, Any] = {
    S.AWAITING_PAYMENT: _("We are waiting for your Express payment."),
    S.REPLACING: _("Your Express payment is received: your replacement unit is being prepared."),
}

HOLD_TEXTS: dict[str, Any] = {
    HoldReason.WAITING_FOR_PARTS: _("Your case is on hold: we are waiting for parts."),
    HoldReason.WAITING_FOR_CUSTOMER: _("Your case is on hold: we are waiting for your answer."),
}


def event_text(event: CaseEvent, hold_reason: str = "", express: bool = False) -> str:
    """The sentence the customer reads for a visible event (`express`: of an Express case)."""
    if event.kind == EventKind.STATUS:
        if express and event.status in EXPRESS_STATUS_TEXTS:
            return str(EXPRESS_STATUS_TEXTS[event.status])
        if event.status == S.ON_HOLD and hold_reason in HOLD_TEXTS:
            return str(HOLD_TEXTS[hold_reason])
        if event.from_status == S.ON_HOLD:
            return str(
                _("Work on your case has resumed: %(status)s")
                % {"status": RequestStatus(event.status).label}
            )
        return str(STATUS_TEXTS.get(event.status, RequestStatus(event.status).label))
    return event.note


# --- Where the case stands, for the customer ---------------------------------------------------

# What happens next, or what we wait for from the customer, in each status.
NEXT_TEXTS: dict[str, Any] = {
    # Guide, « Demande envoyée ! »: print the case form, put it in the parcel, send it in time.
    S.SUBMITTED: _(
        "Print your case form, put it in the parcel and send it to the repair centre. We will "
        "e-mail you as soon as it is registered at our workshop."
    ),
    S.RECEIVED: _("A technician will examine your product and evaluate the damage."),
    # FAQ 3, 10: the evaluation, then the quote; FAQ 8: a warranty repair needs no quote.
    S.EVALUATING: _(
        "Once the evaluation is done, we send you a quote, or, if the warranty covers the "
        "damage, we repair your product free of charge straight away."
    ),
    S.QUOTED: _("We are waiting for your answer to the quote below: choose how to go on."),
    S.AWAITING_PAYMENT: _(
        "We are waiting for your payment (see below): the work starts as soon as it is recorded."
    ),
    S.REPAIRING: _(
        "Once repaired, your product goes through its final checks and is shipped back."
    ),
    S.REPLACING: _(
        "Once the replacement is ready, it goes through its final checks and is shipped to you."
    ),
    S.RETURNING_UNREPAIRED: _(
        "Your product will be shipped back unrepaired once any fee due (see below) is paid."
    ),
    S.QUALITY_CHECK: _("Once checked, your product is shipped back to you."),
    S.READY_TO_SHIP: _("We will e-mail you the tracking number as soon as the parcel leaves."),
    S.SHIPPED: _("Your parcel is on its way: follow it with the tracking number below."),
    S.CLOSED: _("Your case is complete: there is nothing more to do."),
    S.CANCELLED: _("This case was cancelled: there is nothing more to do."),
    S.EXPRESS_SHIPPED: _(
        "Your replacement unit is on its way (tracking number below). Send your damaged unit "
        "back by the date below, with the printed case form and its battery."
    ),
    S.EXPRESS_RETURNED: _(
        "What came back is not what Express requires: our team will contact you about the "
        "difference to pay."
    ),
}

EXPRESS_NEXT_TEXTS: dict[str, Any] = {
    S.SUBMITTED: _("Pay the Express amount below: your replacement unit ships once it is paid."),
    S.AWAITING_PAYMENT: _(
        "Pay the Express amount below (online, by bank transfer or at the counter): your "
        "replacement unit ships as soon as the payment is recorded, before we receive your "
        "damaged one. Do not send your damaged unit yet."
    ),
    S.REPLACING: _(
        "We are preparing your replacement unit: we will e-mail you its tracking number and "
        "the date by which to send your damaged unit back."
    ),
}

HOLD_NEXT_TEXTS: dict[str, Any] = {
    HoldReason.WAITING_FOR_PARTS: _("We will go on as soon as the parts arrive."),
    HoldReason.WAITING_FOR_CUSTOMER: _(
        "We need an answer from you: read our message below, or write to us with your case number."
    ),
    HoldReason.OTHER: _("We will go on as soon as possible and tell you by e-mail."),
}


HOLD_LABELS: dict[str, Any] = {
    HoldReason.WAITING_FOR_PARTS: _("On hold: waiting for parts"),
    HoldReason.WAITING_FOR_CUSTOMER: _("On hold: waiting for your answer"),
}


def status_label(status: str, hold_reason: str = "") -> str:
    """The status in the customer's words; on hold, with why."""
    if status == S.ON_HOLD and hold_reason in HOLD_LABELS:
        return str(HOLD_LABELS[hold_reason])
    return str(RequestStatus(status).label)


def next_text(status: str, hold_reason: str = "", express: bool = False) -> str:
    """What happens next, or what we wait for from the customer (`express`: an Express
    case's words)."""
    if express and status in EXPRESS_NEXT_TEXTS:
        return str(EXPRESS_NEXT_TEXTS[status])
    if status == S.ON_HOLD:
        return str(HOLD_NEXT_TEXTS.get(hold_reason, HOLD_NEXT_TEXTS[HoldReason.OTHER]))
    return str(NEXT_TEXTS.get(status, ""))
