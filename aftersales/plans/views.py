"""The customer's protection plans: activate a card, see the plans and their ledger, download
the service contract."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.accounts.typing import request_user
from aftersales.catalog.selectors import product_lines_with_models
from aftersales.core.http import client_address

from . import selectors, services
from .errors import PlanRuleError
from .forms import PlanActivationForm
from .models import Plan
from .pdf import contract_pdf


def _plan_or_404(request: HttpRequest, plan_id: int) -> Plan:
    try:
        return selectors.plan_of(request.user, plan_id)
    except Plan.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/plan_list.html", {"plans": selectors.plans_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_activate(request: HttpRequest) -> HttpResponse:
    form = PlanActivationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_activate_for_customer(
                user=request.user,
                code=form.cleaned_data["activation_code"],
                serial_number=form.cleaned_data["serial_number"],
                address=client_address(request),
            )
        except PlanRuleError as error:
            form.add_rule_error(error)
        else:
            messages.success(
                request,
                _(
                    "%(offering)s is now active for %(model)s %(serial)s. The service contract "
                    "is on its way to your e-mail address."
                )
                % {
                    "offering": plan.offering.name,
                    "model": plan.device.model.display_name,
                    "serial": plan.device.serial_number,
                },
            )
            return redirect("plans:detail", plan_id=plan.pk)
    return render(
        request,
        "plans/plan_activate.html",
        {"form": form, "product_lines": product_lines_with_models()},
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "contract_number": selectors.plan_contract_number(plan),
            "fees": selectors.plan_contract_fees(plan),
            "components": plan.offering.components.all(),
            "events": selectors.plan_ledger(plan),
        },
    )


@login_required
@require_GET
def plan_contract(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The service contract as a PDF, in the language the customer reads the site in."""
    plan = _plan_or_404(request, plan_id)
    plan.device.owner = request_user(request)  # plan_of() only finds the plans of this account
    pdf = contract_pdf(plan, translation.get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{selectors.plan_contract_number(plan)}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
