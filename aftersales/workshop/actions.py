"""The actions of the case page: for each, the permission its view checks (403 without it), the
form, when its panel is shown (what the lifecycle allows the user now: `allowed_targets`, and
`staff_may` for the records that are not moves), and the workshop service it calls.

A panel shown is a convenience, not a rule: an action posted when it is not available reaches
its service, which refuses (the table of moves, the guards, `case_moved`) and the page shows
the message; nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.plans.choices import CoverageOutcome
from aftersales.repairs import lifecycle
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import Evaluation, RepairRequest

from . import forms, services

S = RequestStatus


@dataclass
class Situation:
    """What the page knows of the case and of the user, for deciding which panels to show."""

    case: RepairRequest
    user: Any

    @cached_property
    def targets(self) -> set[str]:
        return set(lifecycle.allowed_targets(self.case, self.user))

    @cached_property
    def evaluation(self) -> Evaluation | None:
        # The evaluations are prefetched newest first by the case page's selector.
        return next(iter(self.case.evaluations.all()), None)

    @property
    def outcome(self) -> str:
        return str(self.evaluation.coverage.get("outcome") or "") if self.evaluation else ""

    @cached_property
    def replaced(self) -> bool:
        return bool(self.case.replacements.all())

    def may(self, permission: str) -> bool:
        return lifecycle.staff_may(self.user, permission)

    def status_is(self, *statuses: str) -> bool:
        return self.case.status in statuses


@dataclass(frozen=True)
class Action:
    slug: str
    title: Any
    button: Any
    permission: str
    form_class: type[forms.ActionForm]
    shown: Callable[[Situation], bool]
    run: Callable[[Any, RepairRequest, Any], Any]
    done: Any
    # Shown with a warning colour: it ends or interrupts the work.
    danger: bool = False


def _status(form: Any) -> str:
    return str(form.cleaned_data["expected_status"])


def _receive(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.case_receive(
        case=case,
        by=by,
        contents=data["contents"],
        serial_number_read=data["serial_number_read"],
        unexpected_items=data["unexpected_items"],
        note=data["note"],
        photos=data["photos"],
        battery_included=data.get("battery_included"),
        expected_status=_status(form),
    )


def _evaluate(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.case_evaluate(
        case=case,
        by=by,
        findings=data["findings"],
        damaged_components=list(data["damaged_components"]),
        cause=data["cause"],
        # FAQ 3: the service records "not assessed" for an Express case whatever is sent.
        liability=data.get("liability") or "undetermined",
        labour_hours=data["labour_hours"],
        evaluation_hours=data["evaluation_hours"],
        expected_status=_status(form),
    )


def _quote(form: Any, case: RepairRequest, by: Any) -> Any:
    return services.quote_send(
        case=case,
        by=by,
        lines=form.quote_lines(),
        message=form.cleaned_data["message"],
        expected_status=_status(form),
    )


def _payment(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.payment_record(
        case=case,
        payment=form.payment,
        by=by,
        method=data["method"],
        reference=data["reference"],
        amount=data["amount"],
    )


def _part(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.part_use_record(
        case=case,
        by=by,
        component=data["component"],
        quantity=data["quantity"],
        serial_number=data["serial_number"],
        note=data["note"],
    )


def _replace_unit(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.case_replace_unit(
        case=case,
        by=by,
        new_serial_number=data["new_serial_number"],
        note=data["note"],
        expected_status=_status(form),
    )


def _replace_component(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.case_replace_component(
        case=case,
        by=by,
        component=data["component"],
        new_serial_number=data["new_serial_number"],
        part_model=data["part_model"],
        note=data["note"],
        expected_status=_status(form),
    )


def _quality_check(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.case_quality_check(
        case=case,
        by=by,
        passed=data["result"] == "passed",
        note=data["note"],
        expected_status=_status(form),
    )


def _ship(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.case_ship(
        case=case,
        by=by,
        tracking_number=data["tracking_number"],
        expected_status=_status(form),
    )


def _investigation_open(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.investigation_open(
        case=case,
        by=by,
        direction=data["direction"],
        tracking_number=data["tracking_number"],
        carrier_reference=data["carrier_reference"],
        note=data["note"],
    )


def _investigation_close(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.investigation_close(
        case=case,
        by=by,
        investigation_id=data["investigation"],
        outcome=data["outcome"],
        note=data["note"],
    )


def _express_ship(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.case_express_ship(
        case=case,
        by=by,
        new_serial_number=data["new_serial_number"],
        tracking_number=data["tracking_number"],
        note=data["note"],
        expected_status=_status(form),
    )


def _express_charge(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.express_charge(case=case, by=by, amount=data["amount"], note=data["note"])


def _express_clear(form: Any, case: RepairRequest, by: Any) -> Any:
    return services.express_clear(case=case, by=by, note=form.cleaned_data["note"])


def _express_return(s: Situation) -> Any:
    return getattr(s.case, "express_return", None) if s.case.express_requested else None


def _express_flag_open(s: Situation) -> bool:
    owed = _express_return(s)
    return bool(owed is not None and owed.flag_open)


def _express_settled(s: Situation) -> bool:
    """Closing an Express case: the damaged unit is back whole, or an agent dealt with it."""
    owed = _express_return(s)
    if owed is None or owed.flag_open:
        return False
    return hasattr(s.case, "reception") or owed.resolved_at is not None


def _return_label(form: Any, case: RepairRequest, by: Any) -> Any:
    return services.return_label_send_again(case=case, by=by)


def _has_parcel(s: Situation) -> bool:
    """A parcel on its way with a tracking number: the return label's, or the one shipped."""
    labels = getattr(s.case, "label_list", None)
    if labels is None:
        labels = list(s.case.labels.defer("pdf"))
    return bool(labels) or hasattr(s.case, "return_shipment")


