"""Stripe Checkout through the official `stripe` package: the customer is sent to Stripe's
hosted payment page (a redirect: no script of Stripe's on our pages), and Stripe's webhook
confirms the payment. Its signature is verified (`stripe.Webhook.construct_event`, which also
refuses a notification older than `WEBHOOK_TOLERANCE_SECONDS`: a replay).

Which notifications confirm a payment: `checkout.session.completed` (paid at once, by card) and
`checkout.session.async_payment_succeeded` (paid later, say by SEPA debit), each naming our
token as `client_reference_id`; and `payment_intent.succeeded`, naming it in the payment's
metadata (Checkout passes `payment_intent_data.metadata` on). The first one that arrives
confirms; the others find it done. News that is not a payment is read too, and told on the
case: `checkout.session.async_payment_failed` (a debit that did not go through),
`charge.refunded` (a refund made in Stripe's dashboard) and `charge.dispute.created` (a
chargeback), the last two by the payment intent. The tests run the whole flow against
localstripe (see payments/tests/localstripe_server.py): never against the internet."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings

from ..choices import ProviderCode
from ..errors import NotificationRefused, PaymentError
from .base import (
    PROBLEM_DISPUTED,
    PROBLEM_FAILED,
    PROBLEM_REFUNDED,
    Notification,
    Order,
    PaymentProvider,
    Refunded,
    Started,
    from_minor,
    to_minor,
)

logger = logging.getLogger(__name__)

# Stripe's own default: a signed notification older than this is refused as a replay.
WEBHOOK_TOLERANCE_SECONDS = 300
TOKEN_KEY = "aftersales_token"  # noqa: S105 (a metadata key, not a secret)
SESSION_PAID = ("checkout.session.completed", "checkout.session.async_payment_succeeded")
INTENT_PAID = "payment_intent.succeeded"
# News of a payment, not a payment (audit: they were ignored, and the work went on unpaid).
SESSION_FAILED = "checkout.session.async_payment_failed"
CHARGE_PROBLEMS = {"charge.refunded": PROBLEM_REFUNDED, "charge.dispute.created": PROBLEM_DISPUTED}
CHECKOUT_LOCALES = {"fr": "fr", "en": "en"}


def _config() -> Mapping[str, Any]:
    return settings.PAYMENTS["STRIPE"]


class StripeCheckoutProvider(PaymentProvider):
    code = ProviderCode.STRIPE
    label = ProviderCode.STRIPE.label
    online = True

    def is_configured(self) -> bool:
        config = _config()
        return bool(config["SECRET_KEY"] and config["WEBHOOK_SECRET"])

    def _client(self) -> stripe.StripeClient:
        config = _config()
        return stripe.StripeClient(
            config["SECRET_KEY"],
            base_addresses={"api": config["API_BASE"]},
            max_network_retries=1,
        )

    def start(self, *, order: Order, return_url: str = "", cancel_url: str = "") -> Started:
        metadata = {TOKEN_KEY: order.token, "reference": order.reference, "purpose": order.purpose}
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": order.currency.lower(),
                        "unit_amount": to_minor(order.amount, order.currency),
                        "product_data": {"name": order.description},
                    },
                }
            ],
            "success_url": return_url,
            "cancel_url": cancel_url,
            "client_reference_id": order.token,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "locale": CHECKOUT_LOCALES.get(order.language[:2], "auto"),
        }
        if order.customer_email:
            params["customer_email"] = order.customer_email
        try:
            session = self._client().v1.checkout.sessions.create(
                params,  # type: ignore[arg-type]
                # A retry of the same start never makes a second session.
                options={"idempotency_key": f"aftersales-checkout-{order.token}"},
            )
        except stripe.StripeError as error:
            logger.warning(
                "Stripe Checkout session not created",
                extra={"reference": order.reference, "error": str(error)},
            )
            raise PaymentError("provider_unavailable") from error
        return Started(provider_id=str(session.id), redirect_url=str(session.url or ""))

    def notification_parse(self, *, body: bytes, headers: Mapping[str, str]) -> Notification:
        secret = _config()["WEBHOOK_SECRET"]
        if not secret:
            raise NotificationRefused("not_configured")
        signature = headers.get("Stripe-Signature") or headers.get("stripe-signature") or ""
        try:
            stripe.Webhook.construct_event(
                body, signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as error:
            raise NotificationRefused("bad_signature") from error
        except ValueError as error:
            raise NotificationRefused("unreadable") from error
        try:
            return _read(json.loads(body))
        except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError) as error:
            raise NotificationRefused("unreadable") from error

    def refund(
        self, *, provider_payment_id: str, amount: Decimal, currency: str, idempotency_key: str = ""
    ) -> Refunded:
        try:
            refund = self._client().v1.refunds.create(
                {"payment_intent": provider_payment_id, "amount": to_minor(amount, currency)},
                options={"idempotency_key": idempotency_key} if idempotency_key else None,
            )
        except stripe.StripeError as error:
            logger.warning("Stripe refund failed", extra={"error": str(error)})
            raise PaymentError("provider_unavailable") from error
        return Refunded(refund_id=str(refund.id))

    def csp_form_action(self) -> list[str]:
        return [_config()["CHECKOUT_ORIGIN"]]


def _read(event: dict[str, Any]) -> Notification:
    event_id, event_type = str(event["id"]), str(event["type"])
    obj = event["data"]["object"]
    if not event_id or not isinstance(obj, dict):
        raise ValueError("not an event")
    metadata = obj.get("metadata") or {}
    if event_type in SESSION_PAID:
        currency = str(obj["currency"]).upper()
        return Notification(
            event_id=event_id,
            event_type=event_type,
            paid=obj.get("payment_status") == "paid",
            token=str(obj.get("client_reference_id") or metadata.get(TOKEN_KEY) or ""),
            provider_id=str(obj["id"]),
            provider_payment_id=str(obj.get("payment_intent") or ""),
            amount=from_minor(obj["amount_total"], currency),
            currency=currency,
        )
    if event_type == INTENT_PAID:
        currency = str(obj["currency"]).upper()
        received = obj.get("amount_received") or obj["amount"]
        return Notification(
            event_id=event_id,
            event_type=event_type,
            paid=True,
            token=str(metadata.get(TOKEN_KEY) or ""),
            provider_payment_id=str(obj["id"]),
            amount=from_minor(received, currency),
            currency=currency,
        )
    if event_type == SESSION_FAILED:
        return Notification(
            event_id=event_id,
            event_type=event_type,
            paid=False,
            problem=PROBLEM_FAILED,
            token=str(obj.get("client_reference_id") or metadata.get(TOKEN_KEY) or ""),
            provider_id=str(obj["id"]),
        )
    if event_type in CHARGE_PROBLEMS:
        # A charge (refunded) or a dispute: both name the payment intent the money came with.
        problem = CHARGE_PROBLEMS[event_type]
        currency = str(obj["currency"]).upper()
        minor = obj["amount_refunded"] if problem == PROBLEM_REFUNDED else obj["amount"]
        return Notification(
            event_id=event_id,
            event_type=event_type,
            paid=False,
            problem=problem,
            provider_payment_id=str(obj.get("payment_intent") or ""),
            amount=from_minor(minor, currency),
            currency=currency,
        )
    return Notification(event_id=event_id, event_type=event_type, paid=False)
