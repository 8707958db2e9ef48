"""Issue 9, item 5: a case's service level clocks, computed from its timeline in the repair
centre's business time (weekends, public holidays, time-zone changes), paused while the case
waits for parts or for the customer — right after any sequence of moves. Pure: no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.core.business_time import BusinessCalendar
from aftersales.repairs.choices import HoldReason, RequestStatus
from aftersales.repairs.sla import (
    ENDED,
    EVALUATION,
    LABEL,
    PAUSED,
    QUOTE,
    REPAIR,
    RUNNING,
    Move,
    Targets,
    clocks_compute,
)

S = RequestStatus
PARIS = ZoneInfo("Europe/Paris")
# 2026-12-25 (Friday) is Christmas; 2026-12-07 is a Monday.
CHRISTMAS = date(2026, 12, 25)
CALENDAR = BusinessCalendar(PARIS, closed_dates=frozenset({CHRISTMAS}))
TARGETS = Targets()


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def clocks(moves: list[Move], now: datetime, **kwargs: object) -> dict[str, object]:
    return {
        c.stage.key: c
        for c in clocks_compute(moves, calendar=CALENDAR, targets=TARGETS, now=now, **kwargs)  # type: ignore[arg-type]
    }


def test_a_clock_counts_working_hours_only():
    # Received Monday 10:00; at Tuesday 12:00, 7 + 3 hours of the 16 (2 business days) used;
    # due on Wednesday at 10:00.
    moves = [Move(at(7, 8), S.SUBMITTED), Move(at(7, 10), S.RECEIVED)]
    evaluation = clocks(moves, at(8, 12))[EVALUATION]
    assert evaluation.state == RUNNING
    assert evaluation.used == timedelta(hours=10)
    assert evaluation.due_at == at(9, 10)
    assert not evaluation.breached


def test_a_case_received_on_friday_evening_is_due_after_the_weekend():
    moves = [Move(at(4, 8), S.SUBMITTED), Move(at(4, 16), S.RECEIVED)]
    # Friday 1 h, Monday 8 h, Tuesday 7 h.
    assert clocks(moves, at(5, 12))[EVALUATION].due_at == at(8, 16)
    # The weekend counts nothing.
    assert clocks(moves, at(6, 23))[EVALUATION].used == timedelta(hours=1)


def test_public_holidays_do_not_count():
    # Received Thursday 24 December at 16:00: Christmas (Friday) and the weekend are closed.
    moves = [Move(at(23, 8), S.SUBMITTED), Move(at(24, 16), S.RECEIVED)]
    evaluation = clocks(moves, at(28, 9))[EVALUATION]
    assert evaluation.used == timedelta(hours=1)
    assert evaluation.due_at == at(29, 16)


def test_a_hold_for_parts_pauses_the_clock_across_a_weekend():
    moves = [
        Move(at(3, 8), S.SUBMITTED),
        Move(at(3, 8, 30), S.RECEIVED),
        Move(at(3, 9), S.EVALUATING),
        Move(at(3, 9, 30), S.REPAIRING),
        # Thursday 9:30 to Friday 12:00: 7.5 + 3 hours of repair.
        Move(at(4, 12), S.ON_HOLD, HoldReason.WAITING_FOR_PARTS),
    ]
    held = clocks(moves, at(8, 10))[REPAIR]
    assert held.state == PAUSED and held.due_at is None
    assert held.used == timedelta(hours=10, minutes=30)
    assert held.remaining == timedelta(hours=29, minutes=30)
    # The parts arrive on Tuesday at 10:00: the clock goes on from there.
    resumed = clocks([*moves, Move(at(8, 10), S.REPAIRING)], at(8, 12))[REPAIR]
    assert resumed.state == RUNNING
    assert resumed.used == timedelta(hours=12, minutes=30)
    # 29.5 hours from Tuesday 10:00: 7 + 8 + 8 (Thursday) + 6.5 on Friday.
    assert resumed.due_at == at(11, 15, 30)


def test_waiting_for_the_customer_pauses_but_another_hold_does_not():
    base = [Move(at(7, 8), S.SUBMITTED), Move(at(7, 9), S.RECEIVED)]
    customer = [*base, Move(at(7, 13), S.ON_HOLD, HoldReason.WAITING_FOR_CUSTOMER)]
    other = [*base, Move(at(7, 13), S.ON_HOLD, HoldReason.OTHER)]
    assert clocks(customer, at(9, 9))[EVALUATION].used == timedelta(hours=4)
    running = clocks(other, at(9, 9))[EVALUATION]
    assert running.state == RUNNING
    assert running.used == timedelta(hours=16)
    assert running.breached_at == at(8, 17)


def test_several_holds_add_up_only_the_time_worked():
    moves = [
        Move(at(7, 8), S.SUBMITTED),
        Move(at(7, 9), S.RECEIVED),
        Move(at(7, 10), S.ON_HOLD, HoldReason.WAITING_FOR_PARTS),
        Move(at(8, 9), S.RECEIVED),
        Move(at(8, 11), S.EVALUATING),
        Move(at(8, 12), S.ON_HOLD, HoldReason.WAITING_FOR_CUSTOMER),
        Move(at(10, 9), S.EVALUATING),
    ]
    evaluation = clocks(moves, at(10, 12))[EVALUATION]
    # 1 h on Monday, 3 h on Tuesday, 3 h on Thursday.
    assert evaluation.used == timedelta(hours=7)
    assert evaluation.due_at == at(11, 13)


def test_a_clock_ends_when_the_stage_is_over_and_keeps_its_breach():
    moves = [
        Move(at(7, 8), S.SUBMITTED),
        Move(at(7, 9), S.RECEIVED),
        Move(at(8, 9), S.EVALUATING),
        Move(at(10, 15), S.QUOTED),
    ]
    result = clocks(moves, at(11, 9))
    evaluation = result[EVALUATION]
    assert evaluation.state == ENDED and evaluation.ended_at == at(10, 15)
    assert evaluation.breached_at == at(8, 17)
    assert evaluation.due_at is None
    # The quote is the customer's: calendar days, a reminder after 3, the expiry at 30.
    quote = result[QUOTE]
    assert quote.state == RUNNING
    assert quote.due_at == at(13, 15)
    assert quote.expires_at == datetime(2027, 1, 9, 15, tzinfo=PARIS)


def test_the_label_clock_ends_when_the_label_went_out():
    moves = [Move(at(4, 16), S.SUBMITTED)]
    label = clocks(moves, at(9, 12), label_sent_at=at(7, 10))[LABEL]
    assert label.state == ENDED and label.ended_at == at(7, 10)
    assert label.used == timedelta(hours=2) and not label.breached
    late = clocks(moves, at(9, 12))[LABEL]
    assert late.state == RUNNING and late.breached_at == at(8, 16)


def test_time_zone_changes_count_the_real_hours():
    # A centre open around the clock, every day: the night the clocks go forward (29 March
    # 2026 in Paris) has 23 hours, so 48 business hours from Saturday 00:00 end on Monday 01:00.
    always = BusinessCalendar(PARIS, opens=time(0), closes=time(0), weekend=frozenset())
    moves = [
        Move(datetime(2026, 3, 27, 12, tzinfo=PARIS), S.SUBMITTED),
        Move(datetime(2026, 3, 28, 0, tzinfo=PARIS), S.RECEIVED),
    ]
    (_label, evaluation) = clocks_compute(
        moves, calendar=always, targets=TARGETS, now=datetime(2026, 3, 28, 6, tzinfo=PARIS)
    )
    assert evaluation.due_at == datetime(2026, 3, 30, 1, tzinfo=PARIS)
    # The same instants written in UTC give the same clocks.
    utc = [Move(move.at.astimezone(ZoneInfo("UTC")), move.status) for move in moves]
    (_label, same) = clocks_compute(
        utc, calendar=always, targets=TARGETS, now=datetime(2026, 3, 28, 5, tzinfo=ZoneInfo("UTC"))
    )
    assert same.due_at == evaluation.due_at


HOLDS = st.sampled_from([HoldReason.WAITING_FOR_PARTS, HoldReason.WAITING_FOR_CUSTOMER])


@settings(max_examples=60, deadline=None)
@given(
    gaps=st.lists(st.integers(min_value=0, max_value=60 * 60 * 80), min_size=2, max_size=8),
    holds=st.lists(HOLDS, min_size=8, max_size=8),
)
def test_any_sequence_of_holds_counts_exactly_the_time_worked(gaps, holds):
    """Repairs interrupted by holds for parts or the customer, at any instants (nights,
    weekends, Christmas): the clock's time is the business time of the repairing spans, and
    the due time is where the remaining time runs out from the last resumption."""
    start = at(21, 10)
    moves = [Move(start - timedelta(hours=1), S.SUBMITTED), Move(start, S.REPAIRING)]
    worked = timedelta(0)
    cursor = start
    for index, gap in enumerate(gaps):
        following = cursor + timedelta(seconds=gap)
        if moves[-1].status == S.REPAIRING:
            worked += CALENDAR.business_time_between(cursor, following)
            moves.append(Move(following, S.ON_HOLD, holds[index]))
        else:
            moves.append(Move(following, S.REPAIRING))
        cursor = following
    now = cursor + timedelta(hours=1)
    if moves[-1].status == S.REPAIRING:
        worked += CALENDAR.business_time_between(cursor, now)
    repair = clocks(moves, now)[REPAIR]
    assert repair.used == worked
    target = timedelta(hours=8 * TARGETS.repair_days)
    if moves[-1].status == S.ON_HOLD:
        assert repair.state == PAUSED and repair.due_at is None
    else:
        assert repair.state == RUNNING
        assert repair.due_at is not None
        left = target - (worked - CALENDAR.business_time_between(cursor, now))
        if left > timedelta(0):
            assert repair.due_at == CALENDAR.add_business_hours(cursor, left)
        else:  # breached before the last resumption: due when it breached
            assert repair.due_at == repair.breached_at and repair.due_at <= cursor
    if worked != target:  # exactly the target: in time or not by when the stage ended
        assert (repair.breached_at is not None) == (worked > target)
