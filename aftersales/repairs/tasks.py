"""The confirmation e-mail of a submitted case, with the case form (PDF) attached."""

from __future__ import annotations

import logging
from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from aftersales.core.emails import email_send_templated, subject_render, text_render
from aftersales.core.outbox import email_deliver_once, email_was_sent
from aftersales.core.recurring import RecurringTask, recurring_schedule

from .choices import EventKind, RequestStatus
from .models import CaseEvent, RepairRequest
from .paying import ways_to_pay
from .pdf import case_form_pdf, case_language
from .selectors import customer_coverage, express_terms, payments_due

logger = logging.getLogger(__name__)

# An Express case's damaged unit is still to come to the centre in these.
EXPRESS_AWAITING_UNIT = (
    RequestStatus.AWAITING_PAYMENT,
    RequestStatus.REPLACING,
    RequestStatus.EXPRESS_SHIPPED,
)


@task()
def send_case_confirmation(*, request_id: int) -> None:
    """E-mails the customer their case number, the guide's next steps and the case form to
    print, in the customer's language. Queued by the submission once its transaction commits.

    The PDF is rendered here rather than in the request: submitting stays fast, and the task
    only carries the case's id. One e-mail per case: a run again after a crash, or a second
    queueing, sends nothing more (`core.outbox`).
    """
    case = (
        RepairRequest.objects.select_related(
            "user", "product_model", "device__model", "plan__offering", "component", "repair_centre"
        )
        .exclude(status=RequestStatus.DRAFT)
        .filter(pk=request_id)
        .first()
    )
    if case is None:
        # Deleted since, or still a draft: nothing to confirm, and nothing to retry.
        logger.warning("Case confirmation not sent: no such case", extra={"request_id": request_id})
        return

    key = f"repairs.case_confirmation:{case.case_number}"
    if email_was_sent(key):
        # Sent by an earlier run: not even the PDF is rendered again.
        logger.info(
            "Case confirmation already sent",
            extra={"request_id": case.pk, "case_number": case.case_number},
        )
        return
    language = case_language(case)
    pdf = case_form_pdf(case, language)
    context: dict[str, Any] = {
        "case": case,
        "case_number": case.case_number,
        "customer": case.user,
        "centre": case.repair_centre,
        "progress_url": settings.SITE_URL + reverse("repairs:progress"),
        "case_url": settings.SITE_URL + reverse("repairs:case", args=[case.case_number]),
        "estimated_return_on": case.estimated_return_on,
        "BRAND": settings.AFTERSALES["BRAND"],
        "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
        "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
    }
    with translation.override(language):
        # Provisional until a technician has evaluated the product: never a promise.
        context["coverage"] = customer_coverage(case)
        context["express"] = express_terms(case)
        # Seed 001: the Express amount is paid first; the e-mail says how.
        due = [view for view in payments_due(case) if view.purpose_code == "express_fee"]
        context["express_payment"] = due[0] if due else None
        context["express_reference"] = (
            due[0].transfer_reference if due and ways_to_pay(case).bank_transfer else ""
        )
        subject = subject_render("repairs/emails/case_confirmation_subject.txt", context)
        text_body = text_render("repairs/emails/case_confirmation.txt", context)
        html_body = render_to_string("repairs/emails/case_confirmation.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[case.user.email],
    )
    message.attach_alternative(html_body, "text/html")
    message.attach(f"{case.case_number}.pdf", pdf, "application/pdf")
    if email_deliver_once(key=key, message=message):
        logger.info(
            "Case confirmation sent",
            extra={"request_id": case.pk, "case_number": case.case_number, "language": language},
        )


