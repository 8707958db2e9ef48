"""Issue 9, item 3: the payment providers serve any payment a case owes — an accepted quote, a
refused quote's evaluation fee, and the Express fee (FAQ 3; the Express flow itself decides
when the fee is due and what its payment starts). An Express fee due on a case has its own
transfer reference and is paid online like the others; its payment moves nothing by itself."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from aftersales.payments.models import PaymentAttempt
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.repairs.choices import PaymentPurpose, RequestStatus
from aftersales.repairs.models import Payment
from aftersales.repairs.tests.paying_helpers import notify, session_completed
from aftersales.workshop.tests.cast import *  # noqa: F403


def test_an_express_fee_is_paid_online_and_settled_once(client, customer, case, stripe_configured):
    case.express_requested = True
    case.save(update_fields=["express_requested"])
    fee = Payment.objects.create(
        request=case, purpose=PaymentPurpose.EXPRESS_FEE, amount=Decimal("29.00"), currency="EUR"
    )
    assert fee.transfer_reference.replace(" ", "").endswith("X")  # X: the Express fee
    client.force_login(customer)
    assert "Payer 29,00 EUR en ligne" in client.get(case.get_absolute_url()).text

    response = client.post(
        reverse("repairs:payment_online", args=[case.case_number, fee.pk]), {"provider": "stripe"}
    )
    assert response.status_code == 302
    attempt = PaymentAttempt.objects.get()
    assert (attempt.purpose, attempt.amount) == (PaymentPurpose.EXPRESS_FEE, Decimal("29.00"))

    event = session_completed(attempt)
    provider = Client()
    for _twice in range(2):
        notify(provider, event, stripe_configured["WEBHOOK_SECRET"])

    fee.refresh_from_db()
    assert fee.paid_at is not None
    case.refresh_from_db()
    assert case.status == RequestStatus.SUBMITTED
    assert case.events.filter(kind="payment").count() == 1
