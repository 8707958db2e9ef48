"""What the payments app refuses, each with a stable code and a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import DomainError


class PaymentError(DomainError):
    """A payment that cannot be started or refunded now: shown on the page that asked."""

    messages = {
        "provider_not_offered": _("This way of paying is not offered for this case."),
        "provider_unavailable": _(
            "The online payment service did not answer. Nothing was paid: please try again in a "
            "few minutes, or pay by bank transfer."
        ),
        "not_online": _("This way of paying has no online payment page."),
        "refund_too_much": _("No more than %(amount)s can be refunded."),
        "not_confirmed": _("Only a confirmed payment can be refunded."),
        "amount_not_payable": _(
            "This amount has more decimals than %(currency)s allows, so it cannot be paid "
            "online: pay it by bank transfer or at the counter, or ask us to correct it."
        ),
    }


class NotificationRefused(DomainError):
    """A provider's notification that is not believed: a bad or missing signature, too old
    (a replay), or not readable. Nothing is recorded; the provider is answered 400."""

    messages = {
        "bad_signature": _("The notification's signature is not valid."),
        "unreadable": _("The notification cannot be read."),
        "not_configured": _("This provider is not configured."),
    }
