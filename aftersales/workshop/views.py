"""The workshop's pages: the dashboard (the queues of the user's roles, search and scan), a
queue, the search, reception by scan, and the case page with an action panel per thing the
user may do now, each posting to its own URL.

An action's view is thin: its permission (403), its form, one workshop service, then back to
the case page; a refusal (`CaseWorkError`, `PlanRuleError`, a file refused) is shown on the case
page, at the field it concerns or above the form, with everything typed kept — never a 500.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.plans.errors import PlanRuleError
from aftersales.repairs import express, lifecycle
from aftersales.repairs.choices import AttachmentKind, RequestStatus, UnexpectedItem
from aftersales.repairs.errors import CaseWorkError
from aftersales.repairs.models import Payment, RepairRequest
from aftersales.repairs.selectors import request_problem_labels, snapshot_address_lines

from . import selectors, services
from .actions import ACTIONS, ACTIONS_BY_SLUG, Action, Situation
from .forms import ActionForm, ConfirmForm
from .permissions import workshop_page

S = RequestStatus

# Where a refusal of the plan rules belongs on the component and unit forms.
PLAN_RULE_FIELDS = {
    "component_not_covered": "component",
    "component_serial_in_use": "new_serial_number",
    "component_serial_required": "new_serial_number",
    "component_has_no_serial_number": "new_serial_number",
    "gimbal_model_mismatch": "part_model",
    "replacement_device_unavailable": "new_serial_number",
    "replacement_model_mismatch": "new_serial_number",
}
CASE_WORK_FIELDS = {
    "replacement_unit": "new_serial_number",
    "payment_amount": "amount",
    "tracking_number": "tracking_number",
    "tracking_number_needed": "tracking_number",
    "tracking_numbers_exhausted": "tracking_number",
    "tracking_number_in_use": "tracking_number",
}

SEARCH_WAYS = {
    "case_number": _("case number"),
    "serial_number": _("serial number"),
    "email": _("e-mail address"),
    "name": _("name"),
    "transfer_reference": _("bank transfer reference"),
}


# --- Dashboard, queues, search -------------------------------------------------------------


@workshop_page
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    queues = selectors.queues_of(request.user)
    counts = selectors.queue_counts(queues)
    teams = [
        (title, [count for count in counts if count.queue.team == team])
        for team, title in selectors.TEAMS.items()
    ]
    return render(
        request,
        "workshop/dashboard.html",
        {
            "teams": [(title, items) for title, items in teams if items],
            "may_scan": lifecycle.staff_may(request.user, lifecycle.RECEIVE),
        },
    )


@workshop_page
@require_GET
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = selectors.queue_by_slug(slug)
    if not chosen.visible_to(request.user):
        raise PermissionDenied
    page = selectors.queue_page(chosen, request.GET.get("page"))
    return render(request, "workshop/queue.html", {"queue": chosen, "page": page})


class SearchForm(django_forms.Form):
    q = django_forms.CharField(
        label=_("Case number, serial number, e-mail or name"),
        max_length=100,
        required=False,
        widget=django_forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


@workshop_page
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, auto_id="search-%s")
    result = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        result = selectors.case_search(form.cleaned_data["q"])
        # A whole case number, found: straight to the case (what a worker typing one wants).
        if result.exact is not None and len(result.rows) == 1:
            return redirect("workshop:case", case_number=result.exact)
    form.fields["q"].widget.attrs["autofocus"] = True
    return render(
        request,
        "workshop/search.html",
        {
            "form": form,
            "result": result,
            "ways": [SEARCH_WAYS[way] for way in result.ways] if result else [],
            "limit": selectors.SEARCH_LIMIT,
        },
    )


# --- Reception by scan ---------------------------------------------------------------------


class ScanForm(django_forms.Form):
    number = django_forms.CharField(
        label=_("Case number"),
        max_length=40,
        help_text=_("Scan the barcode on the case form in the parcel, or type the number."),
        widget=django_forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


@workshop_page
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest) -> HttpResponse:
    """A scanner types the case number and Enter: a case awaiting its parcel opens in the
    reception view, a unit ready to ship at the shipping panel (logistics scan the case form
    that came with it, then print its outbound label); anything else is said at once, on this
    page, with the number kept."""
    if not lifecycle.staff_may(request.user, lifecycle.RECEIVE):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    form = ScanForm(data if "number" in data else None, auto_id="scan-%s")
    other = None
    if form.is_bound and form.is_valid():
        case = selectors.case_by_number(form.cleaned_data["number"])
        if case is None:
            form.add_error("number", gettext("No case has this number. Check it and scan again."))
        elif case.status == S.READY_TO_SHIP and lifecycle.staff_may(request.user, lifecycle.SHIP):
            return redirect(_case_at_action(case.case_number, "ship"))
        elif case.status not in (S.SUBMITTED, S.EXPRESS_SHIPPED):
            other = case
            form.add_error(
                "number",
                gettext("Case %(number)s is not awaiting a parcel: it is “%(status)s”.")
                % {"number": case.case_number, "status": case.get_status_display()},
            )
        else:
            # The answer is the reception view itself: one request from the scan to the form
            # the parcel is checked on (a scanner at the bench scans parcel after parcel).
            return _render_reception(request, case)
    return render(
        request,
        "workshop/scan.html",
        {"form": form, "other": other},
        status=200 if not form.errors else 422,
    )


def _render_reception(
    request: HttpRequest, case: RepairRequest, *, failed: Panel | None = None, status: int = 200
) -> HttpResponse:
    """The reception view: what reception checks the parcel against, and the reception form,
    the keyboard in the serial number's field (or the first field in error). Only what it shows
    is read (`selectors.case_by_number`), not the whole case page's record."""
    action = ACTIONS_BY_SLUG["receive"]
    panel = failed or _panel(action, case, action.form_class(case=case, slug=action.slug))
    focus = panel.form.focus()
    if focus is not None:
        focus.field.widget.attrs["autofocus"] = True
    return render(
        request,
        "workshop/reception.html",
        {"case": case, "panel": panel, "row": selectors.case_row(case, timezone.now())},
        status=status,
    )