def _with_status(service: Callable[..., Any], *fields: str) -> Callable[..., Any]:
    """A service that takes the case, the user, the page's status and these fields."""

    def run(form: Any, case: RepairRequest, by: Any) -> Any:
        values = {name: form.cleaned_data[name] for name in fields}
        return service(case=case, by=by, expected_status=_status(form), **values)

    return run


def _note(form: Any, case: RepairRequest, by: Any) -> Any:
    data = form.cleaned_data
    return services.case_note(case=case, by=by, text=data["text"], public=data["public"])


# In the order of the panels: what moves the case on first (once evaluated, the quote before
# "evaluate again"), then holds, cancellations and notes.
ACTIONS: tuple[Action, ...] = (
    Action(
        "receive",
        _("Register the parcel"),
        _("Register the parcel"),
        lifecycle.RECEIVE,
        forms.ReceptionForm,
        lambda s: (
            (s.status_is(S.SUBMITTED) and S.RECEIVED in s.targets)
            or (s.status_is(S.EXPRESS_SHIPPED) and S.EXPRESS_RETURNED in s.targets)
        ),
        _receive,
        _("The parcel is registered; the customer is told by e-mail."),
    ),
    Action(
        "evaluation-start",
        _("Start the evaluation"),
        _("Start the evaluation"),
        lifecycle.EVALUATE,
        forms.ConfirmForm,
        lambda s: s.status_is(S.RECEIVED) and S.EVALUATING in s.targets,
        _with_status(services.case_evaluation_start),
        _("The evaluation has started."),
    ),
    Action(
        "warranty-repair",
        _("Repair under the warranty"),
        _("Start the free repair"),
        lifecycle.EVALUATE,
        forms.ConfirmForm,
        lambda s: (
            s.status_is(S.EVALUATING)
            and S.REPAIRING in s.targets
            and s.outcome == CoverageOutcome.WARRANTY
        ),
        _with_status(services.case_warranty_repair_start),
        _("The repair under the warranty has started."),
    ),
    Action(
        "quote",
        _("Quote"),
        _("Send the quote"),
        lifecycle.QUOTE,
        forms.QuoteForm,
        lambda s: (
            s.status_is(S.EVALUATING, S.QUOTED)
            and s.may(lifecycle.QUOTE)
            and s.evaluation is not None
            and s.outcome != CoverageOutcome.WARRANTY
        ),
        _quote,
        _("The quote is sent to the customer."),
    ),
    Action(
        "evaluate",
        _("Record the evaluation"),
        _("Record the evaluation"),
        lifecycle.EVALUATE,
        forms.EvaluationForm,
        lambda s: s.status_is(S.EVALUATING) and s.may(lifecycle.EVALUATE),
        _evaluate,
        _("The evaluation is recorded, with the coverage decided again from it."),
    ),
    Action(
        "payment",
        _("Record a payment"),
        _("Record the payment"),
        lifecycle.PAY,
        forms.PaymentForm,
        # One panel per payment due (views.case_panels).
        lambda s: s.may(lifecycle.PAY) and any(not p.is_paid for p in s.case.payments.all()),
        _payment,
        _("The payment is recorded."),
    ),
    Action(
        "part",
        _("Record a part used"),
        _("Record the part"),
        lifecycle.REPAIR,
        forms.PartForm,
        lambda s: (
            s.status_is(S.REPAIRING, S.REPLACING)
            and s.may(lifecycle.REPAIR)
            and not s.case.express_requested
        ),
        _part,
        _("The part is recorded."),
    ),
    Action(
        "repair-done",
        _("Repair finished"),
        _("To the final checks"),
        lifecycle.REPAIR,
        forms.ResumeForm,
        lambda s: s.status_is(S.REPAIRING) and S.QUALITY_CHECK in s.targets,
        _with_status(services.case_repair_done, "note"),
        _("The repair is finished: the unit goes to the final checks."),
    ),
    Action(
        "replace-unit",
        _("Replace the whole unit"),
        _("Replace the unit"),
        lifecycle.REPLACE,
        forms.ReplaceUnitForm,
        lambda s: (
            s.status_is(S.REPLACING)
            and s.may(lifecycle.REPLACE)
            and not s.replaced
            and s.case.plan_id is not None
            and not s.case.express_requested
        ),
        _replace_unit,
        _("The unit is replaced: the plan follows the new serial number."),
    ),
    Action(
        "replace-component",
        _("Replace a covered part"),
        _("Replace the part"),
        lifecycle.REPLACE,
        forms.ReplaceComponentForm,
        lambda s: (
            s.status_is(S.REPLACING)
            and s.may(lifecycle.REPLACE)
            and not s.replaced
            and s.case.plan_id is not None
            and not s.case.express_requested
        ),
        _replace_component,
        _("The part is replaced under the plan."),
    ),
    Action(
        "replacement-done",
        _("Replacement finished"),
        _("To the final checks"),
        lifecycle.REPLACE,
        forms.ConfirmForm,
        lambda s: s.status_is(S.REPLACING) and S.QUALITY_CHECK in s.targets and s.replaced,
        _with_status(services.case_replacement_done),
        _("The replacement is finished: the unit goes to the final checks."),
    ),
    Action(
        "express-ship",
        _("Express: ship the replacement ahead"),
        _("Ship the replacement"),
        lifecycle.SHIP,
        forms.ExpressShipForm,
        lambda s: (
            s.status_is(S.REPLACING)
            and s.case.express_requested
            and S.EXPRESS_SHIPPED in s.targets
            and not s.replaced
        ),
        _express_ship,
        _("The replacement is shipped: the plan covers the new unit; the customer is told."),
    ),
    Action(
        "express-charge",
        _("Express: charge the difference"),
        _("Charge the difference"),
        lifecycle.PAY,
        forms.ExpressChargeForm,
        lambda s: s.may(lifecycle.PAY) and _express_flag_open(s),
        _express_charge,
        _("The difference is charged: the customer is told how to pay it."),
    ),
    Action(
        "express-clear",
        _("Express: clear the flag"),
        _("Clear the flag"),
        lifecycle.PAY,
        forms.ExpressClearForm,
        lambda s: s.may(lifecycle.PAY) and _express_flag_open(s),
        _express_clear,
        _("The flag is cleared."),
    ),
    Action(
        "quality-check",
        _("Final checks"),
        _("Record the check"),
        lifecycle.CHECK,
        forms.QualityCheckForm,
        lambda s: s.status_is(S.QUALITY_CHECK) and S.READY_TO_SHIP in s.targets,
        _quality_check,
        _("The check is recorded."),
    ),
    Action(
        "return-ready",
        _("Ready to go back unrepaired"),
        _("Ready to ship"),
        lifecycle.SHIP,
        forms.ConfirmForm,
        lambda s: s.status_is(S.RETURNING_UNREPAIRED) and S.READY_TO_SHIP in s.targets,
        _with_status(services.case_return_ready),
        _("The unit is ready to be shipped back."),
    ),
    Action(
        "ship",
        _("Ship back"),
        _("Record the shipment"),
        lifecycle.SHIP,
        forms.ShipForm,
        lambda s: s.status_is(S.READY_TO_SHIP) and S.SHIPPED in s.targets,
        _ship,
        _("The shipment is recorded; the customer is told by e-mail."),
    ),
    Action(
        "return-label",
        _("Return label late"),
        _("Send the return label now"),
        lifecycle.RECEIVE,
        forms.ConfirmForm,
        lambda s: (
            s.status_is(S.SUBMITTED)
            and s.may(lifecycle.RECEIVE)
            and s.case.return_label_sent_at is None
            and s.case.return_label_due_by is not None
            and s.case.return_label_due_by < timezone.localdate()
        ),
        _return_label,
        _("The return label is on its way: the customer gets it by e-mail."),
    ),
    Action(
        "investigation-open",
        _("Parcel lost: carrier investigation"),
        _("Record the investigation"),
        lifecycle.INVESTIGATE,
        forms.InvestigationOpenForm,
        lambda s: s.may(lifecycle.INVESTIGATE) and _has_parcel(s),
        _investigation_open,
        _("The carrier's investigation is recorded, with its deadline."),
    ),
    Action(
        "investigation-close",
        _("End of the carrier investigation"),
        _("Record the outcome"),
        lifecycle.INVESTIGATE,
        forms.InvestigationCloseForm,
        lambda s: (
            s.may(lifecycle.INVESTIGATE) and any(i.is_open for i in s.case.investigations.all())
        ),
        _investigation_close,
        _("The investigation is closed."),
    ),
    Action(
        "close",
        _("Close the case"),
        _("Close the case"),
        lifecycle.CLOSE,
        forms.ConfirmForm,
        lambda s: (
            s.status_is(S.SHIPPED, S.EXPRESS_SHIPPED, S.EXPRESS_RETURNED)
            and S.CLOSED in s.targets
            and (s.status_is(S.SHIPPED) or _express_settled(s))
        ),
        _with_status(services.case_close),
        _("The case is closed."),
    ),
    Action(
        "resume",
        _("Resume the work"),
        _("Resume"),
        lifecycle.HOLD,
        forms.ResumeForm,
        lambda s: s.status_is(S.ON_HOLD) and lifecycle.RESUME in s.targets,
        _with_status(services.case_resume, "note"),
        _("Work on the case has resumed."),
    ),
    Action(
        "hold",
        _("Put on hold"),
        _("Put on hold"),
        lifecycle.HOLD,
        forms.HoldForm,
        lambda s: S.ON_HOLD in s.targets,
        _with_status(services.case_hold, "reason", "note"),
        _("The case is on hold."),
        danger=True,
    ),
    Action(
        "cancel",
        _("Cancel the case"),
        _("Cancel the case"),
        lifecycle.CANCEL,
        forms.CancelForm,
        lambda s: (
            s.may(lifecycle.CANCEL)
            and (S.CANCELLED in s.targets or S.RETURNING_UNREPAIRED in s.targets)
        ),
        _with_status(services.case_cancel, "note"),
        _("The case is cancelled."),
        danger=True,
    ),
    Action(
        "note",
        _("Add a note"),
        _("Add the note"),
        lifecycle.ANNOTATE,
        forms.NoteForm,
        lambda s: s.may(lifecycle.ANNOTATE),
        _note,
        _("The note is added to the timeline."),
    ),
)
ACTIONS_BY_SLUG = {action.slug: action for action in ACTIONS}