@task()
def send_case_event_email(*, event_id: int) -> None:
    """E-mails the customer what a visible event of their case's timeline says, in their
    language, with a link to the case page (log-in first, then back to the case). A quote's
    e-mail lists its options with their amounts and its validity date; a payment due says how
    much and how to pay; the evaluation's outcome is told with the move that follows it; the
    shipped e-mail carries the tracking number. Queued once the move commits; sent once per
    event (`core.outbox`), however often the task runs."""
    from . import paying, selectors
    from .timeline import event_text, status_label

    event = (
        CaseEvent.objects.select_related(
            "request__user", "request__return_shipment", "return_estimate"
        )
        .filter(pk=event_id, customer_visible=True)
        .first()
    )
    if event is None:
        logger.warning("Case event e-mail not sent: no visible event", extra={"event": event_id})
        return
    case = event.request
    key = f"repairs.case_event:{event.pk}"
    if email_was_sent(key):
        return
    language = case_language(case)
    is_move = event.kind == EventKind.STATUS
    with translation.override(language):
        quote = None
        if event.kind == EventKind.QUOTE or (is_move and event.status == RequestStatus.QUOTED):
            # The quote this event announced (a later revision has its own e-mail).
            sent = (
                case.quotes.filter(created_at__lte=event.occurred_at)
                .select_related("answer")
                .prefetch_related("lines__component")
                .order_by("-version")
                .first()
            )
            quote = selectors.quote_view(sent, case_status=case.status) if sent else None
        payments_due = (
            selectors.payments_due(case)
            if (
                is_move
                and event.status
                in (RequestStatus.AWAITING_PAYMENT, RequestStatus.RETURNING_UNREPAIRED)
            )
            # An Express difference charged: the amount and how to pay it.
            or (
                event.kind == EventKind.PAYMENT
                and case.payments.filter(paid_at__isnull=True).exists()
            )
            else []
        )
        # The evaluation's outcome, told with the move that follows it.
        coverage = (
            selectors.customer_coverage(case)
            if is_move and event.from_status == RequestStatus.EVALUATING
            else None
        )
        context = {
            "case": case,
            "case_number": case.case_number,
            "customer": case.user,
            "event": event,
            "kind": event.kind,
            "text": event_text(event, case.hold_reason, express=case.express_requested),
            "note": event.note if is_move else "",
            "status_label": status_label(event.status, case.hold_reason),
            "case_url": settings.SITE_URL + reverse("repairs:case", args=[case.case_number]),
            "shipment": getattr(case, "return_shipment", None),
            "shipped_out": is_move and event.status in selectors.SHIPPED_OUT,
            "quote": quote,
            "payments_due": payments_due,
            "ways_to_pay": paying.ways_to_pay(case) if payments_due else None,
            # Issue 9, item 5: the date estimated with this move (the latest for a note).
            "estimated_return_on": _estimate_told(event),
            "coverage": coverage if coverage is not None and not coverage.provisional else None,
            "bank_account": settings.AFTERSALES["BANK_ACCOUNT"],
            "BRAND": settings.AFTERSALES["BRAND"],
            "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
            "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
        }
        subject = subject_render("repairs/emails/case_event_subject.txt", context)
        text_body = text_render("repairs/emails/case_event.txt", context)
        html_body = render_to_string("repairs/emails/case_event.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[case.user.email],
    )
    message.attach_alternative(html_body, "text/html")
    if email_deliver_once(key=key, message=message):
        logger.info(
            "Case event e-mail sent",
            extra={"case_number": case.case_number, "event": event.pk, "language": language},
        )


def _estimate_told(event: CaseEvent) -> Any:
    estimate = getattr(event, "return_estimate", None)
    if estimate is not None:
        return estimate.estimated_on
    if event.kind == EventKind.STATUS:
        return None  # a move with none: closed, cancelled
    return event.request.estimated_return_on


