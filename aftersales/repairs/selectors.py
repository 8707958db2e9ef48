"""Reads of repair requests. Every customer-facing read goes through these, filtered by the
user, so that another customer's draft, case or file is a 404."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.formats import date_format
from django_countries import countries

from aftersales.plans.choices import CoverageOutcome
from aftersales.plans.money import Money

from .choices import AttachmentKind, Problem, RequestStatus
from .models import Attachment, CaseEvent, RepairRequest


def requests_of(user: Any) -> QuerySet[RepairRequest]:
    return RepairRequest.objects.filter(user=user).select_related("product_model", "device", "zone")


def draft_of(user: Any, pk: int, *, for_update: bool = False) -> RepairRequest:
    queryset = RepairRequest.objects.filter(user=user, status=RequestStatus.DRAFT)
    if for_update:
        queryset = queryset.select_for_update()
    return get_object_or_404(queryset, pk=pk)


def case_of(user: Any, case_number: str) -> RepairRequest:
    queryset = requests_of(user).exclude(status=RequestStatus.DRAFT)
    return get_object_or_404(queryset, case_number=case_number.strip().upper())


def attachment_for(user: Any, token: str) -> Attachment:
    """Owner or staff only."""
    queryset = Attachment.objects.select_related("request")
    if not getattr(user, "is_staff", False):
        queryset = queryset.filter(request__user=user)
    return get_object_or_404(queryset, token=token)


# --- My requests and the case page ------------------------------------------------------------


def drafts_of(user: Any) -> QuerySet[RepairRequest]:
    """The customer's drafts, the last saved first (for "My requests")."""
    return (
        RepairRequest.objects.filter(user=user, status=RequestStatus.DRAFT)
        .select_related("product_model", "device__model")
        .order_by("-updated_at", "-pk")
    )


def cases_of(user: Any) -> QuerySet[RepairRequest]:
    """The customer's submitted cases, the newest first (for "My requests")."""
    return (
        RepairRequest.objects.filter(user=user)
        .exclude(status=RequestStatus.DRAFT)
        .select_related("product_model", "device__model")
        .order_by("-submitted_at", "-pk")
    )


def case_page_of(user: Any, case_number: str) -> RepairRequest:
    """One of the customer's cases with everything its page shows, in a fixed number of
    queries; a 404 for a draft, another customer's case or no case."""
    queryset = (
        RepairRequest.objects.filter(user=user)
        .exclude(status=RequestStatus.DRAFT)
        .select_related(
            "zone",
            "product_model",
            "device__model",
            "plan__offering",
            "component",
            "repair_centre",
        )
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            Prefetch("events", queryset=CaseEvent.objects.order_by("occurred_at", "id")),
        )
    )
    return get_object_or_404(queryset, case_number=normalize_case_number(case_number))


def request_product_name(repair_request: RepairRequest) -> str:
    """The product as the customer chose it: the model, or the model of the chosen device."""
    model = repair_request.product_model
    if model is not None:
        return model.display_name
    device = repair_request.device
    if device is not None:
        return device.model.display_name
    return ""


def request_problem_labels(repair_request: RepairRequest) -> list[str]:
    """The ticked problems in the guide's words, in the guide's order."""
    ticked = set(repair_request.problems or [])
    return [str(problem.label) for problem in Problem if problem.value in ticked]


def case_files(case: RepairRequest) -> dict[str, list[Attachment]]:
    """The case's files by kind (uses the prefetched attachments)."""
    files: dict[str, list[Attachment]] = {kind.value: [] for kind in AttachmentKind}
    for attachment in case.attachments.all():
        files.setdefault(attachment.kind, []).append(attachment)
    return files


def snapshot_address_lines(snapshot: dict[str, Any]) -> list[str]:
    """The return address copied at submission, as lines (the same order as Address.lines)."""
    if not snapshot:
        return []
    code = str(snapshot.get("country") or "")
    place = f"{snapshot.get('postcode', '')} {snapshot.get('city', '')}".strip()
    lines = [
        snapshot.get("full_name", ""),
        snapshot.get("company", ""),
        snapshot.get("street", ""),
        snapshot.get("street2", ""),
        place,
        str(countries.name(code) or code) if code else "",
    ]
    return [str(line) for line in lines if line]


