"""Service levels (issue 9, item 5): the one place for a case's clocks — which stages have one,
their targets (each repair centre's, `RepairCentre.sla_*` and `label_business_days`), when a
clock runs, pauses and ends, and how the result is kept for the queues and the dashboard.

A clock is computed from the case's timeline (its moves, `CaseEvent`), never counted up by
hand, so it is right after any sequence of moves:

- a stage's clock **runs** while the case is in one of the stage's statuses, and while it is on
  hold from one of them for another reason (« other »);
- it **pauses** while the case is on hold from that stage waiting for parts or for the customer;
- it **ends** when the case moves to a status outside the stage (a later return to the stage
  carries on with the time already used);
- the workshop's clocks count **business time only**, in the centre's calendar
  (`core.business_time`: its time zone, hours, weekend, public holidays and closed days): a
  target of n business days is n working days' hours; the customer's clock (the quote's answer)
  counts calendar days, with a reminder after `sla_quote_reminder_days` and the quote's expiry
  after `sla_quote_expiry_days`.

`clocks_compute` is pure (moves, calendar, targets, now → clocks), tested on sequences.
`case_sla_refresh` runs in `lifecycle.case_transition`'s transaction (and at the submission,
and when the return label went out): it stores the clocks (`SlaClock`, the dashboard's
breaches per week) and the running clock's due time on the case (`sla_due_at`), which the
queues sort on and highlight by, with no query per case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.choices import Role
from aftersales.core.business_time import BusinessCalendar

from .choices import EventKind, HoldReason, RequestStatus
from .models import CaseEvent, RepairRequest, SlaClock

S = RequestStatus

LABEL, EVALUATION, QUOTE, REPAIR, SHIPPING = "label", "evaluation", "quote", "repair", "shipping"
RUNNING, PAUSED, ENDED = "running", "paused", "ended"
# On hold for these, the case waits for someone else than the workshop: its clock pauses.
PAUSING_HOLDS = frozenset({HoldReason.WAITING_FOR_PARTS, HoldReason.WAITING_FOR_CUSTOMER})


@dataclass(frozen=True)
class Stage:
    key: str
    label: Any
    statuses: frozenset[str]
    # The staff role (group) that answers for it: the overdue e-mail goes to its members.
    team: str
    # The customer's clock (calendar days; not the workshop's overdue work).
    customer: bool = False


STAGES: tuple[Stage, ...] = (
    # Guide: « … vous la recevrez dans un délai de deux jours ouvrables »; ends when the label,
    # or the news that there is none, went out.
    Stage(LABEL, _("Return label"), frozenset({S.SUBMITTED}), Role.RECEPTION),
    Stage(EVALUATION, _("Evaluation"), frozenset({S.RECEIVED, S.EVALUATING}), Role.TECHNICIAN),
    Stage(QUOTE, _("Quote answer"), frozenset({S.QUOTED}), Role.AGENT, customer=True),
    Stage(
        REPAIR,
        _("Repair"),
        frozenset({S.REPAIRING, S.REPLACING, S.QUALITY_CHECK}),
        Role.TECHNICIAN,
    ),
    Stage(SHIPPING, _("Shipping"), frozenset({S.READY_TO_SHIP}), Role.RECEPTION),
)
STAGES_BY_KEY = {stage.key: stage for stage in STAGES}
STAGE_OF_STATUS = {status: stage for stage in STAGES for status in stage.statuses}
# The statuses whose workshop clock may be overdue (the "overdue" queue and e-mail).
WORKSHOP_STATUSES: tuple[str, ...] = (
    *(status for stage in STAGES if not stage.customer for status in sorted(stage.statuses)),
    S.ON_HOLD,
)


@dataclass(frozen=True)
class Targets:
    """A centre's targets: business days per workshop stage, calendar days for the quote."""

    label_days: int = 2
    evaluation_days: int = 2
    repair_days: int = 5
    shipping_days: int = 1
    quote_reminder_days: int = 3
    quote_expiry_days: int = 30

    def days(self, stage: str) -> int:
        return {
            LABEL: self.label_days,
            EVALUATION: self.evaluation_days,
            QUOTE: self.quote_reminder_days,
            REPAIR: self.repair_days,
            SHIPPING: self.shipping_days,
        }[stage]


def targets_of(centre: Any) -> Targets:
    if centre is None:
        return Targets()
    return Targets(
        label_days=centre.label_business_days,
        evaluation_days=centre.sla_evaluation_business_days,
        repair_days=centre.sla_repair_business_days,
        shipping_days=centre.sla_shipping_business_days,
        quote_reminder_days=centre.sla_quote_reminder_days,
        quote_expiry_days=centre.sla_quote_expiry_days,
    )


