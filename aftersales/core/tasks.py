from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(
    *, to: list[str], subject: str, text_body: str, html_body: str = "", reply_to: str = ""
) -> None:
    """Send one rendered message. Rendering happens before enqueueing, in the recipient's
    language (see `aftersales.core.emails`), so that the task only carries plain strings."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[reply_to] if reply_to else None,
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
    logger.info("E-mail sent", extra={"subject": subject, "recipients": len(to)})
