"""Issue 9, item 5: a daily task e-mails each team (the staff of a role) exactly its cases past
their service level target, once a day; and reminds the customer of a quote unanswered after the
centre's reminder delay, once per quote, never once it has expired."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from aftersales.core.recurring import recurring_tasks
from aftersales.repairs.choices import HoldReason, RequestStatus
from aftersales.repairs.models import Quote
from aftersales.repairs.tasks import DAILY_SERVICE_LEVELS, quote_reminders_queue
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop.tasks import DAILY_OVERDUE_DIGEST, overdue_digests_send

pytestmark = pytest.mark.django_db

S = RequestStatus


def case(status: str, due_in_hours: float | None, **fields):
    now = timezone.now()
    return SubmittedCaseFactory(
        status=status,
        status_changed_at=now - timedelta(days=3),
        sla_due_at=None if due_in_hours is None else now + timedelta(hours=due_in_hours),
        **fields,
    )


def test_each_team_gets_exactly_its_breached_cases_once_a_day(reception, technician, agent):
    technician.preferred_language = "fr"
    technician.save(update_fields=["preferred_language"])
    late_evaluation = case(S.EVALUATING, -5)
    late_repair = case(S.REPAIRING, -1)
    late_on_hold = case(S.ON_HOLD, -2, held_from_status=S.REPAIRING, hold_reason=HoldReason.OTHER)
    late_shipping = case(S.READY_TO_SHIP, -3)
    in_time = case(S.REPAIRING, 4)
    paused = case(S.ON_HOLD, None, held_from_status=S.REPAIRING)
    late_quote = case(S.QUOTED, -50)  # the customer's clock: a reminder, not the workshop's

    assert overdue_digests_send() == 2
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    tech = by_recipient[(technician.email,)]
    shipping = by_recipient[(reception.email,)]
    assert agent.email not in {address for message in mail.outbox for address in message.to}

    def listed(message) -> list[str]:
        return [
            number
            for number in (c.case_number for c in SubmittedCaseFactory._meta.model.objects.all())
            if number in message.body
        ]

    # The longest overdue first, in the member's language.
    assert (
        tech.body.index(late_evaluation.case_number)
        < tech.body.index(late_on_hold.case_number)
        < tech.body.index(late_repair.case_number)
    )
    assert sorted(listed(tech)) == sorted(
        c.case_number for c in (late_evaluation, late_repair, late_on_hold)
    )
    assert "dossiers" in tech.subject or "dossier" in tech.subject
    assert listed(shipping) == [late_shipping.case_number]
    html = tech.alternatives[0][0]
    assert late_evaluation.case_number in html
    for other in (in_time, paused, late_quote):
        assert other.case_number not in tech.body + shipping.body

    # Run again the same day: nothing more.
    assert overdue_digests_send() == 0
    assert len(mail.outbox) == 2


@pytest.fixture
def quoted(customer):
    """A case quoted 4 days ago at a centre reminding after 3 days, its quote valid 30."""
    sent = timezone.now() - timedelta(days=4)
    quoted = case(S.QUOTED, None, user=customer)
    quoted.sla_due_at = sent + timedelta(days=3)
    quoted.save(update_fields=["sla_due_at"])
    from aftersales.repairs.models import Evaluation

    evaluation = Evaluation.objects.create(
        request=quoted,
        evaluated_at=sent,
        evaluated_by=customer,
        findings="Arms broken.",
        cause="accident",
        liability="user",
        labour_hours=Decimal("1.5"),
    )
    Quote.objects.create(
        request=quoted,
        version=1,
        evaluation=evaluation,
        created_at=sent,
        created_by=customer,
        valid_until=timezone.localdate() + timedelta(days=26),
        currency="EUR",
        vat_rate=Decimal("21"),
        subtotal=Decimal("100"),
        vat=Decimal("21"),
        total=Decimal("121"),
        options=[{"option": "repair", "amount": "121.00", "currency": "EUR"}],
    )
    return quoted


def test_an_unanswered_quote_is_reminded_once(quoted):
    assert quote_reminders_queue() == 1
    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == [quoted.user.email]
    assert quoted.case_number in reminder.subject and "121.00 EUR" in reminder.body
    assert quote_reminders_queue() == 0
    assert len(mail.outbox) == 1


def test_a_quote_is_not_reminded_before_the_delay_nor_once_expired(quoted):
    quote = quoted.quotes.get()
    quote.created_at = timezone.now() - timedelta(days=2)
    quote.save(update_fields=["created_at"])
    assert quote_reminders_queue() == 0
    quote.created_at = timezone.now() - timedelta(days=40)
    quote.valid_until = timezone.localdate() - timedelta(days=1)
    quote.save(update_fields=["created_at", "valid_until"])
    assert quote_reminders_queue() == 0
    assert mail.outbox == []


def test_a_french_customer_is_reminded_in_french(quoted):
    quoted.user.preferred_language = "fr"
    quoted.user.save(update_fields=["preferred_language"])
    quoted.language = "fr"
    quoted.save(update_fields=["language"])
    quote_reminders_queue()
    assert "devis" in mail.outbox[0].subject


def test_both_daily_tasks_are_recurring():
    assert DAILY_SERVICE_LEVELS in recurring_tasks()
    assert DAILY_OVERDUE_DIGEST in recurring_tasks()
