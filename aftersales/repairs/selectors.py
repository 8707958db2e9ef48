"""Reads of repair requests. Every customer-facing read goes through these, filtered by the
user, so that another customer's draft, case or file is a 404."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext
from django_countries import countries

from aftersales.payments.providers.bank_transfer import transfer_reference
from aftersales.payments.references import reference_format
from aftersales.plans.choices import CoverageOutcome
from aftersales.plans.money import Money

from . import lifecycle
from .choices import (
    AttachmentKind,
    EvaluatedCause,
    EventKind,
    HoldReason,
    PaymentMethod,
    PaymentPurpose,
    Problem,
    QuoteLineKind,
    QuoteOption,
    RequestStatus,
)
from .coverage import express_fee as coverage_express_fee
from .errors import CaseWorkError
from .models import (
    Attachment,
    CaseEvent,
    Evaluation,
    ParcelLabel,
    Payment,
    Quote,
    QuoteAnswer,
    QuoteLine,
    RepairRequest,
    ReturnShipment,
)
from .timeline import event_text, next_text, status_label


def requests_of(user: Any) -> QuerySet[RepairRequest]:
    return RepairRequest.objects.filter(user=user).select_related("product_model", "device", "zone")


def draft_of(user: Any, pk: int, *, for_update: bool = False) -> RepairRequest:
    queryset = RepairRequest.objects.filter(user=user, status=RequestStatus.DRAFT)
    if for_update:
        queryset = queryset.select_for_update()
    else:
        # What every step page reads to decide which steps are done and to show the answers so
        # far (the progress, the summary): one query rather than one for each.
        queryset = queryset.select_related(
            "zone", "device", "product_model", "plan__offering", "return_address"
        )
    return get_object_or_404(queryset, pk=pk)


def case_of(user: Any, case_number: str) -> RepairRequest:
    queryset = requests_of(user).exclude(status=RequestStatus.DRAFT)
    return get_object_or_404(queryset, case_number=case_number.strip().upper())


def attachment_for(user: Any, token: str) -> Attachment:
    """Owner, or staff whose role reads cases (`lifecycle.staff_reads_cases`)."""
    queryset = Attachment.objects.select_related("request")
    if not lifecycle.staff_reads_cases(user):
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
    """The customer's submitted cases, the newest first (for "My requests"), each with
    `payment_due` (a payment not recorded yet) and `quote_open` (a current quote still valid)
    to flag what waits for the customer."""
    return (
        RepairRequest.objects.filter(user=user)
        .exclude(status=RequestStatus.DRAFT)
        .select_related("product_model", "device__model")
        .annotate(
            payment_due=Exists(
                Payment.objects.filter(request=OuterRef("pk"), paid_at__isnull=True).exclude(
                    request__status=RequestStatus.CANCELLED
                )
            ),
            quote_open=Exists(
                Quote.objects.filter(
                    request=OuterRef("pk"),
                    superseded_at__isnull=True,
                    valid_until__gte=timezone.localdate(),
                )
            ),
        )
        .order_by("-submitted_at", "-pk")
    )


def case_rows_of(user: Any) -> list[RepairRequest]:
    """My requests' cases, each with `customer_status` (its status in the customer's words) and
    `waiting_for` (what it waits for from the customer, "" when nothing)."""
    cases = list(cases_of(user))
    for case in cases:
        case.customer_status = status_label(case.status, case.hold_reason)  # type: ignore[attr-defined]
        case.waiting_for = waiting_for_customer(  # type: ignore[attr-defined]
            case,
            payment_due=case.payment_due,  # type: ignore[attr-defined]
            quote_open=case.quote_open,  # type: ignore[attr-defined]
        )
    return cases


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
            "return_shipment",
            "express_return",
        )
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            # The labels without their PDF (downloaded on their own).
            Prefetch("labels", queryset=ParcelLabel.objects.defer("pdf"), to_attr="label_list"),
            # The customer reads the visible events only; staff notes never leave the back
            # office.
            Prefetch(
                "events",
                queryset=CaseEvent.objects.filter(customer_visible=True).order_by(
                    "occurred_at", "id"
                ),
                to_attr="visible_events",
            ),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.order_by("-evaluated_at", "-id"),
                to_attr="evaluations_newest",
            ),
            # A revised quote replaces the earlier one: only the current one is shown.
            Prefetch(
                "quotes",
                queryset=Quote.objects.filter(superseded_at__isnull=True)
                .select_related("answer")
                .prefetch_related(
                    Prefetch("lines", queryset=QuoteLine.objects.select_related("component"))
                ),
                to_attr="current_quotes",
            ),
            Prefetch(
                "payments",
                queryset=Payment.objects.order_by("created_at", "id"),
                to_attr="payment_list",
            ),
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


def _fee_parts(coverage: dict[str, Any]) -> tuple[Any, Any]:
    fee = coverage.get("fee")
    if isinstance(fee, dict):
        return fee.get("amount"), fee.get("currency")
    return coverage.get("fee_amount"), coverage.get("fee_currency")


def _fee_money(coverage: dict[str, Any]) -> Money | None:
    """The plan's fee a coverage snapshot recorded, or None."""
    amount, currency = _fee_parts(coverage)
    if amount in (None, ""):
        return None
    try:
        return Money(Decimal(str(amount)), str(currency or ""))
    except InvalidOperation:
        return None


