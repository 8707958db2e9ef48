"""News of an online payment after it started (audit: all of it was ignored and the work went
on as if paid): a payment on its way that fails (a bank debit refused) fails its attempt — the
customer is told and may pay again —; a refund or a dispute (chargeback) made at the payment
service is told to staff on the case. Each notification counts once, and one about no payment
of ours changes nothing."""

from __future__ import annotations

from django.test import Client

from aftersales.payments.choices import AttemptStatus, NotificationOutcome
from aftersales.payments.models import ProviderNotification
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.repairs.choices import EventKind, RequestStatus
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.tests.paying_fixtures import *  # noqa: F403
from aftersales.repairs.tests.paying_helpers import attempt_started, notify, session_completed
from aftersales.workshop.tests.cast import *  # noqa: F403

S = RequestStatus


def event(kind: str, obj: dict, event_id: str = "evt_problem_1") -> dict:
    return {"id": event_id, "object": "event", "type": kind, "data": {"object": obj}}


def notes(case, *, visible: bool) -> list[str]:
    return list(
        CaseEvent.objects.filter(
            request=case, kind=EventKind.NOTE, customer_visible=visible
        ).values_list("note", flat=True)
    )


def test_a_debit_that_fails_fails_the_attempt_and_tells_the_customer(awaiting, secret, client):
    attempt = attempt_started(awaiting)
    failed = event(
        "checkout.session.async_payment_failed",
        {
            "id": attempt.provider_id,
            "object": "checkout.session",
            "client_reference_id": str(attempt.token),
            "payment_status": "unpaid",
            "metadata": {},
        },
    )
    assert notify(Client(), failed, secret).json()["outcome"] == NotificationOutcome.FAILED
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_PAYMENT
    assert awaiting.payments.get().paid_at is None
    [told] = notes(awaiting, visible=True)
    assert "did not go through" in told or "n'a pas abouti" in told

    # The same notification again changes nothing and tells nobody twice.
    assert notify(Client(), failed, secret).json()["outcome"] == "duplicate"
    assert len(notes(awaiting, visible=True)) == 1


def test_a_refund_then_a_dispute_at_the_provider_are_told_to_staff(awaiting, secret):
    attempt = attempt_started(awaiting)
    assert notify(Client(), session_completed(attempt), secret).json()["outcome"] == "confirmed"
    awaiting.refresh_from_db()
    assert awaiting.status == S.REPLACING
    cents = int(attempt.amount * 100)
    charge = {
        "id": "ch_test_1",
        "object": "charge",
        "payment_intent": "pi_test_1",  # as session_completed confirmed it
        "amount": cents,
        "amount_refunded": cents,
        "currency": attempt.currency.lower(),
    }
    answer = notify(Client(), event("charge.refunded", charge, "evt_refund_1"), secret).json()
    assert answer["outcome"] == NotificationOutcome.REPORTED
    dispute = {**charge, "id": "dp_test_1", "object": "dispute"}
    answer = notify(Client(), event("charge.dispute.created", dispute, "evt_dispute_1"), secret)
    assert answer.json()["outcome"] == NotificationOutcome.REPORTED

    staff = notes(awaiting, visible=False)
    assert any("refund" in note and "pi_test_1" in note for note in staff)
    assert any("dispute" in note for note in staff)
    assert notes(awaiting, visible=True) == []
    rows = ProviderNotification.objects.filter(outcome=NotificationOutcome.REPORTED)
    assert {row.attempt_id for row in rows} == {attempt.pk}


def test_a_refund_of_no_payment_of_ours_changes_nothing(awaiting, secret):
    before = CaseEvent.objects.filter(request=awaiting).count()
    charge = {
        "id": "ch_other",
        "object": "charge",
        "payment_intent": "pi_someone_else",
        "amount": 100,
        "amount_refunded": 100,
        "currency": "eur",
    }
    answer = notify(Client(), event("charge.refunded", charge), secret).json()
    assert answer["outcome"] == NotificationOutcome.UNKNOWN_PAYMENT
    assert CaseEvent.objects.filter(request=awaiting).count() == before


def test_the_customer_is_told_in_the_language_of_the_case(awaiting, secret, settings):
    settings.LANGUAGE_CODE = "en"
    type(awaiting).objects.filter(pk=awaiting.pk).update(language="fr")
    attempt = attempt_started(awaiting)
    failed = event(
        "checkout.session.async_payment_failed",
        {
            "id": attempt.provider_id,
            "object": "checkout.session",
            "client_reference_id": str(attempt.token),
            "metadata": {},
        },
    )
    notify(Client(), failed, secret)
    [told] = notes(awaiting, visible=True)
    assert "n'a pas abouti" in told
    assert "Frais de remplacement" in told or "forfait" in told
    assert "Plan replacement fee" not in told
