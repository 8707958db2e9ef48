"""The confirmation e-mail of a submitted case, with the case form (PDF) attached."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from aftersales.core.outbox import email_deliver_once, email_was_sent

from .choices import RequestStatus
from .models import RepairRequest
from .pdf import case_form_pdf, case_language

logger = logging.getLogger(__name__)


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
    context = {
        "case": case,
        "case_number": case.case_number,
        "customer": case.user,
        "centre": case.repair_centre,
        "progress_url": settings.SITE_URL + reverse("repairs:progress"),
        "case_url": settings.SITE_URL + reverse("repairs:case", args=[case.case_number]),
        "BRAND": settings.AFTERSALES["BRAND"],
        "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
        "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
    }
    with translation.override(language):
        subject = " ".join(
            render_to_string("repairs/emails/case_confirmation_subject.txt", context).split()
        )
        text_body = render_to_string("repairs/emails/case_confirmation.txt", context)
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
