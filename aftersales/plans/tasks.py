from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from aftersales.core.emails import subject_render, text_render
from aftersales.core.outbox import email_deliver_once, email_was_sent

from .models import Plan
from .pdf import contract_pdf
from .selectors import plan_contract_number

logger = logging.getLogger(__name__)


@task()
def send_contract(*, plan_id: int) -> None:
    """E-mails the plan's service contract, as a PDF, to the customer whose account holds the
    plan's device, in the customer's language. Queued by `services.plan_send_contract`.

    The PDF is rendered here rather than before queueing: a task carries plain values, and the
    rendering (fonts, layout) stays off the customer's request. Sent once per plan: a run again
    after a crash, or a second queueing, sends nothing more.
    """
    plan = (
        Plan.objects.select_related("offering", "region", "device__model", "device__owner")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        logger.warning("Service contract not sent: no such plan", extra={"plan_id": plan_id})
        return
    customer = plan.device.owner
    if customer is None:
        # A store sale through the API: the device is in nobody's account yet. The customer
        # downloads the contract from "My plans" once the device is added.
        logger.info(
            "Service contract not sent: the device is in no account", extra={"plan_id": plan_id}
        )
        return

    key = f"plans.contract:{plan.pk}"
    if email_was_sent(key):
        logger.info("Service contract already sent", extra={"plan_id": plan_id})
        return
    language = customer.preferred_language or settings.LANGUAGE_CODE
    number = plan_contract_number(plan)
    pdf = contract_pdf(plan, language)
    context = {
        "plan": plan,
        "device": plan.device,
        "customer": customer,
        "contract_number": number,
        "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
        "BRAND": settings.AFTERSALES["BRAND"],
        "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
        "SITE_URL": settings.SITE_URL,
    }
    with translation.override(language):
        subject = subject_render("plans/emails/contract_subject.txt", context)
        text_body = text_render("plans/emails/contract.txt", context)
        html_body = render_to_string("plans/emails/contract.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[customer.email],
    )
    message.attach_alternative(html_body, "text/html")
    message.attach(f"{number}.pdf", pdf, "application/pdf")
    if email_deliver_once(key=key, message=message):
        logger.info("Service contract sent", extra={"plan_id": plan_id})