def calendar_of(centre: Any) -> BusinessCalendar:
    if centre is None:
        return BusinessCalendar(time_zone=settings.TIME_ZONE)
    calendar: BusinessCalendar = centre.business_calendar()
    return calendar


def business_day_length(calendar: BusinessCalendar) -> timedelta:
    """The working hours of one business day (wall clock)."""
    opens = datetime.combine(date(2000, 1, 3), calendar.opens)
    closes = (
        datetime.combine(date(2000, 1, 4), time(0))
        if calendar.closes == time(0)
        else datetime.combine(date(2000, 1, 3), calendar.closes)
    )
    return closes - opens


@dataclass(frozen=True)
class Move:
    """A move of the timeline as the clocks read it."""

    at: datetime
    status: str
    hold_reason: str = ""


@dataclass(frozen=True)
class Clock:
    stage: Stage
    target: timedelta
    started_at: datetime
    used: timedelta
    state: str  # RUNNING, PAUSED or ENDED
    # Running: when it breaches (in the past when it has). None when paused or ended.
    due_at: datetime | None
    breached_at: datetime | None
    ended_at: datetime | None
    # The quote's clock: when the quote expires.
    expires_at: datetime | None = None

    @property
    def remaining(self) -> timedelta:
        return self.target - self.used

    @property
    def breached(self) -> bool:
        return self.breached_at is not None

    @property
    def label(self) -> Any:
        return self.stage.label


def _stage_and_mode(status: str, hold_reason: str, held_from: str) -> tuple[Stage | None, str]:
    if status == S.ON_HOLD:
        stage = STAGE_OF_STATUS.get(held_from)
        return stage, PAUSED if hold_reason in PAUSING_HOLDS else RUNNING
    return STAGE_OF_STATUS.get(status), RUNNING


def clocks_compute(
    moves: Sequence[Move],
    *,
    calendar: BusinessCalendar,
    targets: Targets,
    now: datetime,
    label_sent_at: datetime | None = None,
) -> list[Clock]:
    """The clocks of a case from its moves (in order, the first being its submission), at
    `now`. `label_sent_at`: when the return label (or the news that there is none) went out,
    which ends the label's clock."""
    day = business_day_length(calendar)
    # stage key -> its intervals: (start, end or None while it lasts, RUNNING or PAUSED)
    spans: dict[str, list[tuple[datetime, datetime | None, str]]] = {}
    held_from = ""  # the last status before a hold: the hold belongs to its stage
    for index, move in enumerate(moves):
        if move.status != S.ON_HOLD:
            held_from = move.status
        stage, mode = _stage_and_mode(move.status, move.hold_reason, held_from)
        if stage is None:
            continue
        start = move.at
        end = moves[index + 1].at if index + 1 < len(moves) else None
        if stage.key == LABEL and label_sent_at is not None:
            if label_sent_at <= start:
                continue
            end = label_sent_at if end is None else min(end, label_sent_at)
        if end is not None and end > now:
            end = None
        spans.setdefault(stage.key, []).append((start, end, mode))

    clocks: list[Clock] = []
    for stage in STAGES:
        if stage.key not in spans:
            continue
        intervals = spans[stage.key]
        if stage.customer:
            target = timedelta(days=targets.days(stage.key))

            def measure(a: datetime, b: datetime) -> timedelta:
                return b - a

            def advance(a: datetime, d: timedelta) -> datetime:
                return a + d
        else:
            target = day * targets.days(stage.key)

            def measure(a: datetime, b: datetime) -> timedelta:
                return calendar.business_time_between(a, b)

            def advance(a: datetime, d: timedelta) -> datetime:
                return calendar.add_business_hours(a, d)

        used = timedelta(0)
        breached_at: datetime | None = None
        for start, end, mode in intervals:
            if mode != RUNNING:
                continue
            span = measure(start, end if end is not None else now)
            # Breached when the stage is still going on after its due instant (over exactly
            # then is in time; over during the night after it is not).
            if breached_at is None and used + span >= target and target > timedelta(0):
                at = advance(start, target - used)
                if at < (end if end is not None else now):
                    breached_at = at
            elif breached_at is None and target == timedelta(0):
                breached_at = start
            used += span
        last_start, last_end, last_mode = intervals[-1]
        if last_end is not None:
            state, due_at, ended_at = ENDED, None, last_end
        elif last_mode == PAUSED:
            state, due_at, ended_at = PAUSED, None, None
        else:
            state, ended_at = RUNNING, None
            used_before = used - measure(last_start, now)
            due_at = breached_at or advance(last_start, max(target - used_before, timedelta(0)))
        started_at = intervals[0][0]
        expires_at = (
            started_at + timedelta(days=targets.quote_expiry_days) if stage.key == QUOTE else None
        )
        clocks.append(
            Clock(
                stage=stage,
                target=target,
                started_at=started_at,
                used=used,
                state=state,
                due_at=due_at,
                breached_at=breached_at,
                ended_at=ended_at,
                expires_at=expires_at,
            )
        )
    return clocks


