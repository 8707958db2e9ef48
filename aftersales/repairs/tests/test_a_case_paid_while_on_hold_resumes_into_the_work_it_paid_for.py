"""A case put on hold while awaiting payment and paid meanwhile (online here) goes, back from
hold, to the work the payment started — not back to "awaiting payment" with nothing owed and
no action left to move it on (audit)."""

from __future__ import annotations

from django.test import Client

from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.repairs.choices import HoldReason, PaymentPurpose, RequestStatus
from aftersales.repairs.tests.paying_helpers import attempt_started, notify, session_completed
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

S = RequestStatus


def test_paid_on_hold_resumes_into_the_replacement(
    case, reception, technician, agent, stripe_configured
):
    walk_to(case, S.AWAITING_PAYMENT, reception=reception, technician=technician, agent=agent)
    attempt = attempt_started(case)
    services.case_hold(case=case, by=agent, reason=HoldReason.WAITING_FOR_CUSTOMER)
    answer = notify(Client(), session_completed(attempt), stripe_configured["WEBHOOK_SECRET"])
    assert answer.json()["outcome"] == "confirmed"
    case.refresh_from_db()
    assert case.status == S.ON_HOLD
    assert case.payments.get(purpose=PaymentPurpose.PLAN_FEE).paid_at is not None

    services.case_resume(case=case, by=agent)
    case.refresh_from_db()
    assert case.status == S.REPLACING