def _fee_text(coverage: dict[str, Any]) -> str:
    amount, currency = _fee_parts(coverage)
    if amount in (None, ""):
        return ""
    money = _fee_money(coverage)
    return str(money).strip() if money else f"{amount} {currency or ''}".strip()


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


# --- The case as the customer follows it after submission (issue 8) ---------------------------
# The timeline in customer words, where the case stands and what we wait for, the current quote
# with its options, the payments, and the coverage: provisional until a technician has
# evaluated the product, "as evaluated" afterwards. The case page, the e-mails and the case form
# read these, so that the customer reads the same words everywhere.


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    text: str
    # A public note written with the move (staff notes are never visible events).
    note: str = ""
    carrier: str = ""
    tracking_number: str = ""


def _visible_events(case: RepairRequest) -> list[CaseEvent]:
    events = getattr(case, "visible_events", None)
    if events is None:
        events = list(case.events.filter(customer_visible=True).order_by("occurred_at", "id"))
    return list(events)


def labels_of(case: RepairRequest) -> dict[str, ParcelLabel]:
    """The case's parcel labels by direction (inbound, outbound), without their PDF."""
    labels = getattr(case, "label_list", None)
    if labels is None:
        labels = list(case.labels.defer("pdf"))
    return {label.direction: label for label in labels}


def return_shipment_of(case: RepairRequest) -> ReturnShipment | None:
    # None when there is none (the reverse one-to-one raises an AttributeError subclass).
    return getattr(case, "return_shipment", None)


# The moves that sent a parcel to the customer (the unit back, or an Express replacement).
SHIPPED_OUT = (RequestStatus.SHIPPED, RequestStatus.EXPRESS_SHIPPED)


def customer_timeline(case: RepairRequest) -> list[TimelineEntry]:
    """The events the customer sees, oldest first, each in the customer's words."""
    events = _visible_events(case)
    shipment = return_shipment_of(case)
    # A hold's reason is the case's while it is on hold: only the latest hold can tell it.
    holds = [
        index
        for index, event in enumerate(events)
        if event.kind == EventKind.STATUS and event.status == RequestStatus.ON_HOLD
    ]
    current_hold = holds[-1] if holds and case.status == RequestStatus.ON_HOLD else None
    entries = []
    for index, event in enumerate(events):
        is_move = event.kind == EventKind.STATUS
        shipped = is_move and event.status in SHIPPED_OUT and shipment is not None
        entries.append(
            TimelineEntry(
                at=event.occurred_at,
                text=event_text(
                    event,
                    case.hold_reason if index == current_hold else "",
                    express=case.express_requested,
                ),
                note=event.note if is_move else "",
                carrier=shipment.carrier if shipped and shipment else "",
                tracking_number=shipment.tracking_number if shipped and shipment else "",
            )
        )
    return entries


