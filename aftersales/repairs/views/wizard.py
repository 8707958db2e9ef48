"""The guided repair request (Guide RMA, seed 001): one page per step, saved as it is left,
resumed from My requests, sent as a case.

The steps, their order and when each is shown are in `repairs.steps`; what a step checks is in
its form (`repairs.forms`); what is written is in `repairs.services`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.accounts import services as account_services
from aftersales.accounts.forms import AddressForm
from aftersales.accounts.models import Address
from aftersales.accounts.selectors import address_list
from aftersales.accounts.typing import request_user
from aftersales.catalog.models import RepairCentre
from aftersales.catalog.selectors import product_lines_with_models
from aftersales.plans.selectors import plan_for_owner

from .. import coverage, services, steps
from ..attachments import attachment_remove
from ..choices import AttachmentKind, Problem, ServiceType
from ..forms import (
    AddressPanelForm,
    AttachmentRemovalForm,
    SummaryForm,
    address_outside_zone,
    serial_lookup,
)
from ..models import RepairRequest
from ..selectors import case_of, customer_coverage, draft_of, express_terms, requests_of

RETURN_TO_SUMMARY = "summary"


# --- What was typed but not valid, kept until the step is saved whole ---------------------------


def _leftovers_key(repair_request: RepairRequest, step: steps.Step) -> str:
    return f"repairs:draft:{repair_request.pk}:{step.slug}"


def _keep_leftovers(request: HttpRequest, repair_request: RepairRequest, form: Any) -> None:
    """The raw values of the fields that did not validate: shown again next time, so that
    nothing typed is lost even when the customer goes back before correcting it."""
    kept = {
        name: form.data.getlist(form.add_prefix(name))
        for name in form.errors
        if name in form.fields and not name.startswith("__")
    }
    key = _leftovers_key(repair_request, form.step)
    if kept:
        request.session[key] = kept
    else:
        request.session.pop(key, None)


def _initial(request: HttpRequest, repair_request: RepairRequest, step: steps.Step) -> dict:
    initial = step.form_class.initial_for(repair_request, request.user)
    leftovers = request.session.get(_leftovers_key(repair_request, step), {})
    form_fields = step.form_class.base_fields
    for name, values in leftovers.items():
        field = form_fields.get(name)
        if field is None:
            continue
        if getattr(field.widget, "allow_multiple_selected", False):
            initial[name] = values
        elif field.widget.input_type == "checkbox":
            initial[name] = bool(values)
        else:
            initial[name] = values[0] if values else ""
    return initial


# --- Pages ------------------------------------------------------------------------------------


def _form_kwargs(request: HttpRequest, repair_request: RepairRequest, step: steps.Step) -> dict:
    kwargs: dict[str, Any] = {"repair_request": repair_request, "user": request.user}
    if step.slug == "zone":
        kwargs["zone_hint"] = request.GET.get("zone", "")
    if step.slug == "purchase":
        kwargs["invoice_on_file"] = repair_request.attachments.filter(
            kind=AttachmentKind.INVOICE
        ).exists()
    return kwargs


def _step_url(repair_request: RepairRequest, step: steps.Step, return_to: str = "") -> str:
    url = reverse("repairs:step", args=[repair_request.pk, step.slug])
    return f"{url}?next={RETURN_TO_SUMMARY}" if return_to == RETURN_TO_SUMMARY else url


def _step_context(
    request: HttpRequest, repair_request: RepairRequest, step: steps.Step, form: Any
) -> dict[str, Any]:
    return_to = request.POST.get("next") or request.GET.get("next", "")
    context: dict[str, Any] = {
        "repair_request": repair_request,
        "step": step,
        "form": form,
        "progress": steps.progress(repair_request, step),
        "previous_step": steps.step_before(repair_request, step),
        "return_to": RETURN_TO_SUMMARY if return_to == RETURN_TO_SUMMARY else "",
    }
    context.update(STEP_CONTEXT.get(step.slug, lambda r, rr: {})(request, repair_request))
    return context


def _render_step(
    request: HttpRequest, repair_request: RepairRequest, step: steps.Step, form: Any
) -> HttpResponse:
    return render(request, step.template, _step_context(request, repair_request, step, form))


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    # GET too: "Make a repair request" is a plain link (home page, My requests).
    repair_request = services.repair_request_start(user=request.user)
    return redirect(_step_url(repair_request, steps.FIRST))


@login_required
@require_GET
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    repair_request = draft_of(request.user, pk)
    return redirect(_step_url(repair_request, steps.resume_step(repair_request)))


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    repair_request = draft_of(request.user, pk)
    current = steps.step_get(step)
    if current is None:
        raise Http404
    if not current.applies(repair_request):
        return redirect(_step_url(repair_request, steps.resume_step(repair_request)))
    if request.method == "POST":
        return _step_post(request, repair_request, current)

    incomplete = steps.first_incomplete(repair_request)
    if incomplete is not None and steps.is_before(incomplete, current):
        # A later step needs the earlier answers (the zone for addresses, the model for its
        # components…).
        return redirect(_step_url(repair_request, incomplete, request.GET.get("next", "")))
    if current.slug == "service" and request.GET.get("answer") == "replacement":
        return _replacement_page(request, repair_request)
    form = current.form_class(
        initial=_initial(request, repair_request, current),
        **_form_kwargs(request, repair_request, current),
    )
    form.step = current
    return _render_step(request, repair_request, current, form)


def _step_post(
    request: HttpRequest, repair_request: RepairRequest, current: steps.Step
) -> HttpResponse:
    form = current.form_class(
        request.POST, request.FILES, **_form_kwargs(request, repair_request, current)
    )
    form.step = current
    action = request.POST.get("action", "next")
    remove = request.POST.get("remove_attachment", "")
    valid = form.is_valid()
    going_back = action == "previous"
    previous = steps.step_before(repair_request, current)

    # Every way out of a step saves what validated (Previous included): nothing typed is lost.
    try:
        services.repair_request_save_step(
            repair_request=repair_request,
            step=current,
            cleaned_data=form.cleaned_data,
            current_step=current.slug,
        )
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            form.add_error(field, field_errors)
        valid = False
    _keep_leftovers(request, repair_request, form)

    if remove:
        token = AttachmentRemovalForm.read(request.POST).get("remove_attachment")
        attachment = repair_request.attachments.filter(token=token).first() if token else None
        if attachment is not None:
            attachment_remove(attachment=attachment)
            messages.success(request, _("The file %(name)s is removed.") % {"name": attachment})
        return redirect(_step_url(repair_request, current, request.POST.get("next", "")))

    if going_back and previous is not None:
        _set_current(repair_request, previous)
        return redirect(_step_url(repair_request, previous))
    if not valid:
        return _render_step(request, repair_request, current, form)

    if current.slug == "service" and repair_request.service_type == ServiceType.REPLACEMENT:
        return redirect(_step_url(repair_request, current) + "?answer=replacement")
    # Answers may have made a step appear (accident damage → cause): the first incomplete
    # step comes first, then where the customer was going.
    incomplete = steps.first_incomplete(repair_request)
    if request.POST.get("next") == RETURN_TO_SUMMARY:
        target = incomplete or steps.SUMMARY
        _set_current(repair_request, target)
        return redirect(_step_url(repair_request, target, RETURN_TO_SUMMARY))
    target = steps.step_after(repair_request, current) or steps.SUMMARY
    if incomplete is not None and steps.is_before(incomplete, target):
        target = incomplete
    _set_current(repair_request, target)
    return redirect(_step_url(repair_request, target))


def _set_current(repair_request: RepairRequest, step: steps.Step) -> None:
    if repair_request.current_step != step.slug:
        repair_request.current_step = step.slug
        repair_request.save(update_fields=["current_step", "updated_at"])


def _replacement_page(request: HttpRequest, repair_request: RepairRequest) -> HttpResponse:
    """Guide, step 5: « Pour un remplacement, merci d'envoyer un e-mail à support… »: the
    online request stops here and offers a ready e-mail with what was typed."""
    support = settings.AFTERSALES["SUPPORT_EMAIL"]
    model = repair_request.product_model
    product = model.display_name if model else ""
    subject = _("Replacement: product defective on unpacking – %(product)s %(serial)s") % {
        "product": product,
        "serial": repair_request.serial_number,
    }
    problems = ", ".join(str(Problem(p).label) for p in repair_request.problems or [])
    body_lines = [
        _("Product: %(product)s") % {"product": product},
        _("Serial number: %(serial)s") % {"serial": repair_request.serial_number or "-"},
    ]
    if repair_request.received_on:
        body_lines.append(_("Date of receipt: %(date)s") % {"date": repair_request.received_on})
    if problems:
        body_lines.append(_("Problems: %(problems)s") % {"problems": problems})
    if repair_request.description:
        body_lines += ["", repair_request.description]
    body = "\n".join(body_lines)
    mailto = f"mailto:{support}?subject={quote(subject)}&body={quote(body)}"
    return render(
        request,
        "repairs/wizard/replacement.html",
        {
            "repair_request": repair_request,
            "step": steps.STEPS_BY_SLUG["service"],
            "progress": steps.progress(repair_request, steps.STEPS_BY_SLUG["service"]),
            "support_email": support,
            "mailto": mailto,
            "mail_subject": subject,
            "mail_body": body,
        },
    )


# --- What each step's page shows besides its form ---------------------------------------------


def _zone_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    return {"htmx": bool(request.headers.get("HX-Request"))}


def _product_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    return {"product_lines": product_lines_with_models()}


def _problems_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    return {
        "support_chat_url": settings.AFTERSALES.get("SUPPORT_CHAT_URL", ""),
        "support_phone": settings.AFTERSALES.get("SUPPORT_PHONE", ""),
        "support_email": settings.AFTERSALES["SUPPORT_EMAIL"],
    }


def _purchase_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    serial = repair_request.serial_number
    return {
        "invoices": list(repair_request.attachments.filter(kind=AttachmentKind.INVOICE)),
        "plan_found": plan_for_owner(serial, repair_request.user_id) if serial else None,
    }


def _analysis_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    return {"flight_logs": list(repair_request.attachments.filter(kind=AttachmentKind.FLIGHT_LOG))}


def _express_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    plan = repair_request.plan
    return {"plan": plan, "express_fee": coverage.express_fee(plan) if plan else None}


def _shipment_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    # Guide, step 7: « Si vous souhaitez avoir recours au programme de service, veuillez envoyer
    # les pièces en respectant les exigences de la liste » — the parts the plan covers (FAQ 7).
    plan = repair_request.plan if repair_request.has_plan else None
    if plan is None:
        return {"covered_parts": []}
    return {"covered_parts": [component.name for component in plan.offering.components.all()]}


def _address_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    return _panel_context(request, repair_request)


def _summary_context(request: HttpRequest, repair_request: RepairRequest) -> dict[str, Any]:
    shown = {step.slug for step in steps.steps_for(repair_request)}
    return {
        "shown": shown,
        "problems": [Problem(p).label for p in repair_request.problems or []],
        "invoices": list(repair_request.attachments.all()),
        "repair_centre": RepairCentre.objects.filter(zone_id=repair_request.zone_id, is_active=True)
        .order_by("name", "pk")
        .first(),
        "evaluation_fee": Decimal(str(settings.AFTERSALES["EVALUATION_FEE_PER_HOUR"])),
        "evaluation_fee_currency": settings.AFTERSALES["EVALUATION_FEE_CURRENCY"],
        "express": express_terms(repair_request),
    }


STEP_CONTEXT = {
    "zone": _zone_context,
    "product": _product_context,
    "problems": _problems_context,
    "purchase": _purchase_context,
    "analysis": _analysis_context,
    "express": _express_context,
    "shipment": _shipment_context,
    "address": _address_context,
    "summary": _summary_context,
}


# --- Serial number recognition (htmx) ----------------------------------------------------------


@login_required
@require_GET
def recognise_serial(request: HttpRequest) -> HttpResponse:
    """The model of a typed serial number, shown live under the field (guide, step 4:
    « indiquer le numéro de série pour qu'il soit reconnu »)."""
    serial = request.GET.get("serial", "").strip()
    device, message = (None, "")
    if serial:
        device, message = serial_lookup(user=request.user, serial_number=serial)
    return render(
        request,
        "repairs/_serial_recognised.html",
        {"device": device, "message": message, "serial": serial},
    )


# --- Return address panel (htmx) -----------------------------------------------------------------


def _panel_context(
    request: HttpRequest,
    repair_request: RepairRequest,
    *,
    address_form: AddressForm | None = None,
    editing: int | None = None,
    selected: int | None = None,
) -> dict[str, Any]:
    step_url = _step_url(repair_request, steps.STEPS_BY_SLUG["address"])
    addresses = list(address_list(user=request_user(request)).order_by("full_name", "id"))
    items = [
        {"address": address, "reason": address_outside_zone(address, repair_request)}
        for address in addresses
    ]
    posted, query = AddressPanelForm.read(request.POST), AddressPanelForm.read(request.GET)
    if selected is None:
        selected = (
            posted.get("return_address")
            or query.get("return_address")
            or repair_request.return_address_id
        )
    adding = address_form is not None and editing is None
    if request.GET.get("add") and address_form is None:
        address_form, adding = AddressForm(prefix="address"), True
    if "edit" in query and address_form is None:
        editing = query["edit"]
        address = next((a for a in addresses if a.pk == editing), None)
        if address is None:
            raise Http404
        address_form = AddressForm(prefix="address", instance=address)
    return {
        "repair_request": repair_request,
        "address_items": items,
        "selected": selected,
        "address_form": address_form,
        "adding": adding,
        "editing": editing,
        "step_url": step_url,
        "panel_url": reverse("repairs:address_panel", args=[repair_request.pk]),
        "zone": repair_request.zone,
    }


@login_required
@require_http_methods(["GET", "POST"])
def address_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The return address panel: GET the fragment (with `?add=1` or `?edit=<id>` for a form
    in place); POST `op=create|update|delete` changes the address book through the accounts
    services and answers the fragment again. Without htmx, the address book pages with
    `?next=` do the same."""
    repair_request = draft_of(request.user, pk)
    is_htmx = bool(request.headers.get("HX-Request"))
    if request.method == "GET":
        if not is_htmx:
            return redirect(_step_url(repair_request, steps.STEPS_BY_SLUG["address"]))
        return render(
            request, "repairs/_address_panel.html", _panel_context(request, repair_request)
        )

    user = request_user(request)
    panel = AddressPanelForm.read(request.POST)
    op = panel.get("op", "")
    address: Address | None = None
    if op in {"update", "delete"}:
        # Another customer's address, or no address id at all, is "not found".
        address = get_object_or_404(address_list(user=user), pk=panel.get("address", 0))
    context_kwargs: dict[str, Any] = {}
    if op == "delete":
        assert address is not None  # fetched above
        account_services.address_delete(address=address)
        if repair_request.return_address_id is None:
            repair_request.refresh_from_db(fields=["return_address"])
    elif op in {"create", "update"}:
        form = AddressForm(request.POST, prefix="address", instance=address)
        if form.is_valid():
            if op == "create":
                address = account_services.address_create(user=user, **form.cleaned_data)
            else:
                assert address is not None  # fetched above
                address = account_services.address_update(address=address, data=form.cleaned_data)
            # A new or changed address inside the zone is the likely choice: select it.
            if not address_outside_zone(address, repair_request):
                context_kwargs["selected"] = address.pk
        else:
            context_kwargs = {
                "address_form": form,
                "editing": address.pk if address is not None else None,
            }
    else:
        raise Http404
    if not is_htmx:
        return redirect(_step_url(repair_request, steps.STEPS_BY_SLUG["address"]))
    return render(
        request,
        "repairs/_address_panel.html",
        _panel_context(request, repair_request, **context_kwargs),
    )


# --- Submission ---------------------------------------------------------------------------------


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    # What deciding needs, not the draft's every answer: `case_submit` reads it whole, locked.
    repair_request = get_object_or_404(
        requests_of(request.user).select_related(None).only("pk", "status", "case_number"),
        pk=pk,
    )
    if not repair_request.is_draft:
        # Pressed twice, or the POST resent: the same case.
        return redirect("repairs:confirmation", case_number=repair_request.case_number)
    form = SummaryForm(request.POST, repair_request=repair_request, user=request.user)
    if not form.is_valid():
        form.step = steps.SUMMARY
        form.repair_request = repair_request = get_object_or_404(requests_of(request.user), pk=pk)
        return _render_step(request, repair_request, steps.SUMMARY, form)
    try:
        case = services.case_submit(
            repair_request=repair_request, user=request.user, terms_accepted=True
        )
    except services.CaseIncomplete as error:
        messages.error(request, error.message)
        return redirect(_step_url(repair_request, error.step, RETURN_TO_SUMMARY))
    except services.TermsNotAccepted:  # pragma: no cover - the form requires the tick
        return redirect(_step_url(repair_request, steps.SUMMARY))
    return redirect("repairs:confirmation", case_number=case.case_number)


@login_required
@require_GET
def confirmation(request: HttpRequest, case_number: str) -> HttpResponse:
    """Guide, last page: « Demande envoyée ! », the number, « Imprimer mon dossier », the next
    steps."""
    case = case_of(request.user, case_number)
    return render(
        request,
        "repairs/wizard/confirmation.html",
        # Who pays, provisional until a technician has evaluated the product.
        {"case": case, "coverage": customer_coverage(case), "express": express_terms(case)},
    )
