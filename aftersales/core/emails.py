"""E-mails are written in the recipient's language: templates are rendered under that language,
then a background task sends the result."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email


def text_render(template: str, context: dict[str, Any]) -> str:
    """A plain-text template (an e-mail's text body): rendered without HTML escaping."""
    return render_to_string(template, context, using="text")


def subject_render(template: str, context: dict[str, Any]) -> str:
    """An e-mail's subject: plain text on one line."""
    return " ".join(text_render(template, context).split())


def email_send_templated(
    *,
    to: str | list[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    idempotency_key: str = "",
) -> None:
    """Render `<template>_subject.txt`, `<template>.txt` and, when it exists, `<template>.html`,
    then queue the message. `language` is the recipient's (defaults to the active one); `to`
    one address or several (one message to all of them, e.g. a team).

    The message is sent once even if its task runs again after a crash; with an
    `idempotency_key` (e.g. "accounts.welcome:<user id>"), once per key, however many times it
    is queued."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    base_context = {
        "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
        "BRAND": settings.AFTERSALES["BRAND"],
        "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
        "SITE_URL": settings.SITE_URL,
        **context,
    }
    with translation.override(language):
        subject = subject_render(f"{template}_subject.txt", base_context)
        text_body = text_render(f"{template}.txt", base_context)
        html_body: str
        try:
            html_body = render_to_string(f"{template}.html", base_context)
        except TemplateDoesNotExist:
            html_body = ""
    send_email.enqueue(
        to=[to] if isinstance(to, str) else list(to),
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        idempotency_key=idempotency_key,
    )
