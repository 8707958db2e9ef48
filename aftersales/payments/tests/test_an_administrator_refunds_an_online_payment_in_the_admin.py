"""Issue 9: a confirmed online payment is refunded through its provider (localstripe), from the
admin until the back office has its page; a payment not confirmed is refused with why, and
nothing is refunded twice."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
import stripe
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from aftersales.accounts.tests.factories import UserFactory
from aftersales.payments import providers
from aftersales.payments.choices import AttemptStatus
from aftersales.payments.models import PaymentAttempt
from aftersales.payments.providers.base import Order
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def paid(db, stripe_configured, localstripe_url) -> PaymentAttempt:
    """49.00 EUR paid on the Checkout page with the test card, and confirmed."""
    attempt = PaymentAttempt.objects.create(
        provider="stripe",
        reference="CAS-1234567-ABCDEF",
        purpose="repair",
        amount=49,
        currency="EUR",
    )
    provider = providers.provider("stripe")
    assert provider is not None
    order = Order(
        reference=attempt.reference,
        purpose="repair",
        amount=Decimal("49.00"),
        currency="EUR",
        description="Repair",
        token=str(attempt.token),
    )
    started = provider.start(order=order, return_url="http://x/back", cancel_url="http://x/c")
    form = urllib.parse.urlencode({"number": "4242424242424242", "expiry": "1/31", "cvc": "123"})
    with pytest.raises(urllib.error.HTTPError):  # the 303 back to the site
        urllib.request.build_opener(NoRedirect).open(
            urllib.request.Request(started.redirect_url, data=form.encode()),  # noqa: S310
            timeout=5,
        )
    client = stripe.StripeClient("sk_test_aftersales", base_addresses={"api": localstripe_url})
    intent = client.v1.checkout.sessions.retrieve(started.provider_id).payment_intent
    attempt.provider_id, attempt.provider_payment_id = started.provider_id, str(intent)
    attempt.status, attempt.confirmed_at = AttemptStatus.CONFIRMED, timezone.now()
    attempt.save()
    return attempt


def test_an_administrator_refunds_a_confirmed_payment_once(client, paid):
    pending = PaymentAttempt.objects.create(
        provider="stripe",
        reference="CAS-7654321-ABCDEF",
        purpose="repair",
        amount=5,
        currency="EUR",
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:payments_paymentattempt_changelist")

    response = client.post(
        url,
        {"action": "refund", ACTION_CHECKBOX_NAME: [paid.pk, pending.pk]},
        follow=True,
    )

    assert response.status_code == 200
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (AttemptStatus.REFUNDED, Decimal("49.00"))
    assert paid.refund_id.startswith("re_")
    assert "Only a confirmed payment can be refunded." in response.text
    pending.refresh_from_db()
    assert pending.refunded_amount == 0

    again = client.post(url, {"action": "refund", ACTION_CHECKBOX_NAME: [paid.pk]}, follow=True)
    assert "No more than 0.00 EUR can be refunded." in again.text
    paid.refresh_from_db()
    assert paid.refunded_amount == Decimal("49.00")