@dataclass(frozen=True)
class PaymentView:
    purpose: str
    amount: Money
    due_since: datetime
    paid_at: datetime | None = None
    method: str = ""
    pk: int = 0
    purpose_code: str = ""
    # The ISO 11649 reference to write on a bank transfer for this payment (issue 9).
    transfer_reference: str = ""


def _payments(case: RepairRequest) -> list[Payment]:
    payments = getattr(case, "payment_list", None)
    if payments is None:
        payments = list(case.payments.order_by("created_at", "id"))
    return list(payments)


def _payment_view(payment: Payment) -> PaymentView:
    return PaymentView(
        purpose=str(PaymentPurpose(payment.purpose).label),
        amount=Money(payment.amount, payment.currency),
        due_since=payment.created_at,
        paid_at=payment.paid_at,
        method=str(PaymentMethod(payment.method).label) if payment.method else "",
        pk=payment.pk,
        purpose_code=payment.purpose,
        transfer_reference=reference_format(
            transfer_reference(payment.request.case_number or "", payment.purpose)
        )
        if payment.paid_at is None
        else "",
    )


def payments_due(case: RepairRequest) -> list[PaymentView]:
    """What the customer still has to pay (an agent records it when it arrives). A cancelled
    case owes nothing: what was due before (an Express fee) is not asked for any more."""
    if case.status == RequestStatus.CANCELLED:
        return []
    return [_payment_view(payment) for payment in _payments(case) if payment.paid_at is None]


def payments_received(case: RepairRequest) -> list[PaymentView]:
    return [_payment_view(payment) for payment in _payments(case) if payment.paid_at is not None]


@dataclass(frozen=True)
class CaseStatusView:
    status: str
    label: str
    next_text: str
    # A quote to answer, a payment to make, or a question on hold: the customer must act.
    waiting_for_customer: bool
    # Guide: before the parcel is sent the customer may still withdraw the request.
    can_cancel: bool


def waiting_for_customer(case: RepairRequest, *, payment_due: bool, quote_open: bool) -> str:
    """What the case waits for from the customer, in their words ("" when nothing). An expired
    quote can no longer be answered: the workshop sends a new one first."""
    if case.status == RequestStatus.QUOTED and quote_open:
        return gettext("a quote to answer")
    if payment_due:
        return gettext("a payment to make")
    if case.status == RequestStatus.ON_HOLD and case.hold_reason == HoldReason.WAITING_FOR_CUSTOMER:
        return gettext("an answer from you")
    return ""


def case_status_view(case: RepairRequest) -> CaseStatusView:
    due = bool(payments_due(case))
    then = next_text(case.status, case.hold_reason, express=case.express_requested)
    quote_open = False
    if case.status == RequestStatus.QUOTED:
        quote = current_quote(case)
        quote_open = quote is not None and timezone.localdate() <= quote.valid_until
        if quote is not None and not quote_open:
            # The quote can no longer be answered: a new one is needed first.
            then = str(
                CaseWorkError.message_for(
                    "quote_expired", {"date": date_format(quote.valid_until, "DATE_FORMAT")}
                )
            )
    return CaseStatusView(
        status=case.status,
        label=status_label(case.status, case.hold_reason),
        next_text=then,
        waiting_for_customer=bool(
            waiting_for_customer(case, payment_due=due, quote_open=quote_open)
        ),
        can_cancel=case.status == RequestStatus.SUBMITTED
        or (
            # Express: until its fee is paid (lifecycle's guard).
            case.express_requested
            and case.status == RequestStatus.AWAITING_PAYMENT
            and not payments_received(case)
        ),
    )


