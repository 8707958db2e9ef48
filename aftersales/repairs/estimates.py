"""The estimated return date the customer reads (issue 9, item 5): not a promise, a forecast
from what the repair centre has really done lately and from its queue now.

- **Measured**: each night (`repairs.tasks.NIGHTLY_SLA`), `stage_durations_measure` reads the
  stages that ended in the last `WINDOW_DAYS` days (a status entered, until the case's next move)
  and keeps per centre and status the median duration and how many end per day
  (`StageDuration`).
- **Estimated** at each move (`estimate_record`, from `lifecycle.case_transition` and the
  submission): the statuses the case still has to go through (`path_ahead`: no quote under the
  warranty or for Express, a replacement for Express), the current one's median less the time
  already spent in it — or longer when the cases ahead of it in the centre's queue need more at
  the measured pace — plus the medians of the others, up to the move that closes the case. A
  status measured on too few cases takes a prudent default (`FALLBACK_DAYS`).
- **Kept** per event (`ReturnEstimate`: the e-mail of that move says it; the case page reads
  the latest, `RepairRequest.estimated_return_on`), and compared with the day the case really
  closed (`error_days`), which the dashboard shows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import Lead
from django.utils import timezone

from .choices import EventKind, RequestStatus
from .models import CaseEvent, RepairRequest, ReturnEstimate, StageDuration

S = RequestStatus

WINDOW_DAYS = 60
MIN_SAMPLES = 5
# A case's usual way, from the parcel sent to the case closed on its delivery.
PATH: tuple[str, ...] = (
    S.SUBMITTED,
    S.RECEIVED,
    S.EVALUATING,
    S.QUOTED,
    S.AWAITING_PAYMENT,
    S.REPAIRING,
    S.QUALITY_CHECK,
    S.READY_TO_SHIP,
    S.SHIPPED,
)
# Days per status when too few cases were measured (a new centre): prudent figures.
FALLBACK_DAYS: dict[str, float] = {
    S.SUBMITTED: 5,
    S.RECEIVED: 1,
    S.EVALUATING: 2,
    S.QUOTED: 3,
    S.AWAITING_PAYMENT: 2,
    S.REPAIRING: 5,
    S.REPLACING: 5,
    S.RETURNING_UNREPAIRED: 3,
    S.QUALITY_CHECK: 1,
    S.READY_TO_SHIP: 1,
    S.SHIPPED: 3,
    S.ON_HOLD: 5,
}
# The workshop's own queues: the cases ahead of this one are worked through first.
QUEUED: frozenset[str] = frozenset(
    {S.RECEIVED, S.EVALUATING, S.REPAIRING, S.REPLACING, S.QUALITY_CHECK, S.READY_TO_SHIP}
)


@dataclass(frozen=True)
class Measure:
    median: timedelta
    per_day: float = 0.0


def fallback(status: str) -> Measure:
    return Measure(timedelta(days=FALLBACK_DAYS.get(status, 1)))


def path_ahead(
    status: str, *, held_from: str = "", express: bool = False, warranty: bool = False
) -> list[str]:
    """The statuses a case in `status` still goes through before it closes, `status` first."""
    if status == S.ON_HOLD:
        return [S.ON_HOLD, *path_ahead(held_from, express=express, warranty=warranty)]
    if status == S.RETURNING_UNREPAIRED:
        return [S.RETURNING_UNREPAIRED, S.READY_TO_SHIP, S.SHIPPED]
    path = list(PATH)
    if express or warranty:
        # FAQ 8: no quote under the warranty; FAQ 3: Express replaces without one.
        path.remove(S.QUOTED)
        path.remove(S.AWAITING_PAYMENT)
    if express or status == S.REPLACING:
        path[path.index(S.REPAIRING)] = S.REPLACING
    return path[path.index(status) :] if status in path else []


def estimate_compute(
    *,
    path: list[str],
    entered_at: datetime,
    now: datetime,
    measures: dict[str, Measure],
    ahead: int,
    zone: ZoneInfo,
) -> date | None:
    """The estimated return day (in `zone`): what is left of the current status (its median
    less the time spent in it, or the queue ahead at the measured pace if longer), and the
    medians of the statuses after it. Pure."""
    if not path:
        return None

    def measure(status: str) -> Measure:
        return measures.get(status) or fallback(status)

    current = measure(path[0])
    left = max(current.median - (now - entered_at), timedelta(0))
    if ahead and current.per_day > 0:
        left = max(left, timedelta(days=ahead / current.per_day))
    total = left + sum((measure(status).median for status in path[1:]), timedelta(0))
    return (now + total).astimezone(zone).date()


# The measures change once a day (`stage_durations_measure`, which forgets these): read once
# per centre and kept, not at every move.
_MEASURES_KEY = "repairs:stage-durations:{}"
_MEASURES_SECONDS = 3600


def measures_forget(centre_ids: Any) -> None:
    """The centres' measures were written again: read them anew."""
    cache.delete_many([_MEASURES_KEY.format(centre) for centre in {*centre_ids, None}])