# --- The case page and its actions ----------------------------------------------------------


class Panel:
    """An action's panel on the case page: its form, where it posts, and an anchor."""

    def __init__(self, action: Action, form: ActionForm, url: str, anchor: str) -> None:
        self.action = action
        self.form = form
        self.url = url
        self.anchor = anchor
        # Its own template when it has one, else the generic panel.
        self.templates = [f"workshop/actions/{action.slug}.html", "workshop/actions/_form.html"]


def _form_for(
    action: Action,
    case: RepairRequest,
    situation: Situation,
    data: Any = None,
    files: Any = None,
    payment: Payment | None = None,
) -> ActionForm:
    kwargs: dict[str, Any] = {"case": case, "slug": action.slug}
    if payment is not None:
        kwargs["payment"] = payment
        kwargs["auto_id"] = f"payment-{payment.pk}-%s"
    if action.slug == "quote":
        kwargs["lines"] = _quote_lines_to_start(case, situation)
    return action.form_class(data, files, **kwargs)


def _quote_lines_to_start(case: RepairRequest, situation: Situation) -> list[Any]:
    current = next((q for q in case.quotes.all() if q.superseded_at is None), None)
    if current is not None:
        # A revised quote starts from the current one.
        return [
            services.QuoteLineInput(
                kind=line.kind,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                component=line.component,
            )
            for line in current.lines.all()
        ]
    if situation.evaluation is None:
        return []
    return services.quote_lines_suggested(case, situation.evaluation)


def _panel(action: Action, case: RepairRequest, form: ActionForm) -> Panel:
    payment = getattr(form, "payment", None)
    if payment is not None:
        url = reverse("workshop:payment", args=[case.case_number, payment.pk])
        anchor = f"payment-{payment.pk}"
    else:
        url = reverse("workshop:action", args=[case.case_number, action.slug])
        anchor = f"action-{action.slug}"
    return Panel(action, form, url, anchor)