# The quote and its options ------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteOptionView:
    option: str
    # The button: what the customer chooses and what it costs.
    label: str
    amount: Money
    # The confirmation restates what it costs and what happens next.
    cost_text: str
    then_text: str


@dataclass(frozen=True)
class QuoteLineView:
    kind: str
    description: str
    quantity: Decimal
    unit_price: Money
    amount: Money


@dataclass(frozen=True)
class QuoteView:
    quote: Quote
    version: int
    valid_until: date
    expired: bool
    lines: list[QuoteLineView]
    subtotal: Money
    vat_rate: Decimal
    vat: Money
    total: Money
    message: str
    options: list[QuoteOptionView]
    answer: QuoteAnswer | None
    answer_label: str
    # The case waits for this answer, and the quote can still be answered.
    answerable: bool

    @property
    def revised(self) -> bool:
        return self.version > 1


def _hours_text(value: Any) -> str:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    decimals = 0 if hours == hours.to_integral_value() else 2
    return number_format(hours, decimals, use_l10n=True)


def quote_option_view(item: dict[str, Any]) -> QuoteOptionView | None:
    """One option of a quote (`Quote.options`) in the customer's words: the button, what it
    costs and what happens next (FAQ 10; the guide's evaluation fee). None for an unknown one."""
    option = str(item.get("option") or "")
    if option not in QuoteOption.values:
        return None
    try:
        amount = Money(Decimal(str(item.get("amount"))), str(item.get("currency") or ""))
    except InvalidOperation:
        return None
    free = amount.amount == 0
    values: dict[str, Any] = {"amount": amount}
    if option == QuoteOption.REPAIR:
        label = gettext("Accept and pay the repair (%(amount)s)") % values
        cost = (
            gettext("You accept the quote: the repair costs you nothing.")
            if free
            else gettext("You accept the quote: the repair costs %(amount)s, VAT included.")
            % values
        )
        then = (
            gettext("We repair your product, check it and ship it back to you.")
            if free
            else gettext(
                "Once we have received your payment, we repair your product, check it and ship "
                "it back to you."
            )
        )
    elif option == QuoteOption.PLAN_REPLACEMENT:
        number = int(item.get("replacement_number") or 0)
        allowed = int(item.get("replacements_allowed") or 0)
        values.update(number=number, allowed=allowed)
        label = gettext("Use my plan's replacement %(number)s of %(allowed)s (%(amount)s)") % values
        # FAQ 10: « … après avoir payé le frais de service spécifié dans votre contrat ».
        cost = (
            gettext(
                "You use replacement %(number)s of %(allowed)s of your plan, for the service "
                "fee of %(amount)s set in your service contract."
            )
            % values
        )
        left = max(allowed - number, 0)
        then = " ".join(
            [
                gettext(
                    "Once we have received your payment, we replace your product with a new or "
                    "as-new one, whose serial number is bound to your plan, and ship it to you."
                )
                if not free
                else gettext(
                    "We replace your product with a new or as-new one, whose serial number is "
                    "bound to your plan, and ship it to you."
                ),
                ngettext(
                    "Your plan will then have %(left)s replacement left.",
                    "Your plan will then have %(left)s replacements left.",
                    left,
                )
                % {"left": left},
            ]
        )
    else:
        values["hours"] = _hours_text(item.get("hours", ""))
        label = gettext("Refuse the repair and pay the evaluation fee (%(amount)s)") % values
        # Guide: « … des frais d'évaluation des dommages de 50 euros par heure si vous refusez
        # de réparer votre appareil après la réception du devis ».
        cost = (
            gettext("You refuse the repair: there is no evaluation fee to pay.")
            if free
            else gettext(
                "You refuse the repair and pay the evaluation fee of %(amount)s (time spent "
                "evaluating your product: %(hours)s h)."
            )
            % values
        )
        then = (
            gettext("We ship your product back to you unrepaired.")
            if free
            else gettext(
                "Once we have received your payment, we ship your product back to you unrepaired."
            )
        )
    return QuoteOptionView(
        option=option, label=label, amount=amount, cost_text=cost, then_text=then
    )