@task()
def send_return_label(*, request_id: int) -> None:
    """Decides whether the case travels on a prepaid label and e-mails the customer, in their
    language, the label (PDF attached) or that the case is not eligible (guide, summary note 1:
    « Si vous êtes éligible pour une étiquette de retour, vous la recevrez dans un délai de deux
    jours ouvrables. Sinon, vous en serez informé par e-mail »). Queued by the submission.

    Safe to run again at any point, after a crash too: the decision is taken once, the label is
    made once (`parcels.return_label_make`, one per case and direction) and the e-mail is sent
    once (`core.outbox`); a run that finds the e-mail sent only records when.
    """

    from . import parcels

    case = (
        RepairRequest.objects.select_related("user", "repair_centre")
        .exclude(status=RequestStatus.DRAFT)
        .filter(pk=request_id)
        .first()
    )
    if case is None:
        logger.warning("Return label not sent: no such case", extra={"request_id": request_id})
        return
    key = f"repairs.return_label:{case.case_number}"
    if not email_was_sent(key):
        if case.status != RequestStatus.SUBMITTED and not (
            # Express: the damaged unit travels to the centre after its replacement ships.
            case.express_requested and case.status in EXPRESS_AWAITING_UNIT
        ):
            # Cancelled, or the parcel arrived already: no label to send any more.
            logger.info("Return label not needed", extra={"case_number": case.case_number})
            return
        eligible = parcels.return_label_decide(case=case)
        label = parcels.return_label_make(case=case) if eligible else None
        language = case_language(case)
        context: dict[str, Any] = {
            "case": case,
            "case_number": case.case_number,
            "customer": case.user,
            "centre": case.repair_centre,
            "label": label,
            "case_url": settings.SITE_URL + reverse("repairs:case", args=[case.case_number]),
            "BRAND": settings.AFTERSALES["BRAND"],
            "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
            "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
        }
        with translation.override(language):
            subject = " ".join(
                render_to_string("repairs/emails/return_label_subject.txt", context).split()
            )
            text_body = render_to_string("repairs/emails/return_label.txt", context)
            html_body = render_to_string("repairs/emails/return_label.html", context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text_body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[case.user.email],
        )
        message.attach_alternative(html_body, "text/html")
        if label is not None:
            message.attach(f"label-{case.case_number}.pdf", bytes(label.pdf), "application/pdf")
        if email_deliver_once(key=key, message=message):
            logger.info(
                "Return label e-mail sent",
                extra={"case_number": case.case_number, "eligible": eligible},
            )
    from django.db import transaction

    from .sla import case_sla_refresh

    with transaction.atomic():
        sent = RepairRequest.objects.filter(pk=case.pk, return_label_sent_at__isnull=True).update(
            return_label_sent_at=timezone.now()
        )
        if sent:
            # The label's clock ends (issue 9, item 5): derived again, the case's row locked.
            locked = RepairRequest.objects.select_for_update().get(pk=case.pk)
            case_sla_refresh(case=locked)


# --- Service levels (issue 9, item 5) ------------------------------------------------------------


def quote_reminders_queue(now: Any = None) -> int:
    """Reminds the customer, in their language, of each quote unanswered after the centre's
    reminder delay (`sla`: the quote's clock is the case's `sla_due_at` while it is quoted; a
    revised quote after its own delay) and not expired, with its expiry date. Once per quote
    (the outbox's key), however often it runs; returns how many were queued."""
    from .models import Quote
    from .sla import targets_of

    now = now or timezone.now()
    quotes = Quote.objects.filter(
        request__status=RequestStatus.QUOTED,
        request__sla_due_at__lte=now,
        superseded_at__isnull=True,
        answer__isnull=True,
        valid_until__gte=timezone.localdate(now),
    ).select_related("request__repair_centre", "request__user")
    queued = 0
    for quote in quotes:
        case = quote.request
        key = f"repairs.quote_reminder:{quote.pk}"
        delay = timedelta(days=targets_of(case.repair_centre).quote_reminder_days)
        if quote.created_at + delay > now or email_was_sent(key):
            continue
        email_send_templated(
            to=case.user.email,
            template="repairs/emails/quote_reminder",
            context={
                "case_number": case.case_number,
                "customer": case.user,
                "quote": quote,
                "case_url": settings.SITE_URL + reverse("repairs:case", args=[case.case_number]),
            },
            language=case_language(case),
            idempotency_key=key,
        )
        queued += 1
    return queued


@task()
def service_levels_daily() -> dict[str, int]:
    """Each morning: measures the centres' stage durations (the estimated return dates are made
    of them) and queues the reminders of unanswered quotes. Run again, it does the same."""
    from .estimates import stage_durations_measure

    recurring_schedule(DAILY_SERVICE_LEVELS)
    return {"measured": stage_durations_measure(), "reminders": quote_reminders_queue()}


# Early, before the workshop opens: the day's estimates use yesterday's pace.
DAILY_SERVICE_LEVELS = RecurringTask(task=service_levels_daily, at=time(6, 30))