def current_clock(clocks: Iterable[Clock]) -> Clock | None:
    """The clock running or paused now (at most one: a case is in one stage at a time)."""
    return next((clock for clock in clocks if clock.state != ENDED), None)


# --- From the database ------------------------------------------------------------------------


def moves_of(events: Iterable[CaseEvent], case: RepairRequest) -> list[Move]:
    """The moves of a case's timeline (events in order). An old hold recorded before the
    reason was kept on the event takes the case's current reason when it is the current hold."""
    moves = [
        Move(at=event.occurred_at, status=event.status, hold_reason=event.hold_reason)
        for event in events
        if event.kind == EventKind.STATUS
    ]
    if moves and moves[-1].status == S.ON_HOLD and not moves[-1].hold_reason:
        moves[-1] = Move(moves[-1].at, moves[-1].status, case.hold_reason)
    return moves


def case_clocks(
    case: RepairRequest, *, events: Iterable[CaseEvent] | None = None, now: datetime | None = None
) -> list[Clock]:
    """A case's clocks now (the staff case page passes the events it prefetched)."""
    if events is None:
        events = CaseEvent.objects.filter(request=case, kind=EventKind.STATUS).order_by(
            "occurred_at", "id"
        )
    centre = case.repair_centre
    return clocks_compute(
        moves_of(events, case),
        calendar=calendar_of(centre),
        targets=targets_of(centre),
        now=now or timezone.now(),
        label_sent_at=case.return_label_sent_at,
    )


# A clock as `SlaClock` keeps it (also written by the benchmark data, with COPY).
CLOCK_FIELDS = (
    "request",
    "centre",
    "stage",
    "started_at",
    "state",
    "due_at",
    "breached_at",
    "ended_at",
    "used_seconds",
    "target_seconds",
)


def clock_row(clock: Clock, case_id: int, centre_id: int | None) -> tuple[Any, ...]:
    """The values of `CLOCK_FIELDS` for a clock: a running one keeps its due time (its breach,
    if any, is when it falls due); an ended or paused one when it breached."""
    return (
        case_id,
        centre_id,
        clock.stage.key,
        clock.started_at,
        clock.state,
        clock.due_at,
        clock.breached_at if clock.state != RUNNING else None,
        clock.ended_at,
        round(clock.used.total_seconds()),
        round(clock.target.total_seconds()),
    )


def case_sla_refresh(
    *, case: RepairRequest, now: datetime | None = None, save: bool = True
) -> list[Clock]:
    """Derives the case's clocks from its timeline and keeps them: the `SlaClock` rows and the
    running clock's due time on the case (`sla_due_at`). Called inside the transaction that
    moved the case, with its row locked."""
    now = now or timezone.now()
    clocks = case_clocks(case, now=now)
    # In the caller's transaction (the move's, or sla_recompute's per case): no savepoint.
    SlaClock.objects.filter(request=case).delete()
    names = [f"{name}_id" if name in ("request", "centre") else name for name in CLOCK_FIELDS]
    centre = case.repair_centre_id
    SlaClock.objects.bulk_create(
        [
            SlaClock(**dict(zip(names, clock_row(clock, case.pk, centre), strict=True)))
            for clock in clocks
        ]
    )
    running = current_clock(clocks)
    due = running.due_at if running is not None else None
    # `save=False`: the caller writes it with the estimate (`lifecycle`, one write per move).
    if save and case.sla_due_at != due:
        RepairRequest.objects.filter(pk=case.pk).update(sla_due_at=due)
    case.sla_due_at = due
    return clocks


def clock_breached(clock: Clock, now: datetime) -> bool:
    return clock.breached_at is not None or (clock.due_at is not None and clock.due_at < now)


def sla_recompute(*, open_only: bool = True, batch: int = 500) -> int:
    """Derives the clocks of every case again from its timeline (after an import, a change of a
    centre's targets or calendar): each case in a transaction of its own, its row locked.
    Returns how many cases."""
    cases = RepairRequest.objects.exclude(status=S.DRAFT)
    if open_only:
        cases = cases.exclude(status__in=(S.CLOSED, S.CANCELLED))
    done = 0
    for pk in cases.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=batch):
        with transaction.atomic():
            case = (
                RepairRequest.objects.select_for_update(of=("self",))
                .select_related("repair_centre")
                .get(pk=pk)
            )
            case_sla_refresh(case=case)
        done += 1
    return done