def _default_labour_words() -> set[str]:
    words = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words.add(gettext("Labour").casefold())
    return words


def _line_view(line: QuoteLine, currency: str) -> QuoteLineView:
    # A part reads in the customer's language (the catalogue's name); labour too, unless the
    # technician described it in their own words.
    if line.component is not None:
        description = line.component.name
    elif line.kind == QuoteLineKind.LABOUR and (
        not line.description or line.description.strip().casefold() in _default_labour_words()
    ):
        description = str(QuoteLineKind.LABOUR.label)
    else:
        description = line.description
    return QuoteLineView(
        kind=str(QuoteLineKind(line.kind).label),
        description=description,
        quantity=line.quantity,
        unit_price=Money(line.unit_price, currency),
        amount=Money(line.amount, currency),
    )


def quote_view(quote: Quote, *, case_status: str) -> QuoteView:
    """The quote as the customer reads it (page and e-mail)."""
    answer = getattr(quote, "answer", None)
    expired = timezone.localdate() > quote.valid_until
    options = [view for item in quote.options if (view := quote_option_view(item)) is not None]
    answer_label = ""
    if answer is not None:
        chosen = next((view for view in options if view.option == answer.option), None)
        answer_label = chosen.label if chosen else str(QuoteOption(answer.option).label)
    currency = quote.currency
    return QuoteView(
        quote=quote,
        version=quote.version,
        valid_until=quote.valid_until,
        expired=expired,
        lines=[_line_view(line, currency) for line in quote.lines.all()],
        subtotal=Money(quote.subtotal, currency),
        vat_rate=quote.vat_rate,
        vat=Money(quote.vat, currency),
        total=Money(quote.total, currency),
        message=quote.message,
        options=options,
        answer=answer,
        answer_label=answer_label,
        answerable=answer is None and not expired and case_status == RequestStatus.QUOTED,
    )


def current_quote(case: RepairRequest) -> Quote | None:
    """The quote the customer answers now (a revised one replaces the earlier one)."""
    quotes = getattr(case, "current_quotes", None)
    if quotes is not None:
        return quotes[0] if quotes else None
    return (
        case.quotes.filter(superseded_at__isnull=True)
        .select_related("answer")
        .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.select_related("component")))
        .first()
    )


def case_quote_view(case: RepairRequest) -> QuoteView | None:
    quote = current_quote(case)
    return quote_view(quote, case_status=case.status) if quote is not None else None


# Coverage in the customer's words: provisional, then as evaluated ----------------------------


@dataclass(frozen=True)
class CustomerCoverageView:
    # True until a technician has evaluated the product: then it is "as evaluated".
    provisional: bool
    outcome: str
    headline: str
    reasons: list[str] = field(default_factory=list)
    cause: str = ""


# Reasons that only repeat the headline of a covered outcome.
_HEADLINE_REASONS = {"warranty_defect", "plan_replacement"}


def latest_evaluation(case: RepairRequest) -> Evaluation | None:
    evaluations = getattr(case, "evaluations_newest", None)
    if evaluations is not None:
        return evaluations[0] if evaluations else None
    return case.evaluations.order_by("-evaluated_at", "-id").first()


def _plan_values(coverage: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": coverage.get("replacement_number"),
        "allowed": coverage.get("replacements_allowed"),
        "fee": _fee_text(coverage),
    }


