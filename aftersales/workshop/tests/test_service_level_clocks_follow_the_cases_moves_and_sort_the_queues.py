"""Issue 9, item 5: a case's service level clocks are derived from its timeline at each move
(`repairs.sla`), kept on the case (`sla_due_at`) so that the queues sort by what breaches first
and mark breaches without a query per case, shown on the staff case page, and derived again the
same by `manage.py sla_recompute`. The times are the workshop's real moves at set instants."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from aftersales.repairs import sla
from aftersales.repairs.choices import (
    HoldReason,
    RequestStatus,
)
from aftersales.repairs.models import SlaClock
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import evaluated, quoted, walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus
# The test centre is in Barendrecht (Europe/Amsterdam, 9:00–17:00, Dutch holidays).
AMS = ZoneInfo("Europe/Amsterdam")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=AMS)


class Clock:
    """`timezone.now()` everywhere, set by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    now = Clock(at(7, 8))
    with mock.patch("django.utils.timezone.now", now):
        yield now


def quote(case, technician) -> None:
    """Evaluated and quoted, as `walk_to` does it, from "evaluating"."""
    evaluated(case, technician)
    quoted(case, technician)


def stored_matches_timeline(case, now: datetime) -> None:
    """What the move kept is what the timeline gives, from scratch."""
    case.refresh_from_db()
    clocks = sla.case_clocks(case, now=now)
    running = sla.current_clock(clocks)
    assert case.sla_due_at == (running.due_at if running else None)
    rows = {row.stage: row for row in SlaClock.objects.filter(request=case)}
    assert set(rows) == {c.stage.key for c in clocks}
    for c in clocks:
        assert rows[c.stage.key].state == c.state
        assert rows[c.stage.key].used_seconds == round(c.used.total_seconds())


def test_the_clock_follows_each_move_pauses_for_parts_and_resumes(
    clock, case, reception, technician, agent
):
    people = {"reception": reception, "technician": technician, "agent": agent}
    clock.now = at(7, 10)  # Monday
    walk_to(case, S.RECEIVED, **people)
    case.refresh_from_db()
    # 2 business days = 16 working hours from Monday 10:00: Wednesday 10:00.
    assert case.sla_due_at == at(9, 10)
    stored_matches_timeline(case, clock.now)

    clock.now = at(8, 11)
    services.case_evaluation_start(case=case, by=technician)
    case.refresh_from_db()
    assert case.sla_due_at == at(9, 10)  # the same stage: the same clock

    clock.now = at(8, 12)  # Tuesday noon, 10 hours used
    services.case_hold(case=case, by=technician, reason=HoldReason.WAITING_FOR_PARTS)
    case.refresh_from_db()
    assert case.sla_due_at is None
    stored_matches_timeline(case, clock.now)
    paused = SlaClock.objects.get(request=case, stage=sla.EVALUATION)
    assert paused.state == sla.PAUSED and paused.used_seconds == 10 * 3600

    clock.now = at(14, 9)  # the next Monday: the weekend and the wait count nothing
    services.case_resume(case=case, by=technician)
    case.refresh_from_db()
    assert case.status == S.EVALUATING
    assert case.sla_due_at == at(14, 15)
    stored_matches_timeline(case, clock.now)

    clock.now = at(14, 16)  # past due: breached, and the queue marks it
    running = sla.current_clock(sla.case_clocks(case, now=clock.now))
    assert running is not None and sla.clock_breached(running, clock.now)

    clock.now = at(15, 10)
    quote(case, technician)
    case.refresh_from_db()
    evaluation = SlaClock.objects.get(request=case, stage=sla.EVALUATION)
    assert evaluation.state == sla.ENDED and evaluation.breached_at == at(14, 15)
    # The quote is the customer's clock: the reminder after 3 calendar days.
    assert case.sla_due_at == at(18, 10)
    stored_matches_timeline(case, clock.now)

    # Derived again from scratch, by the command, the same.
    SlaClock.objects.filter(request=case).delete()
    type(case).objects.filter(pk=case.pk).update(sla_due_at=None)
    call_command("sla_recompute", stdout=mock.Mock())
    stored_matches_timeline(case, clock.now)


def test_queues_list_what_breaches_first_and_mark_the_breaches(
    client, clock, technician, case, reception, agent
):
    from aftersales.repairs.tests.factories import SubmittedCaseFactory

    clock.now = at(10, 12)
    late = SubmittedCaseFactory(
        status=S.REPAIRING, status_changed_at=at(9, 9), sla_due_at=at(10, 9)
    )
    soon = SubmittedCaseFactory(
        status=S.QUALITY_CHECK, status_changed_at=at(1, 9), sla_due_at=at(11, 9)
    )
    later = SubmittedCaseFactory(
        status=S.REPAIRING, status_changed_at=at(3, 9), sla_due_at=at(14, 9)
    )
    waiting = SubmittedCaseFactory(status=S.REPLACING, status_changed_at=at(2, 9), sla_due_at=None)
    client.force_login(technician)
    page = client.get(reverse("workshop:queue", args=["to-repair"])).text
    found = re.findall(r"<code>(CAS-[0-9]{7}-[A-Z0-9]{6})</code>", page)
    assert found == [c.case_number for c in (late, soon, later, waiting)]
    rows = re.findall(r"<tr( class=\"overdue\")?>\s*<td[^>]*><a[^>]*><code>(CAS-[^<]+)<", page)
    assert [number for flag, number in rows if flag] == [late.case_number]


def test_the_staff_case_page_shows_the_clocks(client, clock, case, reception, technician, agent):
    clock.now = at(7, 10)
    walk_to(case, S.RECEIVED, reception=reception, technician=technician, agent=agent)
    clock.now = at(9, 12)  # past Wednesday 10:00
    client.force_login(technician)
    page = client.get(reverse("workshop:case", args=[case.case_number])).text
    section = page.split('id="clocks"')[1].split("</section>")[0]
    row = section.split('id="clock-evaluation"')[1].split("</tr>")[0]
    assert 'data-state="running" class="overdue"' in row
    assert "2 business days" in row and "breached" in row and "18.0 business hours" in row


def test_a_case_on_hold_for_another_reason_keeps_its_clock_running(
    clock, case, reception, technician, agent
):
    clock.now = at(7, 10)
    walk_to(case, S.EVALUATING, reception=reception, technician=technician, agent=agent)
    clock.now = at(7, 12)
    services.case_hold(case=case, by=technician, reason=HoldReason.OTHER)
    case.refresh_from_db()
    assert case.sla_due_at == at(9, 10)
    clock.now = at(7, 13)
    services.case_resume(case=case, by=technician)
    services.case_hold(case=case, by=technician, reason=HoldReason.WAITING_FOR_CUSTOMER)
    case.refresh_from_db()
    assert case.sla_due_at is None
    evaluation = SlaClock.objects.get(request=case, stage="evaluation")
    assert timedelta(seconds=evaluation.used_seconds) == timedelta(hours=3)
