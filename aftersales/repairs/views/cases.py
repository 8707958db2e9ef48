"""Following a request: My requests (drafts and cases), the case page, deleting a draft, and the
public progress query (guide, last page: « Requête relative à la progression de la réparation »
and « Mon compte → Détails du dossier »)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.core.http import client_address
from aftersales.core.ratelimit import FailureLimit
from aftersales.payments.providers.bank_transfer import transfer_reference
from aftersales.payments.references import reference_format

from .. import housekeeping, paying, selectors, services
from ..choices import ParcelDirection, QuoteOption, RequestStatus
from ..errors import CaseWorkError
from ..forms import QuoteAnswerForm
from ..models import RepairRequest

# --- My requests ------------------------------------------------------------------------------


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "repairs/request_list.html",
        {
            "drafts": selectors.drafts_of(request.user),
            "cases": selectors.case_rows_of(request.user),
            "draft_max_age_days": settings.AFTERSALES["DRAFT_MAX_AGE_DAYS"],
        },
    )


def case_page(
    request: HttpRequest,
    case: RepairRequest,
    *,
    error: str = "",
    status: int = 200,
    notice: str = "",
    notice_pending: bool = False,
) -> HttpResponse:
    """The case page; `error` (a refused answer or cancellation) is shown at the top, `notice`
    (where an online payment stands) too."""
    files = selectors.case_files(case)
    evaluation = selectors.latest_evaluation(case)
    payments_due = selectors.payments_due(case)
    ways = paying.ways_to_pay(case)
    pending = paying.pending_online(case) if payments_due else {}
    response = render(
        request,
        "repairs/case_detail.html",
        {
            "case": case,
            "error": error,
            "state": selectors.case_status_view(case),
            "timeline": selectors.customer_timeline(case),
            "shipment": selectors.return_shipment_of(case),
            "return_label": selectors.labels_of(case).get(ParcelDirection.INBOUND),
            "quote": selectors.case_quote_view(case),
            "payments_due": payments_due,
            "payments_received": selectors.payments_received(case),
            "bank_account": settings.AFTERSALES["BANK_ACCOUNT"],
            "ways_to_pay": ways,
            # Each payment due with the online payment that waits for its confirmation.
            "due_rows": [
                {"payment": payment, "pending": pending.get(payment.purpose_code)}
                for payment in payments_due
            ],
            "notice": notice,
            "notice_pending": notice_pending,
            "product_name": selectors.request_product_name(case),
            "problems": selectors.request_problem_labels(case),
            "invoices": files.get("invoice", []),
            "flight_logs": files.get("flight_log", []),
            "return_address": selectors.snapshot_address_lines(case.return_address_snapshot),
            # Plain customer words only, provisional until the product is evaluated; the
            # staff reasoning stays in the back office.
            "coverage": selectors.customer_coverage(case, evaluation),
            "express": selectors.express_terms(case),
            "express_return": selectors.express_return_view(case),
        },
        status=status,
    )
    if payments_due and ways.online:
        # The pay button's form leads to the provider's payment page (CSP form-action applies
        # to where a form submission is redirected).
        response._csp_update = {"form-action": ways.csp_form_action()}  # type: ignore[attr-defined]
    return response


@login_required
@require_GET
def case_detail(request: HttpRequest, case_number: str) -> HttpResponse:
    return case_page(request, selectors.case_page_of(request.user, case_number))


@login_required
@require_http_methods(["GET", "POST"])
def quote_answer(request: HttpRequest, case_number: str) -> HttpResponse:
    """An option's button (GET: the quote id and the option) opens the confirmation, which
    restates what the choice costs and what happens next; its POST records the answer. A quote
    revised meanwhile, answered already or expired is refused on the case page, with why."""
    case = selectors.case_page_of(request.user, case_number)
    form = QuoteAnswerForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return redirect(case)
    quote_id, option = form.cleaned_data["quote"], form.cleaned_data["option"]
    current = selectors.current_quote(case)
    refusal = services.quote_answer_refusal(
        case=case, current=current, quote_id=quote_id, option=option
    )
    view = selectors.quote_view(current, case_status=case.status) if current else None
    chosen = next((item for item in view.options if item.option == option), None) if view else None
    if refusal is None and chosen is None:
        refusal = CaseWorkError("option_not_offered")
    if refusal is None and request.method == "POST":
        try:
            services.quote_answer(case=case, quote_id=quote_id, option=option, by=request.user)
        except CaseWorkError as error:
            # Answered or revised in the moment between the page and this answer.
            refusal = error
        else:
            messages.success(
                request, gettext("Thank you: your answer is recorded. We have e-mailed you.")
            )
            return redirect(case)
    if refusal is not None:
        # The case page as it is now (the current quote, the status): read again.
        case = selectors.case_page_of(request.user, case_number)
        return case_page(request, case, error=refusal.message, status=409)
    # Issue 9: the reference of the payment this answer makes due, for a bank transfer.
    transfer = ""
    if chosen is not None and chosen.amount.amount > 0 and paying.ways_to_pay(case).bank_transfer:
        purpose = services.ANSWER_PAYMENTS[QuoteOption(option)]
        transfer = reference_format(transfer_reference(case.case_number or "", purpose))
    return render(
        request,
        "repairs/quote_confirm.html",
        {
            "case": case,
            "quote": view,
            "choice": chosen,
            "form": form,
            "transfer_reference": transfer,
        },
    )


def _cancel_refusal(case: RepairRequest) -> str:
    return gettext(
        "This request can no longer be cancelled here: it is “%(status)s”. If you need to, "
        "write to %(email)s with your case number."
    ) % {
        "status": RequestStatus(case.status).label,
        "email": settings.AFTERSALES["SUPPORT_EMAIL"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_cancel(request: HttpRequest, case_number: str) -> HttpResponse:
    """The customer withdraws a request before sending the parcel: a confirmation, then the
    POST. Once the parcel is in, the case page says why it cannot be cancelled here."""
    case = selectors.case_page_of(request.user, case_number)
    if request.method == "POST":
        try:
            services.case_cancel_by_customer(case=case, by=request.user)
        except CaseWorkError:
            # The parcel arrived in the meantime: the case page as it is now, and why.
            case = selectors.case_page_of(request.user, case_number)
            return case_page(request, case, error=_cancel_refusal(case), status=409)
        messages.success(request, gettext("Your request is cancelled."))
        return redirect(case)
    if not selectors.case_status_view(case).can_cancel:
        return case_page(request, case, error=_cancel_refusal(case), status=409)
    return render(
        request,
        "repairs/case_cancel_confirm.html",
        {"case": case, "product_name": selectors.request_product_name(case)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        with transaction.atomic():
            # Locked, so that a submission of the same draft in another tab either happens
            # first (the draft is a case now: 404) or waits for the deletion (then 404 too).
            draft = selectors.draft_of(request.user, pk, for_update=True)
            housekeeping.draft_delete(draft=draft)
        messages.success(request, gettext("The draft has been deleted."))
        return redirect("repairs:list")
    draft = selectors.draft_of(request.user, pk)
    return render(
        request,
        "repairs/draft_confirm_delete.html",
        {
            "draft": draft,
            "product_name": selectors.request_product_name(draft),
            "file_count": draft.attachments.count(),
        },
    )


# --- Public progress query --------------------------------------------------------------------

# Every lookup counts against the address, found or not: a customer checks a case a few times,
# a script walking through case numbers many. Misses also count against the case number, so that
# guessing the e-mail of a known case number from many addresses stops too. A miss on a number
# that does not exist counts the same way, so the limit says nothing about which numbers exist.
PROGRESS_LIMIT_PER_ADDRESS = FailureLimit(scope="repairs:progress:address", limit=10, window=600)
PROGRESS_LIMIT_PER_CASE = FailureLimit(scope="repairs:progress:case", limit=5, window=3600)

PROGRESS_NOT_FOUND = _("We found no case with this number and e-mail address.")
PROGRESS_RATE_LIMITED = _(
    "Too many progress queries. Please wait a few minutes and try again. If you filed the "
    "request yourself, log in and open My requests to see your cases at any time."
)


class ProgressQueryForm(forms.Form):
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        help_text=_("As on your case form, e.g. CAS-1234567-ABC123."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The e-mail address of the account the request was sent from."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_case_number(self) -> str:
        return selectors.normalize_case_number(self.cleaned_data["case_number"])


@require_http_methods(["GET", "POST"])
def progress_query(request: HttpRequest) -> HttpResponse:
    """Answers with the status only. A POST (CSRF-protected): the e-mail address stays out of
    URLs, logs and browser history, and another site cannot spend a visitor's limit."""
    form = ProgressQueryForm(request.POST if request.method == "POST" else None)
    progress = None
    status = 200
    if request.method == "POST" and form.is_valid():
        case_number = form.cleaned_data["case_number"]
        address = client_address(request)
        if PROGRESS_LIMIT_PER_ADDRESS.is_reached(address) or PROGRESS_LIMIT_PER_CASE.is_reached(
            case_number
        ):
            form.add_error(None, PROGRESS_RATE_LIMITED)
            status = 429
        else:
            PROGRESS_LIMIT_PER_ADDRESS.record_failure(address)
            progress = selectors.case_progress(
                case_number=case_number, email=form.cleaned_data["email"]
            )
            if progress is None:
                PROGRESS_LIMIT_PER_CASE.record_failure(case_number)
                form.add_error(None, PROGRESS_NOT_FOUND)
    response = render(
        request, "repairs/progress.html", {"form": form, "progress": progress}, status=status
    )
    # A status is personal: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response
