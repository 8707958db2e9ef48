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
}

HOLD_TEXTS: dict[str, Any] = {
    HoldReason.WAITING_FOR_PARTS: _("Your case is on hold: we are waiting for parts."),
    HoldReason.WAITING_FOR_CUSTOMER: _("Your case is on hold: we are waiting for your answer."),
}


def event_text(event: CaseEvent, hold_reason: str = "") -> str:
    """The sentence the customer reads for a visible event."""
    if event.kind == EventKind.STATUS:
        if event.status == S.ON_HOLD and hold_reason in HOLD_TEXTS:
            return str(HOLD_TEXTS[hold_reason])
        if event.from_status == S.ON_HOLD:
            return str(
                _("Work on your case has resumed: %(status)s")
                % {"status": RequestStatus(event.status).label}
            )
        return str(STATUS_TEXTS.get(event.status, RequestStatus(event.status).label))
    return event.note
