"""A payment started with a provider, and each notification a provider sent. The payments app
knows what is paid only by a reference string (a case number) and a purpose, as a plan knows a
case only by its number: the repairs app records what the payment settles."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AttemptStatus, NotificationOutcome


class PaymentAttempt(models.Model):
    """One visit to an online provider's payment page for an amount (a customer may start
    several; each is confirmed at most once, by the provider's notification)."""

    # Ours, sent to the provider (Stripe: client_reference_id and the payment's metadata) and
    # in the return address: unguessable, so the return page names no sequence.
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    provider = models.CharField(_("provider"), max_length=30)
    # What is paid: the case number, and what for (a purpose of the repairs app).
    reference = models.CharField(_("reference"), max_length=60, db_index=True)
    purpose = models.CharField(_("for"), max_length=30)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.PENDING
    )
    # The provider's own id of this payment (Stripe: the Checkout Session, cs_…).
    provider_id = models.CharField(_("provider's id"), max_length=255, blank=True)
    # The provider's id of the money moved (Stripe: the PaymentIntent, pi_…), once known.
    provider_payment_id = models.CharField(_("provider's payment id"), max_length=255, blank=True)
    redirect_url = models.URLField(_("payment page"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    # When the customer came back from the provider's page having paid there (its "success"
    # address): from then on the case page says the payment is being confirmed.
    returned_at = models.DateTimeField(_("back from the payment page at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    refunded_amount = models.DecimalField(_("refunded"), max_digits=10, decimal_places=2, default=0)
    refund_id = models.CharField(_("provider's refund id"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        constraints = [
            # A provider's payment is one attempt here, however often it is reported.
            models.UniqueConstraint(
                fields=["provider", "provider_id"],
                condition=~models.Q(provider_id=""),
                name="payments_attempt_provider_id_once",
                violation_error_message=_("This provider's payment is already recorded."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="payments_attempt_amount_positive",
                violation_error_message=_("An online payment is for more than nothing."),
            ),
        ]
        indexes = [models.Index(fields=["provider", "provider_payment_id"])]

    def __str__(self) -> str:
        return f"{self.reference} · {self.purpose} · {self.amount} {self.currency}"


class ProviderNotification(models.Model):
    """A notification a provider sent (Stripe: a webhook event), recorded once by its id: a
    notification sent again, or replayed, finds its row and changes nothing."""

    provider = models.CharField(_("provider"), max_length=30)
    event_id = models.CharField(_("event id"), max_length=255)
    event_type = models.CharField(_("event"), max_length=100)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=NotificationOutcome.choices, blank=True
    )
    attempt = models.ForeignKey(
        PaymentAttempt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("online payment"),
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("provider notification")
        verbose_name_plural = _("provider notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"],
                name="payments_notification_once",
                violation_error_message=_("This notification is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_type} {self.event_id}"
