"""Issue 9, item 4: the daily Express task may run twice at the same instant (two workers, a run
retried after a crash while the first still runs): each customer is reminded once and each case
flagged once, each with one e-mail. Row locks need PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from aftersales.core.tests.race import POSTGRESQL_ONLY, race
from aftersales.repairs import express
from aftersales.repairs.choices import PaymentMethod, PaymentPurpose, RequestStatus
from aftersales.repairs.models import CaseEvent
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403

pytestmark = POSTGRESQL_ONLY

S = RequestStatus


@pytest.fixture
def owed(case, agent, reception, spare):
    case.express_requested = True
    case.save(update_fields=["express_requested"])
    express.express_fee_request(case=case)
    fee = case.payments.get(purpose=PaymentPurpose.EXPRESS_FEE)
    services.payment_record(case=case, payment=fee, by=agent, method=PaymentMethod.COUNTER)
    services.case_express_ship(
        case=case,
        by=reception,
        new_serial_number=spare.serial_number,
        tracking_number="1Z999AA10123456784",
    )
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("days_after_deadline", [-2, 1])
def test_two_runs_at_once_remind_or_flag_once(owed, days_after_deadline):
    now = owed.express_return.due_by + timedelta(days=days_after_deadline)
    mail.outbox.clear()

    def check() -> dict[str, int]:
        return express.express_returns_check(now=now)

    outcome = race(check, check)

    done = [sum(result.values()) for result in outcome.results]
    assert sorted(done) == [0, 1]
    notes = CaseEvent.objects.filter(request=owed, customer_visible=True, kind="note")
    assert notes.count() == 1
    assert len(mail.outbox) == 1
    owed.express_return.refresh_from_db()
    assert owed.express_return.flag_open == (days_after_deadline > 0)
