from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderCode(models.TextChoices):
    """The payment providers built in; which of them a repair centre offers is configuration
    (settings.PAYMENTS)."""

    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    COUNTER = "counter", _("At the counter")
    STRIPE = "stripe", _("Card or other means online (Stripe)")


class AttemptStatus(models.TextChoices):
    # The customer was sent to the provider's page; nothing is paid until its notification.
    PENDING = "pending", _("Waiting for the provider's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the provider")
    FAILED = "failed", _("Not started: the provider refused or did not answer")
    REFUNDED = "refunded", _("Refunded")


class NotificationOutcome(models.TextChoices):
    """What a provider's notification did (each is recorded once, by its event id)."""

    CONFIRMED = "confirmed", _("Confirmed the payment")
    ALREADY_CONFIRMED = "already_confirmed", _("The payment was confirmed already")
    UNKNOWN_PAYMENT = "unknown_payment", _("For no payment started here")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount or currency differ from the payment's")
    IGNORED = "ignored", _("Nothing to do (another kind of event)")
    FAILED = "failed", _("The payment did not go through")
    REPORTED = "reported", _("A refund or a dispute, told to staff on the case")
