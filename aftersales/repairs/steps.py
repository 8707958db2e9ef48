"""The steps of the guided repair request, in the order of the Guide RMA (seed 001).

One registry: each step's URL slug, title, form, template, when it is shown (`applies`) and when
its answers are complete (`is_complete`). The view, the resume link, the summary and
`case_submit` all read it, so a rule about which step comes when lives here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.choices import ModelKind

from . import coverage, forms
from .choices import AttachmentKind, Problem, ServiceType, Shipment
from .models import RepairRequest


def _always(repair_request: RepairRequest) -> bool:
    return True


def has_accident_damage(repair_request: RepairRequest) -> bool:
    # Guide, after step 6: « Si vous cliquez sur « Dégât dû à un accident » … » the cause is
    # asked, then the flight data analysis is offered.
    return Problem.ACCIDENT_DAMAGE in (repair_request.problems or [])


def analysis_applies(repair_request: RepairRequest) -> bool:
    # The analysis reads the aircraft's flight records (« Flight Records » synced from the app):
    # only an accident of something that flies has any. A Zenmuse or an Osmo has none.
    if not has_accident_damage(repair_request) or not repair_request.product_model_id:
        return False
    product_model = repair_request.product_model
    return product_model is not None and product_model.kind == ModelKind.AIRCRAFT


def express_applies(repair_request: RepairRequest) -> bool:
    # Seed 001, « DJI Care Refresh Express »: offered once « J'ai souscrit à un forfait de
    # service » is ticked and the plan found allows it (see coverage.express_eligible).
    return coverage.express_eligible(repair_request)


# --- Completeness, per step ----------------------------------------------------------------


def _zone_complete(r: RepairRequest) -> bool:
    if not (r.zone_id and r.country):
        return False
    zone = r.zone
    return zone is not None and zone.serves(str(r.country))


def _product_complete(r: RepairRequest) -> bool:
    return bool(r.product_model_id)


def _service_complete(r: RepairRequest) -> bool:
    # « Remplacement » is answered by support by e-mail: the online request cannot go on.
    return r.service_type == ServiceType.REPAIR


def _problems_complete(r: RepairRequest) -> bool:
    return bool(r.problems) and r.support_contacted


def _purchase_complete(r: RepairRequest) -> bool:
    return bool(r.purchase_channel and r.received_on)


def _cause_complete(r: RepairRequest) -> bool:
    return bool(r.accident_cause)


def _analysis_complete(r: RepairRequest) -> bool:
    # « Non, merci » is a complete answer; a requested analysis needs every starred field.
    if not r.data_analysis_requested:
        return True
    return bool(
        r.accident_date
        and r.flight_environment
        and r.abnormal_condition
        and r.flight_account_email
        and r.flight_records_synced
    )


def _express_complete(r: RepairRequest) -> bool:
    if not r.express_requested:
        return True
    return bool(r.express_serial_number) and r.express_serial_number == r.serial_number


def _shipment_complete(r: RepairRequest) -> bool:
    if r.shipment == Shipment.COMPLETE_SET:
        return True
    return r.shipment == Shipment.DEFECTIVE_COMPONENT and r.component_id is not None


def _address_complete(r: RepairRequest) -> bool:
    address = r.return_address
    if address is None or not r.zone_id:
        return False
    zone = r.zone
    return zone is not None and zone.serves(str(address.country))


def _summary_complete(r: RepairRequest) -> bool:
    return r.terms_accepted_at is not None


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    # The guide's progress bar: 1 Appareil — 2 Dysfonctionnement — 3 Pièces — 4 Adresse —
    # 5 Soumettre.
    stage: int
    form_class: type[forms.StepForm]
    template: str
    is_complete: Callable[[RepairRequest], bool]
    applies: Callable[[RepairRequest], bool] = _always
    # Upload fields of the form and the kind of attachment each makes.
    uploads: dict[str, str] = field(default_factory=dict)

    @property
    def model_fields(self) -> tuple[str, ...]:
        return self.form_class.model_fields

    def __str__(self) -> str:
        return self.slug


STEPS: list[Step] = [
    Step("zone", _("Zone and country/region"), 1, forms.ZoneForm, "repairs/wizard/zone.html",
         _zone_complete),  # guide, step 3
    Step("product", _("Product"), 1, forms.ProductForm, "repairs/wizard/product.html",
         _product_complete),  # guide, step 4
    Step("service", _("Service"), 2, forms.ServiceForm, "repairs/wizard/service.html",
         _service_complete),  # guide, step 5
    Step("problems", _("Problem"), 2, forms.ProblemsForm, "repairs/wizard/problems.html",
         _problems_complete),  # guide, steps 5 and 6
    Step("purchase", _("Proof of purchase"), 2, forms.PurchaseForm,
         "repairs/wizard/purchase.html", _purchase_complete,
         uploads={"invoice": AttachmentKind.INVOICE}),
    Step("cause", _("Cause of the accident"), 2, forms.CauseForm, "repairs/wizard/cause.html",
         _cause_complete, applies=has_accident_damage),
    Step("analysis", _("Flight data analysis"), 2, forms.AnalysisForm,
         "repairs/wizard/analysis.html", _analysis_complete, applies=analysis_applies,
         uploads={"flight_logs": AttachmentKind.FLIGHT_LOG}),
    Step("express", _("Express replacement"), 2, forms.ExpressForm,
         "repairs/wizard/express.html", _express_complete, applies=express_applies),
    Step("shipment", _("What to send"), 3, forms.ShipmentForm, "repairs/wizard/shipment.html",
         _shipment_complete),  # guide, step 7
    Step("address", _("Return address"), 4, forms.ReturnAddressForm,
         "repairs/wizard/address.html", _address_complete),  # guide, step 8
    Step("summary", _("Summary"), 5, forms.SummaryForm, "repairs/wizard/summary.html",
         _summary_complete),  # guide, step 12
]  # fmt: skip
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
FIRST = STEPS[0]
SUMMARY = STEPS_BY_SLUG["summary"]
STAGES = [
    (1, _("Device")),
    (2, _("Malfunction")),
    (3, _("Parts")),
    (4, _("Address")),
    (5, _("Submit")),
]


def step_get(slug: str) -> Step | None:
    return STEPS_BY_SLUG.get(slug)


def steps_for(repair_request: RepairRequest) -> list[Step]:
    """The steps shown for this draft, in order."""
    return [step for step in STEPS if step.applies(repair_request)]


def step_after(repair_request: RepairRequest, step: Step) -> Step | None:
    shown = steps_for(repair_request)
    later = [s for s in shown if STEPS.index(s) > STEPS.index(step)]
    return later[0] if later else None


def step_before(repair_request: RepairRequest, step: Step) -> Step | None:
    shown = steps_for(repair_request)
    earlier = [s for s in shown if STEPS.index(s) < STEPS.index(step)]
    return earlier[-1] if earlier else None


def first_incomplete(repair_request: RepairRequest) -> Step | None:
    """The first step shown whose answers are missing, the summary aside (its terms are
    ticked when sending)."""
    for step in steps_for(repair_request):
        if step is not SUMMARY and not step.is_complete(repair_request):
            return step
    return None


def resume_step(repair_request: RepairRequest) -> Step:
    """Where a draft continues: where the customer left it, or earlier when an earlier step
    is not complete."""
    incomplete = first_incomplete(repair_request)
    current = step_get(repair_request.current_step)
    if current is None or not current.applies(repair_request):
        current = None
    candidates = [step for step in (incomplete, current) if step is not None]
    if not candidates:
        return SUMMARY
    return min(candidates, key=STEPS.index)


def is_before(step: Step, other: Step) -> bool:
    return STEPS.index(step) < STEPS.index(other)


def progress(repair_request: RepairRequest, step: Step) -> list[dict[str, Any]]:
    """The guide's five stages, with the current one marked."""
    return [
        {"number": number, "label": label, "current": number == step.stage,
         "done": number < step.stage}
        for number, label in STAGES
    ]  # fmt: skip
