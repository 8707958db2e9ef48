"""A support ticket, its messages (the customer's, the agents' public replies and internal
notes), its files and the agents' canned answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from aftersales.core.typing import CountryFieldValue

from .choices import Continent, MessageChannel, MessageKind, ProblemType, TicketStatus


class Ticket(models.Model):
    number = models.CharField(_("ticket number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    # The account it was filed from, or found for its e-mail address by an agent.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_tickets",
        verbose_name=_("customer"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assigned to"),
    )
    # The contact form (guide, last page).
    product_model = models.ForeignKey(
        "catalog.ProductModel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("product"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    continent = models.CharField(_("continent"), max_length=20, choices=Continent.choices)
    country: CountryFieldValue = CountryField(_("country/region"), blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    problem_type = models.CharField(
        _("problem type"), max_length=20, choices=ProblemType.choices, blank=True
    )
    reseller_name = models.CharField(_("reseller name"), max_length=150, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description of the problem"))
    # The customer's language: every e-mail of the ticket is written in it.
    language = models.CharField(_("language"), max_length=10, default="fr")
    # The private link: only its SHA-256 is kept; empty once revoked.
    access_token_hash = models.CharField(
        _("private link (hash)"), max_length=64, blank=True, db_index=True
    )
    # The link is an HMAC of the ticket and this salt (under SECRET_KEY): a new salt revokes it.
    link_salt = models.CharField(_("private link salt"), max_length=32, blank=True)
    # The reply address support+<reply_token>@…: matches the customer's e-mail answers.
    reply_token = models.CharField(_("reply token"), max_length=32, unique=True)
    # From ticket to case (issue 10, item 3): a request started for the customer, or a case.
    repair_request = models.ForeignKey(
        "repairs.RepairRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_tickets",
        verbose_name=_("repair request or case"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # The last message of anyone: the queues sort by it, the longest waiting first.
    last_activity_at = models.DateTimeField(_("last activity at"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The measures (issue 10, item 5), in business seconds of the support calendar from the
    # ticket's creation: written by the services at the first public reply and at the closing
    # (`measures.py`), so that a period's averages are one SQL aggregate. Reopened, the
    # resolution is cleared until the ticket closes again.
    first_response_seconds = models.PositiveIntegerField(
        _("first response (business seconds)"), null=True, blank=True
    )
    resolution_seconds = models.PositiveIntegerField(
        _("resolution (business seconds)"), null=True, blank=True
    )

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [("answer_ticket", "Can answer support tickets")]
        indexes = [
            # The queues: one status, the longest waiting first (and the assigned agent's).
            models.Index(fields=["status", "last_activity_at", "id"], name="support_queue_idx"),
            models.Index(
                fields=["assignee", "status", "last_activity_at", "id"], name="support_assigned_idx"
            ),
            models.Index(Lower("email"), name="support_email_idx"),
            models.Index(fields=["serial_number"], name="support_serial_idx"),
            # The measures of the tickets opened in a period (the inbox, the workshop dashboard).
            # Covering what the summary reads (PostgreSQL), so that it never reads the rows.
            models.Index(
                fields=["created_at"],
                name="support_created_idx",
                include=[
                    "status",
                    "first_response_at",
                    "first_response_seconds",
                    "resolution_seconds",
                ],
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("support:ticket", args=[self.number])


class TicketMessage(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=MessageChannel.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    body = models.TextField(_("message"))
    # The Message-ID of the e-mail we sent for it, or of the e-mail it came in: answers are
    # matched by their In-Reply-To and References.
    email_message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    # An auto-reply, a bounce or a bulk message: recorded, never answered.
    automatic = models.BooleanField(_("automatic message"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(
                fields=["email_message_id"],
                name="support_message_id_idx",
                condition=~models.Q(email_message_id=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number} #{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.kind != MessageKind.NOTE


def ticket_file_path(instance: TicketFile, filename: str) -> str:
    return f"support/{instance.token[:2]}/{instance.token}{instance.extension}"


class TicketFile(models.Model):
    """A file of a ticket: a proof of purchase, a picture, a document sent back. Stored under
    MEDIA_ROOT (not served), read only through the views that check who asks. Before the
    contact form is sent, an accepted upload is kept here without a ticket, for the session
    that uploaded it, so that a failed submission does not lose it."""

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("ticket"),
    )
    message = models.ForeignKey(
        TicketMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("message"),
    )
    session_key = models.CharField(_("session"), max_length=64, blank=True)
    token = models.CharField(_("token"), max_length=32, unique=True)
    file = models.FileField(_("file"), upload_to=ticket_file_path, max_length=255)
    extension = models.CharField(_("extension"), max_length=10)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("ticket file")
        verbose_name_plural = _("ticket files")

    def __str__(self) -> str:
        return self.original_name


class CannedAnswer(models.Model):
    """A ready answer an agent starts a reply from, in both languages."""

    title = models.CharField(_("title"), max_length=150)
    body_en = models.TextField(_("answer (English)"))
    body_fr = models.TextField(_("answer (French)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")

    def __str__(self) -> str:
        return self.title

    def body_in(self, language: str) -> str:
        return self.body_fr if language.startswith("fr") else self.body_en