# --- Coverage decision as the submission recorded it ------------------------------------------
# The submission stores `coverage_decide()`'s answer as JSON (`RepairRequest.coverage`): the
# outcome and its reasons, each with the FAQ item it comes from, a staff text and a customer text.
# The customer reads only the customer texts; staff read the staff texts with the FAQ items.


@dataclass(frozen=True)
class CoverageReasonView:
    faq: str
    text: str


@dataclass(frozen=True)
class CoverageView:
    outcome: str
    outcome_label: str
    reasons: list[CoverageReasonView] = field(default_factory=list)
    fee: str = ""
    replacement: str = ""
    plan_id: int | None = None
    warranty_ends_on: str = ""

    @property
    def is_covered(self) -> bool:
        return self.outcome in (CoverageOutcome.WARRANTY, CoverageOutcome.PLAN_REPLACEMENT)


def _fee_text(coverage: dict[str, Any]) -> str:
    fee = coverage.get("fee")
    amount, currency = (
        (fee.get("amount"), fee.get("currency"))
        if isinstance(fee, dict)
        else (coverage.get("fee_amount"), coverage.get("fee_currency"))
    )
    if amount in (None, ""):
        return ""
    try:
        return str(Money(Decimal(str(amount)), str(currency or ""))).strip()
    except InvalidOperation:
        return f"{amount} {currency or ''}".strip()


def _reason_text(reason: dict[str, Any], key: str) -> str:
    """The reason's text in the reader's language when the case recorded it (`key` + "s", by
    language code), else the text recorded at submission."""
    texts = reason.get(f"{key}s")
    if isinstance(texts, dict):
        language = translation.get_language() or settings.LANGUAGE_CODE
        for code in (language, language.split("-")[0]):
            if texts.get(code):
                return str(texts[code])
    return str(reason.get(key) or "")


def _date_text(value: Any) -> str:
    """An ISO date of the JSON in the active language's format."""
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value or "")


def case_coverage(case: RepairRequest, *, audience: str) -> CoverageView | None:
    """The recorded coverage decision for `audience` "customer" (plain words only) or "staff"
    (the reasoning with its FAQ items). None when the case recorded no decision."""
    coverage = case.coverage or {}
    outcome = str(coverage.get("outcome") or "")
    if not outcome:
        return None
    text_key = "customer_text" if audience == "customer" else "staff_text"
    reasons = [
        CoverageReasonView(faq=str(reason.get("faq", "")), text=text)
        for reason in coverage.get("reasons") or []
        if isinstance(reason, dict) and (text := _reason_text(reason, text_key))
    ]
    try:
        outcome_label = str(CoverageOutcome(outcome).label)
    except ValueError:
        outcome_label = outcome
    number, allowed = coverage.get("replacement_number"), coverage.get("replacements_allowed")
    warranty = coverage.get("warranty")
    if not isinstance(warranty, dict):
        warranty = {}
    return CoverageView(
        outcome=outcome,
        outcome_label=outcome_label,
        reasons=reasons,
        fee=_fee_text(coverage),
        replacement=f"{number}/{allowed}" if number and allowed else "",
        plan_id=coverage.get("plan_id"),
        warranty_ends_on=_date_text(warranty.get("ends_on")) if warranty.get("ends_on") else "",
    )


# --- Public progress query --------------------------------------------------------------------

_CASE_NUMBER_JUNK = re.compile(r"\s+")


def normalize_case_number(value: str) -> str:
    """Case numbers are compared trimmed, without spaces, in upper case (typed from paper)."""
    return _CASE_NUMBER_JUNK.sub("", value or "").upper()


@dataclass(frozen=True)
class CaseProgress:
    """All that the public progress query tells: the status and when it last changed."""

    case_number: str
    status: str
    status_label: str
    changed_at: datetime | None


def case_progress(*, case_number: str, email: str) -> CaseProgress | None:
    """The status of the case `case_number` filed from the account with e-mail `email`; None
    when either does not match (the caller answers the same whichever was wrong)."""
    case = (
        RepairRequest.objects.exclude(status=RequestStatus.DRAFT)
        .filter(case_number=normalize_case_number(case_number), user__email__iexact=email.strip())
        .only("case_number", "status", "submitted_at")
        .first()
    )
    if case is None:
        return None
    last_event = case.events.order_by("-occurred_at", "-id").only("occurred_at").first()
    return CaseProgress(
        case_number=str(case.case_number),
        status=case.status,
        status_label=str(case.get_status_display()),
        changed_at=last_event.occurred_at if last_event else case.submitted_at,
    )