def case_panels(
    case: RepairRequest, user: Any, failed: Panel | None = None, first: str = ""
) -> list[Panel]:
    """The panels of what `user` may do now, the failed one (with what was typed) in its
    place or first; `first` puts an action first (the reception view)."""
    situation = Situation(case=case, user=user)
    panels: list[Panel] = []
    for action in ACTIONS:
        if not action.shown(situation):
            continue
        if action.slug == "payment":
            for payment in case.payments.all():
                if not payment.is_paid:
                    panels.append(
                        _panel(action, case, _form_for(action, case, situation, payment=payment))
                    )
            continue
        panels.append(_panel(action, case, _form_for(action, case, situation)))
    if failed is not None:
        panels = [p for p in panels if p.anchor != failed.anchor]
        panels.insert(0, failed)
    elif first:
        panels.sort(key=lambda panel: panel.action.slug != first)
    return panels


def _render_case(
    request: HttpRequest,
    case: RepairRequest,
    *,
    failed: Panel | None = None,
    first: str = "",
    status: int = 200,
) -> HttpResponse:
    panels = case_panels(case, request.user, failed=failed, first=first)
    situation = Situation(case=case, user=request.user)
    if panels:
        focus = panels[0].form.focus()
        if focus is not None:
            focus.field.widget.attrs["autofocus"] = True
    evaluations = list(case.evaluations.all())
    quotes = sorted(case.quotes.all(), key=lambda quote: -quote.version)
    files: dict[str, list[Any]] = {kind.value: [] for kind in AttachmentKind}
    for attachment in case.attachments.all():
        files.setdefault(attachment.kind, []).append(attachment)
    quote_panel = next((p for p in panels if p.action.slug == "quote"), None)
    investigations = list(case.investigations.all())
    reception = getattr(case, "reception", None)
    express_return = getattr(case, "express_return", None) if case.express_requested else None
    return render(
        request,
        "workshop/case_detail.html",
        {
            "case": case,
            "panels": panels,
            "failed": failed,
            "now": timezone.now(),
            "row": selectors.case_row(case, timezone.now()),
            "clocks": selectors.case_clock_rows(case, timezone.now()),
            "declared": selectors.coverage_as(case.coverage),
            "evaluation": situation.evaluation,
            "evaluated": selectors.coverage_as(situation.evaluation.coverage)
            if situation.evaluation
            else None,
            "evaluations": evaluations,
            "quotes": quotes,
            "payments": list(case.payments.all()),
            "parts_used": list(case.parts_used.all()),
            "replacements": list(case.replacements.all()),
            "reception": reception,
            "express_return": express_return,
            "express_due": express.due_date(express_return) if express_return else None,
            "express_return_days": express.return_days(),
            "reception_unexpected": [
                str(UnexpectedItem(value).label)
                for value in (reception.unexpected_items if reception else [])
                if value in UnexpectedItem.values
            ],
            "return_address": snapshot_address_lines(case.return_address_snapshot),
            "next_replacement": case.plan.replacements_used + 1 if case.plan else None,
            "shipment": getattr(case, "return_shipment", None),
            "labels": {label.direction: label for label in getattr(case, "label_list", [])},
            "return_label_late": bool(
                case.status == S.SUBMITTED
                and case.return_label_sent_at is None
                and case.return_label_due_by
                and case.return_label_due_by < timezone.localdate()
            ),
            "investigations": investigations,
            "investigations_late": [i for i in investigations if i.is_late(timezone.now())],
            "files": files,
            "problems": request_problem_labels(case),
            "plan": selectors.plan_record(case),
            "history": selectors.device_history(case),
            "events": list(case.events.all()),
            "quote_preview": _quote_preview(case, situation, quote_panel),
            "quote_validity_days": services.quote_defaults()["validity_days"],
        },
        status=status,
    )


def _quote_preview(
    case: RepairRequest, situation: Situation, panel: Panel | None
) -> dict[str, Any] | None:
    """The totals and the options the customer will get, from the lines as they stand."""
    if panel is None or situation.evaluation is None:
        return None
    form = panel.form
    if form.is_bound:
        if not form.is_valid():
            return None
        lines = form.quote_lines()  # type: ignore[attr-defined]
    else:
        lines = _quote_lines_to_start(case, situation)
    totals = services.quote_totals(lines)
    terms = services.quote_defaults()
    options = services.quote_options(
        case=case, evaluation=situation.evaluation, total=totals.total, currency=terms["currency"]
    )
    return {"totals": totals, "currency": terms["currency"], "options": options, "terms": terms}


