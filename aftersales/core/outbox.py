"""Sending an e-mail at most once per idempotency key, so that a task run again after its worker
died does not send the same message twice.

How: the key is inserted in a transaction that stays open while the message is handed to the
mail server, and commits as soon as the server has accepted it. A second run with the same key
waits on that row, then finds it and sends nothing; a run that died mid-send leaves no row (the
database rolls its transaction back), so the next run sends.

What cannot be closed: between the server's acceptance of the message ("250 OK" after the data)
and the commit reaching the database, a crash means the message went out but no row says so, and
the next run sends it again. That is SMTP's own at-least-once delivery (RFC 1047). The window is
kept to that one round trip: the connection, TLS and log-in happen before the transaction and the
goodbye (QUIT) after the commit, and the PDF is rendered before any of it. A duplicate from that
window carries the same Message-ID (derived from the key), which most mail stores deduplicate.

A mail server that is away, slow or answers "try again later" (4xx) makes the task fail with
`TaskRetryLater`: it runs again later (`core.retry`). A refusal (5xx, every recipient refused)
is final.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction

from .models import SentEmail
from .retry import TaskRetryLater

logger = logging.getLogger(__name__)


def email_message_id(key: str) -> str:
    """The Message-ID of the e-mail sent under `key`: the same on every attempt."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def email_was_sent(key: str) -> bool:
    """Whether the e-mail under `key` was sent already (a task checks before rendering a PDF)."""
    return SentEmail.objects.filter(key=key).exists()


def email_deliver_once(*, key: str, message: EmailMessage) -> bool:
    """Sends `message` unless an e-mail was sent under `key` already. Returns whether it sent.

    Call it outside any transaction (a task is): the key must commit right after the send."""
    if email_was_sent(key):
        logger.info("E-mail already sent, not sent again", extra={"key": key})
        return False
    message.extra_headers.setdefault("Message-ID", email_message_id(key))
    connection = get_connection()
    try:
        # Connecting, TLS and log-in before the transaction: only the send itself sits between
        # the key's insertion and its commit.
        connection.open()
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        # Waits here while another run holds the same key, until it commits
                        # (then this is a duplicate) or dies (then this run sends).
                        SentEmail.objects.create(key=key)
                except IntegrityError:
                    logger.info("E-mail already sent, not sent again", extra={"key": key})
                    return False
                connection.send_messages([message])
            # Committed: the key now says the server has the message.
        finally:
            _close(connection)
    except Exception as error:
        if _passes(error):
            raise TaskRetryLater(f"E-mail not sent yet ({error!r}); it will be retried.") from error
        raise
    return True


def _close(connection: BaseEmailBackend) -> None:
    # The goodbye: once the message is accepted, a server that hangs up rudely changes nothing.
    try:
        connection.close()
    except (OSError, smtplib.SMTPException):
        logger.warning("Mail server connection not closed cleanly", exc_info=True)


def _passes(error: Exception) -> bool:
    """Whether a mail error is worth trying again later."""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500  # "try again later"; 5xx is a refusal
    if isinstance(error, smtplib.SMTPException):
        return False  # every recipient refused, an extension missing: trying again won't help
    return isinstance(error, OSError)  # refused, reset, timed out, name not resolved