def _provisional_headline(outcome: str, coverage: dict[str, Any]) -> str:
    """Never a promise: what the declaration suggests, to be confirmed by the evaluation."""
    if outcome == CoverageOutcome.WARRANTY:
        return gettext("Likely covered by the warranty, confirmed after evaluation.")
    if outcome == CoverageOutcome.PLAN_REPLACEMENT:
        values = _plan_values(coverage)
        if values["fee"]:
            return (
                gettext(
                    "Likely a replacement under your plan (replacement %(number)s of "
                    "%(allowed)s, fee %(fee)s), confirmed after evaluation."
                )
                % values
            )
        return (
            gettext(
                "Likely a replacement under your plan (replacement %(number)s of %(allowed)s), "
                "confirmed after evaluation; we will tell you the fee."
            )
            % values
        )
    return gettext("Likely a paid repair, quoted after evaluation.")


def _express_headline(express: ExpressTermsView) -> str:
    values = {
        "number": express.replacement_number,
        "allowed": express.replacements_allowed,
        "total": express.total,
    }
    if express.total is not None:
        return (
            gettext(
                "Express replacement under your plan (replacement %(number)s of %(allowed)s), "
                "with no liability assessment: %(total)s in all, paid before your replacement "
                "unit ships."
            )
            % values
        )
    return (
        gettext(
            "Express replacement under your plan (replacement %(number)s of %(allowed)s), with "
            "no liability assessment; we will tell you the fee before your replacement unit "
            "ships."
        )
        % values
    )


def _evaluated_headline(outcome: str, coverage: dict[str, Any]) -> str:
    if outcome == CoverageOutcome.WARRANTY:
        # FAQ 8.
        return gettext(
            "As evaluated: covered by the warranty. The repair is free and uses none of your "
            "plan's replacements."
        )
    if outcome == CoverageOutcome.PLAN_REPLACEMENT:
        values = _plan_values(coverage)
        if values["fee"]:
            return (
                gettext(
                    "As evaluated: your plan covers a replacement (replacement %(number)s of "
                    "%(allowed)s, fee %(fee)s)."
                )
                % values
            )
        return (
            gettext(
                "As evaluated: your plan covers a replacement (replacement %(number)s of "
                "%(allowed)s)."
            )
            % values
        )
    return gettext(
        "As evaluated: neither the warranty nor a plan covers the repair; it is paid at the "
        "quoted price."
    )


def customer_coverage(
    case: RepairRequest, evaluation: Evaluation | None = None
) -> CustomerCoverageView | None:
    """Who pays, as the customer reads it everywhere (case page, confirmation page and e-mail,
    case form). Until a technician has evaluated the product it is provisional, "likely …,
    confirmed after evaluation", never a promise; afterwards it is the evaluated decision with
    its reasons in the reader's language. Pass `evaluation` when it is known (the latest one),
    else it is read. None when the case recorded no decision."""
    if evaluation is None:
        evaluation = latest_evaluation(case)
    if evaluation is not None and evaluation.coverage.get("outcome"):
        coverage = evaluation.coverage
        outcome = str(coverage["outcome"])
        reasons = [
            text
            for reason in coverage.get("reasons") or []
            if isinstance(reason, dict)
            and reason.get("code") not in _HEADLINE_REASONS
            and (text := _reason_text(reason, "customer_text"))
        ]
        return CustomerCoverageView(
            provisional=False,
            outcome=outcome,
            headline=_evaluated_headline(outcome, coverage),
            reasons=reasons,
            cause=str(EvaluatedCause(evaluation.cause).label)
            if evaluation.cause in EvaluatedCause.values
            else "",
        )
    coverage = case.coverage or {}
    outcome = str(coverage.get("outcome") or "")
    if not outcome:
        return None
    express = express_terms(case) if outcome == CoverageOutcome.PLAN_REPLACEMENT else None
    if express is not None:
        # FAQ 3: Express has no liability assessment: what the contract says is what it costs.
        return CustomerCoverageView(
            provisional=False, outcome=outcome, headline=_express_headline(express)
        )
    # Why a paid repair is likely (no plan, the plan ended, a part it does not cover) is a fact
    # worth telling; the reasons of a covered outcome would read as a promise.
    reasons = (
        [
            text
            for reason in coverage.get("reasons") or []
            if isinstance(reason, dict) and (text := _reason_text(reason, "customer_text"))
        ]
        if outcome == CoverageOutcome.NOT_COVERED
        else []
    )
    return CustomerCoverageView(
        provisional=True,
        outcome=outcome,
        headline=_provisional_headline(outcome, coverage),
        reasons=reasons,
    )


