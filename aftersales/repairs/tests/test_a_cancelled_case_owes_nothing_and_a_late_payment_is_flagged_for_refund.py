"""A cancelled case owes nothing (audit): the Express fee it waited for is no longer asked for
on the case page, cannot be paid online any more, and a payment confirmed by the provider after
the customer cancelled (paid on the provider's page, cancelled before the notification came)
settles nothing — staff are asked to refund it, and the customer is not told "received"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.payments.models import PaymentAttempt
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.repairs.choices import EventKind, PaymentPurpose, RequestStatus
from aftersales.repairs.lifecycle import case_transition
from aftersales.repairs.models import CaseEvent, Payment
from aftersales.repairs.tests.paying_helpers import attempt_started, notify, session_completed
from aftersales.workshop.tests.cast import *  # noqa: F403

S = RequestStatus


@pytest.fixture
def fee(case, stripe_configured):
    """An Express case waiting for its fee (29 EUR) before the unit is shipped ahead."""
    case.express_requested = True
    case.save(update_fields=["express_requested"])
    fee = Payment.objects.create(
        request=case, purpose=PaymentPurpose.EXPRESS_FEE, amount=Decimal("29.00"), currency="EUR"
    )
    case_transition(case=case, to=S.AWAITING_PAYMENT, by=None)
    return fee


def cancel(client, case) -> None:
    assert client.post(reverse("repairs:case_cancel", args=[case.case_number])).status_code == 302
    case.refresh_from_db()
    assert case.status == S.CANCELLED


def test_a_cancelled_case_asks_for_nothing_and_cannot_be_paid(client, customer, case, fee):
    client.force_login(customer)
    assert (
        "29,00" in client.get(case.get_absolute_url()).text
        or "29.00" in client.get(case.get_absolute_url()).text
    )
    cancel(client, case)
    page = client.get(case.get_absolute_url()).text
    assert "29,00" not in page and "29.00" not in page
    response = client.post(
        reverse("repairs:payment_online", args=[case.case_number, fee.pk]), {"provider": "stripe"}
    )
    assert response.status_code != 302 or "checkout" not in response.get("Location", "")
    assert not PaymentAttempt.objects.exists()


def test_paid_on_the_providers_page_then_cancelled_is_flagged_for_a_refund(
    client, customer, case, fee, stripe_configured
):
    attempt = attempt_started(case)
    client.force_login(customer)
    cancel(client, case)
    told_before = CaseEvent.objects.filter(request=case, customer_visible=True).count()

    answer = notify(Client(), session_completed(attempt), stripe_configured["WEBHOOK_SECRET"])
    assert answer.status_code == 200
    fee.refresh_from_db()
    case.refresh_from_db()
    assert fee.paid_at is None
    assert case.status == S.CANCELLED
    assert not CaseEvent.objects.filter(request=case, kind=EventKind.PAYMENT).exists()
    assert CaseEvent.objects.filter(request=case, customer_visible=True).count() == told_before
    note = CaseEvent.objects.get(request=case, kind=EventKind.NOTE, customer_visible=False)
    assert "refund" in note.note