def measures_of(centre_id: int | None) -> dict[str, Measure]:
    def read() -> list[tuple[str, float, float]]:
        return [
            (row.status, row.median_seconds, row.ended_per_day)
            for row in StageDuration.objects.filter(centre_id=centre_id, samples__gte=MIN_SAMPLES)
        ]

    rows = cache.get_or_set(_MEASURES_KEY.format(centre_id), read, _MEASURES_SECONDS) or []
    return {
        status: Measure(timedelta(seconds=seconds), per_day) for status, seconds, per_day in rows
    }


def _zone(case: RepairRequest) -> ZoneInfo:
    centre = case.repair_centre
    return ZoneInfo(centre.time_zone if centre is not None else settings.TIME_ZONE)


def case_estimate(case: RepairRequest, now: datetime | None = None) -> date | None:
    """The case's estimated return date now (a few queries: the measures, the queue ahead)."""
    now = now or timezone.now()
    if case.status in (S.DRAFT, S.CLOSED, S.CANCELLED):
        return None
    path = path_ahead(
        case.status,
        held_from=case.held_from_status,
        express=case.express_requested,
        warranty=(case.coverage or {}).get("outcome") == "warranty",
    )
    entered_at = case.status_changed_at or case.submitted_at or now
    measures = measures_of(case.repair_centre_id)
    ahead = 0
    pace = measures.get(case.status)
    # The queue ahead counts only at a measured pace (`estimate_compute`): without one, the
    # count (every case of the status at the centre, thousands in a busy one) is not asked.
    if case.status in QUEUED and pace is not None and pace.per_day > 0:
        ahead = RepairRequest.objects.filter(
            status=case.status,
            repair_centre_id=case.repair_centre_id,
            status_changed_at__lt=entered_at,
        ).count()
    return estimate_compute(
        path=path,
        entered_at=entered_at,
        now=now,
        measures=measures,
        ahead=ahead,
        zone=_zone(case),
    )


def estimate_record(
    *, case: RepairRequest, event: CaseEvent | None, now: datetime | None = None
) -> date | None:
    """Estimates again at a move and keeps it with the move's event (its e-mail says it) and on
    the case (its page); a closing move measures the earlier estimates' error instead. In the
    move's transaction."""
    now = now or timezone.now()
    if case.status == S.CLOSED:
        closed_on = now.astimezone(_zone(case)).date()
        estimates = list(ReturnEstimate.objects.filter(request=case, closed_on__isnull=True))
        for estimate in estimates:
            estimate.closed_on = closed_on
            estimate.error_days = (estimate.estimated_on - closed_on).days
        ReturnEstimate.objects.bulk_update(estimates, ["closed_on", "error_days"])
    estimated = case_estimate(case, now)
    if estimated is not None:
        ReturnEstimate.objects.create(
            request=case,
            event=event,
            centre_id=case.repair_centre_id,
            made_at=now,
            estimated_on=estimated,
        )
    case.estimated_return_on = estimated
    return estimated


def stage_durations_measure(now: datetime | None = None) -> int:
    """Measures each centre's stages that ended in the last `WINDOW_DAYS` days (their median
    and how many end per day) and replaces the `StageDuration` rows; returns how many. Run
    again, it writes the same."""
    now = now or timezone.now()
    since = now - timedelta(days=WINDOW_DAYS)
    moved = CaseEvent.objects.filter(kind=EventKind.STATUS, occurred_at__gte=since).values(
        "request_id"
    )
    stages = (
        CaseEvent.objects.filter(kind=EventKind.STATUS, request_id__in=moved)
        .annotate(
            next_at=Window(
                Lead("occurred_at"),
                partition_by=[F("request_id")],
                order_by=[F("occurred_at").asc(), F("id").asc()],
            )
        )
        .filter(next_at__gte=since, next_at__lte=now)
        .values_list("request__repair_centre", "status", "occurred_at", "next_at")
        .order_by()
    )
    durations: dict[tuple[int | None, str], list[float]] = defaultdict(list)
    for centre, status, started, ended in stages.iterator(chunk_size=5000):
        seconds = (ended - started).total_seconds()
        durations[(centre, status)].append(seconds)
    rows: list[Any] = [
        StageDuration(
            centre_id=centre,
            status=status,
            median_seconds=round(statistics.median(values)),
            ended_per_day=len(values) / WINDOW_DAYS,
            samples=len(values),
            measured_at=now,
        )
        for (centre, status), values in durations.items()
    ]
    with transaction.atomic():
        centres = set(StageDuration.objects.values_list("centre_id", flat=True))
        StageDuration.objects.all().delete()
        StageDuration.objects.bulk_create(rows)
        centres |= {row.centre_id for row in rows}
    transaction.on_commit(lambda: measures_forget(centres))
    return len(rows)