def _case_at_action(case_number: str | None, action: str) -> str:
    """The case page with `action`'s panel first and the keyboard in its first field.

    A query, not a fragment (`#action-ship`): a page opened at a fragment gets no autofocus
    (HTML: autofocus is skipped when the document has a target element), and Chromium even
    takes the focus back from a field when it scrolls to a target that cannot take it. A
    scanner's next number would then be typed into nothing."""
    return reverse("workshop:case", args=[case_number]) + "?" + urlencode({"action": action})


@workshop_page
@require_GET
def case_detail(request: HttpRequest, case_number: str) -> HttpResponse:
    case = selectors.case_for_staff(case_number)
    first = request.GET.get("action", "")
    if first not in ACTIONS_BY_SLUG:
        first = ""
    if case.case_number != case_number:
        if first:
            return redirect(_case_at_action(case.case_number, first))
        return redirect("workshop:case", case_number=case.case_number)
    return _render_case(request, case, first=first)


@workshop_page
@require_http_methods(["GET", "POST"])
def case_action(
    request: HttpRequest, case_number: str, action: str, payment_id: int | None = None
) -> HttpResponse:
    chosen = ACTIONS_BY_SLUG.get(action)
    if chosen is None or (chosen.slug == "payment") != (payment_id is not None):
        raise Http404
    if not lifecycle.staff_may(request.user, chosen.permission):
        raise PermissionDenied
    if request.method == "GET":
        # The reception view for a case awaiting its parcel; any other action is a panel of the
        # case page.
        if chosen.slug == "receive":
            light = selectors.case_by_number(case_number)
            if light is None:
                raise Http404
            if light.status in (S.SUBMITTED, S.EXPRESS_SHIPPED):
                return _render_reception(request, light)
            messages.warning(
                request,
                gettext("This case is not awaiting a parcel: it is “%(status)s”.")
                % {"status": light.get_status_display()},
            )
            return _render_case(request, selectors.case_for_staff(case_number))
        return redirect(_case_at_action(case_number, action))

    # Acting reads the case's own row (and what its forms read, when they read it); the whole
    # record is read only when the page must be shown again. A button alone reads the row
    # without the customer, model, unit, centre and plan joined: nothing on its form shows them.
    if chosen.form_class is ConfirmForm:
        case = selectors.case_to_confirm(case_number)
    else:
        case = selectors.case_for_action(case_number)

    payment = None
    if payment_id is not None:
        payment = next((p for p in case.payments.all() if p.pk == payment_id), None)
        if payment is None:
            raise Http404
    situation = Situation(case=case, user=request.user)
    form = _form_for(chosen, case, situation, request.POST, request.FILES, payment=payment)
    panel = _panel(chosen, case, form)
    status = 200
    if form.is_valid() and not form.review_only:
        started = timezone.now()
        try:
            result = chosen.run(form, case, request.user)
        except CaseWorkError as refusal:
            form.add_error(CASE_WORK_FIELDS.get(refusal.code), refusal.message)
            status = 422
            if refusal.code == "case_moved":
                status = 409
                # The page now shows the case as it is: sending again acts on that.
                data = request.POST.copy()
                data["expected_status"] = RepairRequest.objects.values_list(
                    "status", flat=True
                ).get(pk=case.pk)
                form.data = data
        except PlanRuleError as refusal:
            form.add_error(PLAN_RULE_FIELDS.get(refusal.code), refusal.message)
            status = 422
        except ValidationError as refusal:
            # A file refused when stored (the case's limit of photos reached meanwhile).
            form.add_error("photos" if "photos" in form.fields else None, refusal)
            status = 422
        else:
            if isinstance(result, Payment) and result.paid_at and result.paid_at < started:
                messages.warning(request, gettext("This payment was already recorded."))
            else:
                messages.success(request, str(chosen.done))
            return redirect("workshop:case", case_number=case.case_number)
    elif form.is_bound and not form.review_only:
        status = 422
    if chosen.slug == "receive":
        light = selectors.case_by_number(case_number)
        if light is not None and light.status in (S.SUBMITTED, S.EXPRESS_SHIPPED):
            return _render_reception(request, light, failed=panel, status=status)
    # What the case is now (another worker may have moved it), with the form as typed.
    return _render_case(
        request, selectors.case_for_staff(str(case.case_number)), failed=panel, status=status
    )
