"""Workflows of support tickets: open one from the contact form, answer it (the customer by the
private link or by e-mail, an agent from the inbox), note, assign, close, revoke the link,
and take it to a repair request or a case.

Every e-mail is rendered here in the ticket's language and queued (`core.tasks.send_email`,
sent by the worker, once per message), never sent in the request.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftersales.core.emails import subject_render, text_render
from aftersales.core.outbox import email_message_id
from aftersales.core.tasks import send_email
from aftersales.devices.models import Device
from aftersales.repairs import lifecycle
from aftersales.repairs.attachments import attachment_check, original_name_clean
from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.services import repair_request_start

from .choices import MessageChannel, MessageKind, TicketStatus
from .errors import TicketError
from .measures import first_response_measure, resolution_clear, resolution_measure
from .models import Ticket, TicketFile, TicketMessage

logger = logging.getLogger(__name__)

ANSWER = "support.answer_ticket"
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
NUMBER_ATTEMPTS = 5
# Files one answer may carry (a customer's, an agent's reply, a note): as many as the photos of
# a parcel (repairs.attachments.MAX_ATTACHMENTS); each is checked and stored, so the cap bounds
# the work and the disk one request takes.
MAX_FILES_PER_ANSWER = 10
TOO_MANY_FILES = _("Choose at most %(limit)s files.")
# A token of ours (secrets.token_urlsafe: a private link's, a stored file's): anything else
# names nothing and never reaches a query.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


# --- Numbers, tokens and the private link ----------------------------------------------------


def ticket_number_generate() -> str:
    return "SUP-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def link_token(ticket: Ticket) -> str:
    """The private link's token: an HMAC of the ticket and its salt under SECRET_KEY. Only its
    hash is stored; a new salt (or none) revokes every link sent before."""
    if not ticket.link_salt:
        return ""
    return salted_hmac(
        "support.ticket_link", f"{ticket.pk}:{ticket.link_salt}", algorithm="sha256"
    ).hexdigest()


def link_url(ticket: Ticket) -> str:
    token = link_token(ticket)
    return settings.SITE_URL + reverse("support:follow", args=[token]) if token else ""


def _link_issue(ticket: Ticket) -> None:
    ticket.link_salt = secrets.token_hex(16)
    ticket.access_token_hash = token_hash(link_token(ticket))


def reply_address(ticket: Ticket) -> str:
    local, _sep, domain = settings.AFTERSALES["SUPPORT_REPLY_ADDRESS"].partition("@")
    return f"{local}+{ticket.reply_token}@{domain}"


# --- Files -----------------------------------------------------------------------------------


def file_store(
    *,
    uploaded_file: Any,
    ticket: Ticket | None = None,
    message: TicketMessage | None = None,
    session_key: str = "",
) -> TicketFile:
    """Stores a file under the repair request's upload policy (types read from the content,
    UPLOAD_MAX_BYTES, active content refused): a ValidationError to show at the field."""
    file_type = attachment_check(uploaded_file, AttachmentKind.INVOICE)
    sha256, size = hashlib.sha256(), 0
    for chunk in uploaded_file.chunks():
        sha256.update(chunk)
        size += len(chunk)
    stored = TicketFile(
        ticket=ticket,
        message=message,
        session_key=session_key,
        token=secrets.token_urlsafe(24),
        extension=file_type.extension,
        original_name=original_name_clean(uploaded_file.name or "") or f"file{file_type.extension}",
        content_type=file_type.content_type,
        size=size,
        sha256=sha256.hexdigest(),
    )
    stored.file.save(stored.extension, uploaded_file, save=False)
    try:
        stored.save()
    except BaseException:
        stored.file.storage.delete(stored.file.name or "")
        raise
    return stored


def file_remove(*, stored: TicketFile) -> None:
    storage, name = stored.file.storage, stored.file.name
    stored.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _files_attach(
    ticket: Ticket, message: TicketMessage, uploaded_files: list[Any] | tuple[Any, ...]
) -> None:
    files = [uploaded_file for uploaded_file in uploaded_files if uploaded_file]
    if len(files) > MAX_FILES_PER_ANSWER:
        raise ValidationError(
            TOO_MANY_FILES, code="too_many", params={"limit": MAX_FILES_PER_ANSWER}
        )
    for uploaded_file in files:
        file_store(uploaded_file=uploaded_file, ticket=ticket, message=message)


# --- E-mails -----------------------------------------------------------------------------------


def _email_queue(*, ticket: Ticket, message: TicketMessage, template: str) -> None:
    """Queues the e-mail of `message` (once the transaction commits) to the ticket's address, in
    its language, with the conversation and the private link; answers come back through the
    reply address. Its Message-ID is kept on the message, for the In-Reply-To of answers."""
    key = f"support.message:{message.pk}"
    message.email_message_id = email_message_id(key)
    message.save(update_fields=["email_message_id"])
    conversation = list(
        ticket.messages.exclude(kind=MessageKind.NOTE).order_by("-created_at", "-id")
    )
    context = {
        "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
        "BRAND": settings.AFTERSALES["BRAND"],
        "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
        "SITE_URL": settings.SITE_URL,
        "ticket": ticket,
        "message": message,
        "conversation": conversation,
        "link": link_url(ticket),
    }
    with translation.override(ticket.language):
        subject = subject_render(f"support/emails/{template}_subject.txt", context)
        text_body = text_render(f"support/emails/{template}.txt", context)
    to, reply_to = ticket.email, reply_address(ticket)
    # With the database backend the queued task is a row of this transaction: an e-mail never
    # tells of a reply that was rolled back.
    send_email.enqueue(
        to=[to], subject=subject, text_body=text_body, reply_to=reply_to, idempotency_key=key
    )


# --- Opening a ticket (the contact form) ----------------------------------------------------


def ticket_open(
    *,
    data: dict[str, Any],
    user: Any,
    language: str,
    pending_files: list[TicketFile] | tuple[TicketFile, ...] = (),
) -> Ticket:
    """A ticket from the contact form's cleaned data: its first message, the files uploaded
    for it, and the confirmation e-mail with the private link (queued)."""
    now = timezone.now()
    fields = (
        "product_model",
        "full_name",
        "continent",
        "country",
        "email",
        "phone",
        "problem_type",
        "reseller_name",
        "serial_number",
        "subject",
        "description",
    )
    with transaction.atomic():
        ticket = Ticket(
            **{
                name: data.get(name) or (None if name == "product_model" else "") for name in fields
            },
            customer=user if getattr(user, "is_authenticated", False) else None,
            language=language,
            reply_token=secrets.token_hex(10),
            last_activity_at=now,
        )
        ticket_save_with_number(ticket)
        _link_issue(ticket)
        ticket.save(update_fields=["link_salt", "access_token_hash"])
        message = TicketMessage.objects.create(
            ticket=ticket,
            kind=MessageKind.CUSTOMER,
            channel=MessageChannel.FORM,
            author=ticket.customer,
            from_email=ticket.email,
            body=ticket.description,
        )
        for stored in pending_files:
            stored.ticket, stored.message, stored.session_key = ticket, message, ""
            stored.save(update_fields=["ticket", "message", "session_key"])
        _email_queue(ticket=ticket, message=message, template="ticket_opened")
    logger.info("Ticket opened", extra={"ticket": ticket.number})
    return ticket


def ticket_save_with_number(ticket: Ticket) -> None:
    for attempt in range(NUMBER_ATTEMPTS):
        ticket.number = ticket_number_generate()
        try:
            with transaction.atomic():
                ticket.save()
            return
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise


# --- Answers -----------------------------------------------------------------------------------


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def ticket_reply_by_customer(
    *,
    ticket: Ticket,
    body: str,
    uploaded_files: list[Any] | tuple[Any, ...] = (),
    channel: str = MessageChannel.LINK,
) -> TicketMessage:
    """The customer answers (the private link): the ticket waits for us again, closed or not
    (a closed one is resolved again when it closes again)."""
    with transaction.atomic():
        ticket = _locked(ticket)
        message = TicketMessage.objects.create(
            ticket=ticket,
            kind=MessageKind.CUSTOMER,
            channel=channel,
            author=ticket.customer,
            from_email=ticket.email,
            body=body,
        )
        _files_attach(ticket, message, uploaded_files)
        ticket.status = TicketStatus.WAITING_US
        resolution_clear(ticket)
        ticket.last_activity_at = timezone.now()
        ticket.save(update_fields=["status", "closed_at", "resolution_seconds", "last_activity_at"])
    return message


def _check_agent(by: Any) -> None:
    if not lifecycle.staff_may(by, ANSWER):
        raise TicketError("not_allowed")


def ticket_reply_by_agent(
    *, ticket: Ticket, by: Any, body: str, uploaded_files: list[Any] | tuple[Any, ...] = ()
) -> TicketMessage:
    """A public reply: e-mailed to the customer in their language with the conversation; the
    ticket then waits for the customer. The first one dates the first response and measures it
    in business time (`measures.py`)."""
    _check_agent(by)
    with transaction.atomic():
        ticket = _locked(ticket)
        now = timezone.now()
        message = TicketMessage.objects.create(
            ticket=ticket,
            kind=MessageKind.REPLY,
            channel=MessageChannel.INBOX,
            author=by,
            body=body,
        )
        _files_attach(ticket, message, uploaded_files)
        ticket.status = TicketStatus.WAITING_CUSTOMER
        first_response_measure(ticket, now)
        resolution_clear(ticket)
        ticket.last_activity_at = now
        if ticket.assignee_id is None:
            ticket.assignee = by
        ticket.save(
            update_fields=[
                "status",
                "first_response_at",
                "first_response_seconds",
                "closed_at",
                "resolution_seconds",
                "last_activity_at",
                "assignee",
            ]
        )
        _email_queue(ticket=ticket, message=message, template="ticket_reply")
    return message


def ticket_note_add(
    *, ticket: Ticket, by: Any, body: str, uploaded_files: list[Any] | tuple[Any, ...] = ()
) -> TicketMessage:
    """An internal note: staff only, never shown nor sent to the customer."""
    _check_agent(by)
    with transaction.atomic():
        ticket = _locked(ticket)
        message = TicketMessage.objects.create(
            ticket=ticket, kind=MessageKind.NOTE, channel=MessageChannel.INBOX, author=by, body=body
        )
        _files_attach(ticket, message, uploaded_files)
    return message


def ticket_assign(*, ticket: Ticket, by: Any, assignee: Any | None) -> Ticket:
    _check_agent(by)
    if assignee is not None and not lifecycle.staff_may(assignee, ANSWER):
        raise TicketError("assignee_not_agent")
    with transaction.atomic():
        ticket = _locked(ticket)
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee"])
    return ticket


def ticket_status_set(*, ticket: Ticket, by: Any, status: str) -> Ticket:
    """Close a ticket (its resolution measured in business time; closed again, it keeps its
    first closing), open it again (the resolution cleared until the next closing), or take one
    out of "to sort"."""
    _check_agent(by)
    with transaction.atomic():
        ticket = _locked(ticket)
        ticket.status = status
        if status == TicketStatus.CLOSED:
            resolution_measure(ticket, timezone.now())
        else:
            resolution_clear(ticket)
        ticket.save(update_fields=["status", "closed_at", "resolution_seconds"])
    return ticket


def ticket_link_revoke(*, ticket: Ticket, by: Any) -> Ticket:
    """Every private link sent for the ticket stops working."""
    _check_agent(by)
    with transaction.atomic():
        ticket = _locked(ticket)
        ticket.link_salt, ticket.access_token_hash = "", ""
        ticket.save(update_fields=["link_salt", "access_token_hash"])
    return ticket


def ticket_link_renew(*, ticket: Ticket, by: Any) -> Ticket:
    """A new private link, e-mailed to the customer; the earlier ones stop working."""
    _check_agent(by)
    with transaction.atomic():
        ticket = _locked(ticket)
        _link_issue(ticket)
        ticket.save(update_fields=["link_salt", "access_token_hash"])
        with translation.override(ticket.language):
            body = gettext("Here is a new private link to follow your request.")
        message = TicketMessage.objects.create(
            ticket=ticket,
            kind=MessageKind.REPLY,
            channel=MessageChannel.INBOX,
            author=by,
            body=body,
        )
        _email_queue(ticket=ticket, message=message, template="ticket_reply")
    return ticket


# --- From ticket to case (issue 10, item 3) --------------------------------------------------


def ticket_customer_account(ticket: Ticket) -> Any | None:
    """The account the ticket is the customer's: the one it was filed from, else the active
    account with its e-mail address."""
    if ticket.customer_id:
        return ticket.customer
    user_model = get_user_model()
    return user_model.objects.filter(email__iexact=ticket.email, is_active=True).first()


def ticket_repair_request_start(*, ticket: Ticket, by: Any) -> RepairRequest:
    """A draft repair request for the customer with the ticket's product, serial number and
    problem; the customer finishes it in the wizard (the link is e-mailed as a reply)."""
    _check_agent(by)
    customer = ticket_customer_account(ticket)
    if customer is None:
        raise TicketError("no_account")
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.repair_request_id is not None:
            raise TicketError("already_linked")
        draft = repair_request_start(user=customer)
        device = (
            Device.objects.filter(serial_number=ticket.serial_number, owner=customer).first()
            if ticket.serial_number
            else None
        )
        draft.serial_number = ticket.serial_number
        draft.device = device
        draft.product_model = device.model if device else ticket.product_model
        draft.description = ticket.description
        draft.save(update_fields=["serial_number", "device", "product_model", "description"])
        lifecycle.case_note_add(
            case=draft,
            by=by,
            text=gettext("Started from support ticket %(number)s.") % {"number": ticket.number},
        )
        ticket.customer = customer
        ticket.repair_request = draft
        ticket.save(update_fields=["customer", "repair_request"])
        with translation.override(ticket.language):
            body = gettext(
                "We have started a repair request for you with your product and the problem you "
                "described. Log in and finish it here: %(url)s"
            ) % {"url": settings.SITE_URL + reverse("repairs:resume", args=[draft.pk])}
        TicketMessage.objects.create(
            ticket=ticket,
            kind=MessageKind.NOTE,
            channel=MessageChannel.INBOX,
            author=by,
            body=gettext("Repair request started for the customer (draft %(id)s).")
            % {"id": draft.pk},
        )
    ticket_reply_by_agent(ticket=ticket, by=by, body=body)
    return draft


def ticket_case_link(*, ticket: Ticket, by: Any, case_number: str) -> RepairRequest:
    """Links the ticket to an existing case; each one's timeline says so."""
    _check_agent(by)
    case = RepairRequest.objects.filter(case_number=case_number.strip().upper()).first()
    if case is None or case.is_draft:
        raise TicketError("no_case")
    with transaction.atomic():
        ticket = _locked(ticket)
        ticket.repair_request = case
        ticket.save(update_fields=["repair_request"])
        lifecycle.case_note_add(
            case=case,
            by=by,
            text=gettext("Linked to support ticket %(number)s.") % {"number": ticket.number},
        )
        TicketMessage.objects.create(
            ticket=ticket,
            kind=MessageKind.NOTE,
            channel=MessageChannel.INBOX,
            author=by,
            body=gettext("Linked to case %(number)s.") % {"number": case.case_number},
        )
    return case


def pending_files_drop(*, session_key: str, tokens: list[str]) -> None:
    tokens = [token for token in tokens if TOKEN_RE.fullmatch(token)]
    if not tokens:
        return
    for stored in TicketFile.objects.filter(ticket=None, session_key=session_key, token__in=tokens):
        file_remove(stored=stored)


def address_of(value: str) -> str:
    return parseaddr(value)[1].lower()