# --- Express (seed 001, « DJI Care Refresh Express ») ------------------------------------------


@dataclass(frozen=True)
class ExpressTermsView:
    """What an Express request costs and what happens next, everywhere the customer reads it
    (summary, confirmation page and e-mail, case page, case form)."""

    replacement_number: int
    replacements_allowed: int
    replacement_fee: Money | None
    express_fee: Money | None
    total: Money | None
    return_days: int


def express_terms(repair_request: RepairRequest) -> ExpressTermsView | None:
    """None unless the customer chose Express under a plan. Express is one of the plan's
    replacements (its contract fee) plus the Express fee, paid before the replacement unit
    ships, which it does before the damaged unit arrives; that unit must come back within
    EXPRESS_RETURN_DAYS with the case form (seed 001; PRODUCT: « 7–14 days »). No liability
    assessment (FAQ 3). Once submitted, the numbers are the case's own (its coverage snapshot),
    not the plan's as it is now."""
    plan = repair_request.plan if repair_request.plan_id else None
    if not repair_request.express_requested or plan is None:
        return None
    snapshot = repair_request.coverage or {}
    if snapshot.get("outcome") == CoverageOutcome.PLAN_REPLACEMENT:
        number = int(snapshot.get("replacement_number") or plan.replacements_used + 1)
        allowed = int(snapshot.get("replacements_allowed") or plan.replacements_allowed)
        fee = _fee_money(snapshot)
    else:
        number, allowed = plan.replacements_used + 1, plan.replacements_allowed
        fee = plan.next_fee
    express = coverage_express_fee(plan)
    total = None
    if fee is not None and express is not None and fee.currency == express.currency:
        total = Money(amount=fee.amount + express.amount, currency=fee.currency)
    elif fee is None and express is not None:
        total = express
    return ExpressTermsView(
        replacement_number=number,
        replacements_allowed=allowed,
        replacement_fee=fee,
        express_fee=express,
        total=total,
        return_days=int(settings.AFTERSALES["EXPRESS_RETURN_DAYS"]),
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
        .only("case_number", "status", "hold_reason", "submitted_at", "status_changed_at")
        .first()
    )
    if case is None:
        return None
    return CaseProgress(
        case_number=str(case.case_number),
        status=case.status,
        status_label=status_label(case.status, case.hold_reason),
        # When the status last changed, not when staff last wrote a note: the timeline's
        # internal events are not the public's business.
        changed_at=case.status_changed_at or case.submitted_at,
    )


@dataclass(frozen=True)
class ExpressReturnView:
    """The damaged unit an Express case owes back, as the customer reads it."""

    due_on: date
    serial_number: str
    flagged: bool
    flag_labels: list[str]
    received: bool


def express_return_view(case: RepairRequest) -> ExpressReturnView | None:
    from .choices import ExpressResolution
    from .express import due_date

    owed = getattr(case, "express_return", None) if case.express_requested else None
    if owed is None:
        return None
    return ExpressReturnView(
        due_on=due_date(owed),
        serial_number=owed.serial_number,
        # Flagged until an agent clears it (a charge keeps saying why it is owed).
        flagged=owed.flagged_at is not None and owed.resolution != ExpressResolution.CLEARED,
        flag_labels=owed.flag_labels,
        received=case.status != RequestStatus.EXPRESS_SHIPPED,
    )
