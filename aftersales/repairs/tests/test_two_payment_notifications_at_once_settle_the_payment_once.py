"""Issue 9: two notifications of the provider arrive at the same instant (Stripe sends a
notification again when it did not hear back in time, and sends both
`checkout.session.completed` and `payment_intent.succeeded` for one payment): through the
real webhook, each with its own database connection, the payment is settled once and the case
moves once; every answer is a 200, never a 500. Row locks need PostgreSQL."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.core.tests.race import POSTGRESQL_ONLY, race
from aftersales.payments.choices import AttemptStatus
from aftersales.payments.models import ProviderNotification
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.payments.tests.stripe_fixtures import signed
from aftersales.repairs.choices import EventKind, RequestStatus
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.tests.factories import payment_told
from aftersales.repairs.tests.paying_helpers import (
    WEBHOOK,
    attempt_started,
    intent_succeeded,
    session_completed,
)
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = POSTGRESQL_ONLY

S = RequestStatus


def sender(event: dict, secret: str):
    body, signature = signed(event, secret)

    def send():
        return Client().post(
            WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )

    return send


@pytest.mark.parametrize("rounds", range(3))
def test_the_same_payment_notified_three_times_at_once_is_settled_once(
    case, reception, technician, agent, stripe_configured, rounds
):
    walk_to(case, S.AWAITING_PAYMENT, reception=reception, technician=technician, agent=agent)
    attempt = attempt_started(case)
    secret = stripe_configured["WEBHOOK_SECRET"]
    completed = session_completed(attempt, event_id=f"evt_same_{rounds}")

    outcome = race(
        sender(completed, secret),
        sender(completed, secret),
        sender(intent_succeeded(attempt), secret),
    )

    assert [response.status_code for response in outcome.results] == [200, 200, 200]
    answers = sorted(response.json()["outcome"] for response in outcome.results)
    # One settles it; the same event again is a duplicate; the other kind finds it done (or,
    # when it came first, settled it and the session's event found it done).
    assert answers.count("confirmed") == 1
    assert set(answers) <= {"confirmed", "duplicate", "already_confirmed"}
    assert ProviderNotification.objects.count() == 2
    case.refresh_from_db()
    assert case.status == S.REPLACING
    assert payment_told(case) == 1
    assert (
        CaseEvent.objects.filter(request=case, kind=EventKind.STATUS, status=S.REPLACING).count()
        == 1
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.CONFIRMED


def test_a_notification_and_an_agents_record_at_once_settle_the_payment_once(
    case, reception, technician, agent, stripe_configured
):
    from aftersales.workshop import services as workshop

    walk_to(case, S.AWAITING_PAYMENT, reception=reception, technician=technician, agent=agent)
    attempt = attempt_started(case)
    due = case.payments.get()

    outcome = race(
        sender(session_completed(attempt), stripe_configured["WEBHOOK_SECRET"]),
        lambda: workshop.payment_record(case=case, payment=due, by=agent, method="counter"),
    )

    assert len(outcome.results) == 2
    case.refresh_from_db()
    assert case.status == S.REPLACING
    assert payment_told(case) == 1
    assert (
        CaseEvent.objects.filter(request=case, kind=EventKind.STATUS, status=S.REPLACING).count()
        == 1
    )
