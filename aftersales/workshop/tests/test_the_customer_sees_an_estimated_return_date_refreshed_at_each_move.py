"""Issue 9, item 5: the customer sees an estimated return date on the case page and in each
e-mail — computed from the centre's measured stage durations and its current queue (not a fixed
promise), made again at each move and kept with it, and measured against the day the case
really closed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.repairs.choices import PaymentMethod, QuoteOption, RequestStatus
from aftersales.repairs.estimates import (
    Measure,
    case_estimate,
    estimate_compute,
    measures_forget,
    path_ahead,
    stage_durations_measure,
)
from aftersales.repairs.models import ReturnEstimate, StageDuration
from aftersales.repairs.services import quote_answer
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import evaluated, quoted, walk_to
from aftersales.workshop.tests.dashboard_data import moves

S = RequestStatus
UTC = ZoneInfo("UTC")


def test_the_path_ahead_skips_the_quote_under_the_warranty_and_for_express():
    assert path_ahead(S.RECEIVED) == [
        S.RECEIVED, S.EVALUATING, S.QUOTED, S.AWAITING_PAYMENT, S.REPAIRING, S.QUALITY_CHECK,
        S.READY_TO_SHIP, S.SHIPPED,
    ]  # fmt: skip
    assert path_ahead(S.RECEIVED, warranty=True)[2] == S.REPAIRING
    assert path_ahead(S.EVALUATING, express=True)[1] == S.REPLACING
    assert path_ahead(S.ON_HOLD, held_from=S.REPAIRING) == [
        S.ON_HOLD, S.REPAIRING, S.QUALITY_CHECK, S.READY_TO_SHIP, S.SHIPPED,
    ]  # fmt: skip
    assert path_ahead(S.RETURNING_UNREPAIRED) == [
        S.RETURNING_UNREPAIRED,
        S.READY_TO_SHIP,
        S.SHIPPED,
    ]
    assert path_ahead(S.CLOSED) == []


def test_the_estimate_is_the_measured_pace_and_the_queue_ahead():
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    day = timedelta(days=1)
    measures = {status: Measure(day) for status in path_ahead(S.REPAIRING)}
    path = path_ahead(S.REPAIRING)
    # Repairing for half a day of its median one: half a day, then 3 days for the rest.
    assert estimate_compute(
        path=path, entered_at=now - day / 2, now=now, measures=measures, ahead=0, zone=UTC
    ) == date(2026, 12, 11)
    # 20 cases ahead in the repair queue, 4 repaired a day: 5 days before this one's turn.
    measures[S.REPAIRING] = Measure(day, per_day=4)
    assert estimate_compute(
        path=path, entered_at=now - day / 2, now=now, measures=measures, ahead=20, zone=UTC
    ) == date(2026, 12, 15)
    # Nothing measured: the prudent defaults.
    assert estimate_compute(
        path=path, entered_at=now, now=now, measures={}, ahead=0, zone=UTC
    ) == date(2026, 12, 17)


@pytest.mark.django_db
def test_the_queue_ahead_is_counted_at_a_measured_pace_and_only_then(case):
    """The cases already in the status at the centre wait before this one: counted when the
    centre's pace of that status is measured; without a pace the count could change nothing
    and is not asked (a busy centre has thousands of cases in a status)."""
    centre = case.repair_centre
    now = timezone.now()
    for _ in range(12):
        SubmittedCaseFactory(
            repair_centre=centre,
            status=S.EVALUATING,
            status_changed_at=now - timedelta(hours=1),
        )
    case.status, case.status_changed_at = S.EVALUATING, now
    with CaptureQueriesContext(connection) as unmeasured:
        case_estimate(case, now)
    assert not any("COUNT(" in query["sql"].upper() for query in unmeasured.captured_queries)

    StageDuration.objects.create(
        centre=centre,
        status=S.EVALUATING,
        median_seconds=3600,
        ended_per_day=2,
        samples=50,
        measured_at=now,
    )
    measures_forget([centre.pk])
    # 12 cases ahead, 2 evaluated a day: 6 days before this one's turn, then the rest.
    estimated = case_estimate(case, now)
    zone = ZoneInfo(centre.time_zone)
    assert estimated >= (now + timedelta(days=6)).astimezone(zone).date()
    case.status_changed_at = now - timedelta(hours=2)  # entered before all of them
    assert case_estimate(case, now) < estimated


@pytest.mark.django_db
def test_the_stage_durations_are_measured_per_centre(case):
    centre = case.repair_centre
    now = timezone.now()
    for hours in (10, 20, 30, 40, 50):
        other = SubmittedCaseFactory(repair_centre=centre)
        start = now - timedelta(days=3)
        moves(other, (S.SUBMITTED, start), (S.RECEIVED, start + timedelta(hours=hours)))
    assert stage_durations_measure(now) >= 1
    submitted = StageDuration.objects.get(centre=centre, status=S.SUBMITTED)
    assert submitted.median_seconds == 30 * 3600 and submitted.samples == 5
    assert submitted.ended_per_day == pytest.approx(5 / 60)


@pytest.mark.django_db
def test_the_customer_reads_the_estimate_on_the_page_and_in_each_e_mail_until_it_is_measured(
    client, case, reception, technician, agent, spare, django_capture_on_commit_callbacks
):
    people = {"reception": reception, "technician": technician, "agent": agent}
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(case, S.RECEIVED, **people)
    case.refresh_from_db()
    first = case.estimated_return_on
    assert first is not None
    received = case.events.get(status=S.RECEIVED)
    assert received.return_estimate.estimated_on == first

    # The e-mail of the move tells it, in the customer's language (French).
    told = [m for m in mail.outbox if case.case_number in m.subject]
    body = told[-1].body
    assert "Date de retour estimée" in body
    assert "Date de retour estimée" in told[-1].alternatives[0][0]

    client.force_login(case.user)
    page = client.get(reverse("repairs:case", args=[case.case_number])).text
    assert 'id="estimated-return"' in page

    # The centre measured slower repairs meanwhile: the next move says a later date.
    StageDuration.objects.create(
        centre=case.repair_centre,
        status=S.EVALUATING,
        median_seconds=40 * 86400,
        ended_per_day=1,
        samples=50,
        measured_at=timezone.now(),
    )
    measures_forget([case.repair_centre_id])  # as the daily measure does
    services.case_evaluation_start(case=case, by=technician)
    case.refresh_from_db()
    assert case.estimated_return_on > first

    # Closed: each estimate is measured against the day it really closed.
    walk_to_closed(case, spare, **people)
    closed_on = timezone.localdate()
    estimates = list(ReturnEstimate.objects.filter(request=case))
    assert len(estimates) >= 3
    for estimate in estimates:
        assert estimate.closed_on is not None
        assert estimate.error_days == (estimate.estimated_on - estimate.closed_on).days
    assert abs((estimates[0].closed_on - closed_on).days) <= 1
    case.refresh_from_db()
    assert case.estimated_return_on is None
    page = client.get(reverse("repairs:case", args=[case.case_number])).text
    assert 'id="estimated-return"' not in page


def walk_to_closed(case, spare, **people):
    """From "evaluating": evaluated, quoted, the plan replacement chosen and paid, replaced,
    checked, shipped and closed."""
    case.refresh_from_db()
    ready_to_ship_from_evaluating(case, spare, **people)
    services.case_ship(case=case, by=people["reception"], tracking_number="1Z999AA10123456784")
    services.case_close(case=case, by=people["agent"])


def ready_to_ship_from_evaluating(case, spare, **people):
    technician = people["technician"]
    evaluated(case, technician)
    quote = quoted(case, technician)
    quote_answer(case=case, quote_id=quote.pk, option=QuoteOption.PLAN_REPLACEMENT, by=case.user)
    payment = case.payments.get(paid_at__isnull=True)
    services.payment_record(
        case=case,
        payment=payment,
        by=people["agent"],
        method=PaymentMethod.BANK_TRANSFER,
        reference="X1",
    )
    services.case_replace_unit(case=case, by=technician, new_serial_number=spare.serial_number)
    services.case_replacement_done(case=case, by=technician)
    services.case_quality_check(case=case, by=technician, passed=True)
