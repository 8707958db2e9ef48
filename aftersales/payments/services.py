"""Starting a payment with a provider, recording and applying its notifications, refunds.

The payments app knows what is paid only by a reference (a case number) and a purpose; the
repairs app calls these and records what a confirmed payment settles, in the same transaction
(`repairs.paying`)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import providers
from .choices import AttemptStatus, NotificationOutcome
from .errors import NotificationRefused, PaymentError
from .models import PaymentAttempt, ProviderNotification
from .providers.base import Notification, Order

logger = logging.getLogger(__name__)


def payment_online_start(
    *,
    provider: providers.PaymentProvider,
    reference: str,
    purpose: str,
    amount: Decimal,
    currency: str,
    description: str,
    urls: Callable[[str], tuple[str, str]],
    by: Any = None,
    customer_email: str = "",
    language: str = "",
) -> PaymentAttempt:
    """Records the attempt, then asks the provider for its payment page (`urls(token)` gives
    the return and cancel addresses). Not inside a transaction that holds locks: the provider
    is called over the network. PaymentError when the provider refuses or does not answer (the
    attempt is kept, failed)."""
    if not provider.online:
        raise PaymentError("not_online")
    attempt = PaymentAttempt.objects.create(
        provider=provider.code,
        reference=reference,
        purpose=purpose,
        amount=amount,
        currency=currency,
        created_by=by if getattr(by, "pk", None) else None,
    )
    token = str(attempt.token)
    return_url, cancel_url = urls(token)
    order = Order(
        reference=reference,
        purpose=purpose,
        amount=amount,
        currency=currency,
        description=description,
        token=token,
        customer_email=customer_email,
        language=language,
    )
    try:
        started = provider.start(order=order, return_url=return_url, cancel_url=cancel_url)
    except PaymentError:
        attempt.status = AttemptStatus.FAILED
        attempt.save(update_fields=["status"])
        raise
    attempt.provider_id = started.provider_id
    attempt.redirect_url = started.redirect_url
    attempt.save(update_fields=["provider_id", "redirect_url"])
    return attempt


def attempt_returned(*, attempt: PaymentAttempt) -> None:
    """The customer came back from the provider's page by its "paid" way (the first time is
    kept). It proves nothing: only the provider's notification confirms."""
    if attempt.returned_at is None:
        now = timezone.now()
        PaymentAttempt.objects.filter(pk=attempt.pk, returned_at__isnull=True).update(
            returned_at=now
        )
        attempt.returned_at = now


def notification_verify(
    *, provider_code: str, body: bytes, headers: Mapping[str, str]
) -> Notification:
    """The provider's notification, its signature checked (no database). NotificationRefused
    when it is not believed."""
    provider = providers.provider(provider_code)
    if provider is None or not provider.online or not provider.is_configured():
        raise NotificationRefused("not_configured")
    return provider.notification_parse(body=body, headers=headers)


def notification_record(
    *, provider_code: str, notification: Notification
) -> ProviderNotification | None:
    """The notification's row, inside the caller's transaction; None when it was recorded
    already (sent again, or replayed): the unique event id is the proof, also between two
    requests at the same instant (the second waits for the first's commit, then finds it)."""
    try:
        with transaction.atomic():
            return ProviderNotification.objects.create(
                provider=provider_code,
                event_id=notification.event_id[:255],
                event_type=notification.event_type[:100],
            )
    except IntegrityError:
        return None


def attempt_for(*, provider_code: str, notification: Notification) -> PaymentAttempt | None:
    """The attempt a notification is about: by our token, else by the provider's ids."""
    attempts = PaymentAttempt.objects.filter(provider=provider_code)
    if notification.token:
        try:
            token = uuid.UUID(notification.token)
        except ValueError:
            return None
        return attempts.filter(token=token).first()
    if notification.provider_id:
        return attempts.filter(provider_id=notification.provider_id).first()
    if notification.provider_payment_id:
        return attempts.filter(provider_payment_id=notification.provider_payment_id).first()
    return None


def notification_outcome(
    row: ProviderNotification, outcome: str, attempt: PaymentAttempt | None = None
) -> str:
    row.outcome = outcome
    row.attempt = attempt
    row.save(update_fields=["outcome", "attempt"])
    return outcome


def attempt_confirm(
    *, attempt: PaymentAttempt, notification: Notification, row: ProviderNotification
) -> str:
    """Confirms the attempt once (its row locked): CONFIRMED the first time, ALREADY_CONFIRMED
    after, AMOUNT_MISMATCH when the provider reports another amount or currency (nothing
    confirmed: staff look into it). Inside the caller's transaction."""
    locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.status in (AttemptStatus.CONFIRMED, AttemptStatus.REFUNDED):
        return notification_outcome(row, NotificationOutcome.ALREADY_CONFIRMED, locked)
    if notification.amount != locked.amount or notification.currency != locked.currency:
        logger.error(
            "Payment notification with another amount",
            extra={
                "reference": locked.reference,
                "expected": f"{locked.amount} {locked.currency}",
                "notified": f"{notification.amount} {notification.currency}",
            },
        )
        return notification_outcome(row, NotificationOutcome.AMOUNT_MISMATCH, locked)
    locked.status = AttemptStatus.CONFIRMED
    locked.confirmed_at = timezone.now()
    fields = ["status", "confirmed_at"]
    if notification.provider_payment_id and not locked.provider_payment_id:
        locked.provider_payment_id = notification.provider_payment_id
        fields.append("provider_payment_id")
    locked.save(update_fields=fields)
    attempt.status, attempt.confirmed_at = locked.status, locked.confirmed_at
    return notification_outcome(row, NotificationOutcome.CONFIRMED, locked)


def attempt_fail(*, attempt: PaymentAttempt) -> bool:
    """The provider says a payment on its way did not go through: the attempt is failed (the
    customer may pay again), unless it was confirmed meanwhile. True when it changed."""
    changed = PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.PENDING).update(
        status=AttemptStatus.FAILED
    )
    if changed:
        attempt.status = AttemptStatus.FAILED
    return bool(changed)


def attempt_refund(*, attempt: PaymentAttempt, amount: Decimal | None = None) -> PaymentAttempt:
    """Refunds a confirmed online payment, in whole or in part, through its provider; never
    more than was paid (the row locked while the provider is asked, so that two refunds cannot
    both pass)."""
    provider = providers.provider(attempt.provider)
    if provider is None:
        raise PaymentError("not_online")
    with transaction.atomic():
        locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status not in (AttemptStatus.CONFIRMED, AttemptStatus.REFUNDED):
            raise PaymentError("not_confirmed")
        left = locked.amount - locked.refunded_amount
        amount = left if amount is None else amount
        if amount <= 0 or amount > left:
            raise PaymentError("refund_too_much", amount=f"{left} {locked.currency}")
        refunded = provider.refund(
            provider_payment_id=locked.provider_payment_id,
            amount=amount,
            currency=locked.currency,
            # The provider is asked inside this transaction: were it to fail after the
            # provider refunded (the commit, the process killed), nothing would be recorded,
            # and the same refund asked again would send the money twice (audit). The key is
            # what was refunded before and what is asked now: a retry gets the first refund.
            idempotency_key=f"aftersales-refund-{locked.token}-{locked.refunded_amount}-{amount}",
        )
        PaymentAttempt.objects.filter(pk=locked.pk).update(
            refunded_amount=F("refunded_amount") + amount,
            refund_id=refunded.refund_id,
            status=AttemptStatus.REFUNDED if amount == left else AttemptStatus.CONFIRMED,
        )
    attempt.refresh_from_db()
    return attempt
