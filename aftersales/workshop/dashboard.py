"""The workshop dashboard's figures (issue 9, item 6): what the centre's managers look at, counted
by the database — one aggregate query per figure, whatever the number of cases — and cached a
short while per filters (`settings.WORKSHOP_DASHBOARD_CACHE_SECONDS`).

The period is a range of days in the site's time zone, both ends included. Two ways of counting:

- **what happened in the period** (moves of the timeline, `CaseEvent`): cases opened (submitted)
  and closed per day, cases per week by the status they reached, and how long the stages ended in
  the period lasted (from the status event that entered a stage to the next one, a window
  function over each case's moves);
- **the cases submitted in the period** (a cohort): the top problems the customers declared and
  the components the technicians found damaged, per model, and how the cases were paid for.

How a case was paid for, from the evaluated coverage and the quote's answer: a warranty repair
(the evaluated decision is the warranty, the move "evaluating → repairing" that only it allows,
FAQ 8), the plan (Express, "evaluating → replacing", FAQ 3; or a quote answered with a plan
replacement, FAQ 10), a paid repair (a quote answered "repair"), refused (a quote answered
"refuse": the evaluation fee, guide). The current (not superseded) quote's answer counts.

SLA breaches per week come from the SLA clocks (issue 9, item 5), computed from the same
timeline: `sla_breaches_per_week` is where they will be counted; until then it has none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Window,
)
from django.db.models.functions import Cast, Lead, TruncDate, TruncWeek
from django.utils import timezone

from aftersales.catalog.models import RepairCentre
from aftersales.repairs.choices import EventKind, Problem, QuoteOption, RequestStatus
from aftersales.repairs.models import CaseEvent, Evaluation, QuoteAnswer, RepairRequest

S = RequestStatus

DEFAULT_DAYS = 90
# A longer period would ask the database for too much at once.
MAX_DAYS = 366
TOP = 5  # problems and components shown per model
TOP_MODELS = 4  # models shown (the ones with the most cases)

# The stages whose duration is measured: each status a case waits in, until its next move.
STAGES: tuple[str, ...] = (
    S.SUBMITTED,
    S.RECEIVED,
    S.EVALUATING,
    S.QUOTED,
    S.AWAITING_PAYMENT,
    S.REPAIRING,
    S.REPLACING,
    S.RETURNING_UNREPAIRED,
    S.QUALITY_CHECK,
    S.READY_TO_SHIP,
    S.SHIPPED,
    S.ON_HOLD,
)
# The distribution's buckets: (upper bound, key); the last has none.
BUCKETS: tuple[tuple[timedelta | None, str], ...] = (
    (timedelta(days=1), "lt1"),
    (timedelta(days=2), "1to2"),
    (timedelta(days=5), "2to5"),
    (timedelta(days=10), "5to10"),
    (None, "ge10"),
)
# The statuses "reached" counted per week: the milestones of a case's life.
MILESTONES: tuple[str, ...] = (
    S.RECEIVED,
    S.QUOTED,
    S.REPAIRING,
    S.REPLACING,
    S.SHIPPED,
    S.CLOSED,
    S.CANCELLED,
)
# How cases were paid for (module docstring).
WARRANTY, PLAN, PAID, REFUSED = "warranty", "plan", "paid", "refused"
SHARES: tuple[str, ...] = (WARRANTY, PLAN, PAID, REFUSED)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # included
    centre: RepairCentre | None = None

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def key(self) -> str:
        centre = self.centre.pk if self.centre else "all"
        return f"{centre}:{self.start.isoformat()}:{self.end.isoformat()}"


def default_filters() -> Filters:
    end = timezone.localdate()
    return Filters(start=end - timedelta(days=DEFAULT_DAYS - 1), end=end)


@dataclass
class Figures:
    """Everything the dashboard shows, as plain values (cached, plotted, exported)."""

    filters_key: str
    days: list[date]
    opened: list[int]  # per day of `days`
    closed: list[int]
    weeks: list[date]  # Mondays
    reached: dict[str, list[int]]  # milestone -> per week of `weeks`
    sla_breaches: list[int] | None  # per week; None until the SLA clocks exist
    # stage -> {"count", "mean_hours", bucket key -> count}
    stages: dict[str, dict[str, float]]
    # model name -> [(problem value, count)], the most first
    problems: dict[str, list[tuple[str, int]]]
    # model name -> [(component id, count)]
    components: dict[str, list[tuple[int, int]]]
    component_names: dict[int, tuple[str, str]]  # id -> (English, French)
    shares: dict[str, int]  # WARRANTY… -> cases
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def opened_total(self) -> int:
        return sum(self.opened)

    @property
    def closed_total(self) -> int:
        return sum(self.closed)


def _events_in(filters: Filters) -> QuerySet[CaseEvent]:
    events = CaseEvent.objects.filter(
        kind=EventKind.STATUS, occurred_at__gte=filters.since, occurred_at__lt=filters.until
    )
    if filters.centre is not None:
        events = events.filter(request__repair_centre=filters.centre)
    return events


def _cohort_q(filters: Filters, prefix: str = "") -> Q:
    """The cases submitted in the period (and at the centre)."""
    q = Q(
        **{f"{prefix}submitted_at__gte": filters.since, f"{prefix}submitted_at__lt": filters.until}
    )
    if filters.centre is not None:
        q &= Q(**{f"{prefix}repair_centre": filters.centre})
    return q


def _local_day() -> TruncDate:
    return TruncDate("occurred_at", tzinfo=timezone.get_current_timezone())


def opened_per_day(filters: Filters) -> dict[date, int]:
    rows = (
        RepairRequest.objects.filter(_cohort_q(filters))
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return dict(rows)


def closed_per_day(filters: Filters) -> dict[date, int]:
    rows = (
        _events_in(filters)
        .filter(status=S.CLOSED)
        .annotate(day=_local_day())
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return dict(rows)


def reached_per_week(filters: Filters) -> dict[tuple[date, str], int]:
    """Cases that reached each milestone, per week (Monday) of the move."""
    rows = (
        _events_in(filters)
        .filter(status__in=MILESTONES)
        .annotate(week=TruncWeek("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("week", "status")
        .annotate(n=Count("request_id", distinct=True))
        .values_list("week", "status", "n")
    )
    return {(_as_date(week), status): n for week, status, n in rows}


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def sla_breaches_per_week(filters: Filters) -> list[int] | None:
    """Issue 9, item 5: the SLA clocks, computed from the timeline, will count here the cases
    whose clock breached its target in each week. None until they exist (the page says so)."""
    return None


def stage_durations(filters: Filters) -> dict[str, dict[str, float]]:
    """How long each stage lasted, for the stages that ended in the period: from the status
    event that entered it to the case's next status event (LEAD over each case's moves, in the
    database). Per stage: how many, the mean in hours, and how many in each bucket."""
    # The moves of the cases that moved in the period; the stages that ended in it are those
    # whose next move is in it. A stage that began long before is still measured whole.
    moved = _events_in(filters).values("request_id")
    events = CaseEvent.objects.filter(kind=EventKind.STATUS, request_id__in=moved).annotate(
        next_at=Window(
            Lead("occurred_at"),
            partition_by=[F("request_id")],
            order_by=[F("occurred_at").asc(), F("id").asc()],
        ),
    )
    events = events.annotate(
        lasted=ExpressionWrapper(F("next_at") - F("occurred_at"), output_field=DurationField())
    )
    ended = Q(next_at__gte=filters.since, next_at__lt=filters.until)
    aggregates: dict[str, Any] = {}
    for stage in STAGES:
        in_stage = ended & Q(status=stage)
        aggregates[f"{stage}__count"] = Count("id", filter=in_stage)
        aggregates[f"{stage}__mean"] = Avg("lasted", filter=in_stage)
        lower: timedelta | None = None
        for upper, key in BUCKETS:
            bucket = in_stage
            if lower is not None:
                bucket &= Q(lasted__gte=lower)
            if upper is not None:
                bucket &= Q(lasted__lt=upper)
            aggregates[f"{stage}__{key}"] = Count("id", filter=bucket)
            lower = upper
    values = events.aggregate(**aggregates)
    result: dict[str, dict[str, float]] = {}
    for stage in STAGES:
        mean = values[f"{stage}__mean"]
        result[stage] = {
            "count": values[f"{stage}__count"] or 0,
            "mean_hours": _hours(mean),
            **{key: values[f"{stage}__{key}"] or 0 for _upper, key in BUCKETS},
        }
    return result


def _hours(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 3600, 1)
    return round(float(value) / 3_600_000_000, 1)  # microseconds (SQLite)


def top_problems(filters: Filters) -> dict[int, dict[str, Any]]:
    """Per model: how many cases submitted in the period declared each problem (guide, steps
    5–6). The problems are a JSON list on the case: each is counted in its text (portable
    across PostgreSQL and SQLite), in one pass."""
    counts = (
        RepairRequest.objects.filter(_cohort_q(filters), product_model__isnull=False)
        .annotate(problems_text=Cast("problems", TextField()))
        .values("product_model", "product_model__name")
        .annotate(
            cases=Count("id"),
            **{
                f"p_{problem.value}": Count(
                    "id", filter=Q(problems_text__contains=f'"{problem.value}"')
                )
                for problem in Problem
            },
        )
    )
    result: dict[int, dict[str, Any]] = {}
    for row in counts:
        values: dict[str, Any] = dict(row)
        result[values["product_model"]] = {
            "__cases": values["cases"],
            "__name": values["product_model__name"],
            **{problem.value: values[f"p_{problem.value}"] for problem in Problem},
        }
    return result


def top_components(filters: Filters) -> dict[tuple[int, int], tuple[int, str, str, str]]:
    """Per model and component: the cases submitted in the period whose latest evaluation found
    that component damaged."""
    through: Any = Evaluation.damaged_components.through
    outer = OuterRef("evaluation_id")
    later = Evaluation.objects.filter(request_id=OuterRef("evaluation__request_id")).filter(
        Q(evaluated_at__gt=OuterRef("evaluation__evaluated_at"))
        | Q(evaluated_at=OuterRef("evaluation__evaluated_at"), id__gt=outer)
    )
    rows: Any = (
        through.objects.filter(_cohort_q(filters, "evaluation__request__"))
        .filter(~Exists(later))
        .values(
            "evaluation__request__product_model",
            "evaluation__request__product_model__name",
            "component",
            "component__name_en",
            "component__name_fr",
        )
        .annotate(n=Count("evaluation__request_id", distinct=True))
        .values_list(
            "evaluation__request__product_model",
            "component",
            "n",
            "evaluation__request__product_model__name",
            "component__name_en",
            "component__name_fr",
        )
    )
    # (model, component) -> (cases, the model's name, the component's names)
    return {
        (model, component): (n, model_name, name_en, name_fr)
        for model, component, n, model_name, name_en, name_fr in rows
        if model is not None
    }


def shares(filters: Filters) -> dict[str, int]:
    """How the cases submitted in the period were paid for (module docstring): two queries."""
    moves = (
        CaseEvent.objects.filter(
            _cohort_q(filters, "request__"),
            kind=EventKind.STATUS,
            from_status=S.EVALUATING,
            status__in=[S.REPAIRING, S.REPLACING],
        )
        .values("status")
        .annotate(n=Count("request_id", distinct=True))
        .values_list("status", "n")
    )
    answers = (
        QuoteAnswer.objects.filter(
            _cohort_q(filters, "quote__request__"), quote__superseded_at__isnull=True
        )
        .values("option")
        .annotate(n=Count("quote__request_id", distinct=True))
        .values_list("option", "n")
    )
    by_move = dict(moves)
    by_answer = dict(answers)
    return {
        # FAQ 8: a defect under the warranty is repaired without a quote.
        WARRANTY: by_move.get(S.REPAIRING, 0),
        # FAQ 3: Express goes to its replacement without a quote; FAQ 10: or the quote's answer.
        PLAN: by_move.get(S.REPLACING, 0) + by_answer.get(QuoteOption.PLAN_REPLACEMENT, 0),
        PAID: by_answer.get(QuoteOption.REPAIR, 0),
        REFUSED: by_answer.get(QuoteOption.REFUSE, 0),
    }


def cache_seconds() -> int:
    return int(settings.WORKSHOP_DASHBOARD_CACHE_SECONDS)


def figures_of(filters: Filters) -> Figures:
    """The dashboard's figures for `filters`: from the cache when computed in the last
    `DASHBOARD_CACHE_SECONDS`, else computed (a fixed number of queries) and cached."""
    key = f"workshop.dashboard.figures:v1:{filters.key}"
    found = cache.get(key)
    if isinstance(found, Figures):
        return found
    figures = figures_compute(filters)
    if cache_seconds() > 0:
        cache.set(key, figures, cache_seconds())
    return figures


def figures_compute(filters: Filters) -> Figures:
    days = filters.days
    opened, closed = opened_per_day(filters), closed_per_day(filters)
    first_monday = filters.start - timedelta(days=filters.start.weekday())
    weeks = [
        first_monday + timedelta(weeks=n) for n in range((filters.end - first_monday).days // 7 + 1)
    ]
    per_week = reached_per_week(filters)
    problems = top_problems(filters)
    components = top_components(filters)
    # The models with the most cases (their names and the components' came with the counts).
    cases_per_model = {model: counts["__cases"] for model, counts in problems.items()}
    names = {model: counts["__name"] for model, counts in problems.items()}
    component_names: dict[int, tuple[str, str]] = {}
    for (model, component), (n, model_name, name_en, name_fr) in components.items():
        cases_per_model.setdefault(model, n)
        names.setdefault(model, model_name)
        component_names[component] = (name_en, name_fr)
    top_models = sorted(cases_per_model, key=lambda m: (-cases_per_model[m], m))[:TOP_MODELS]
    model_problems: dict[str, list[tuple[str, int]]] = {}
    model_components: dict[str, list[tuple[int, int]]] = {}
    by_model: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (model, component), (n, *_names) in components.items():
        by_model[model].append((component, n))
    for model in top_models:
        name = names.get(model, str(model))
        counts = problems.get(model, {})
        ranked = sorted(
            ((p.value, counts.get(p.value, 0)) for p in Problem), key=lambda item: -item[1]
        )
        model_problems[name] = [(p, n) for p, n in ranked if n][:TOP]
        model_components[name] = sorted(by_model[model], key=lambda item: (-item[1], item[0]))[:TOP]
    return Figures(
        filters_key=filters.key,
        days=days,
        opened=[opened.get(day, 0) for day in days],
        closed=[closed.get(day, 0) for day in days],
        weeks=weeks,
        reached={
            status: [per_week.get((week, status), 0) for week in weeks] for status in MILESTONES
        },
        sla_breaches=sla_breaches_per_week(filters),
        stages=stage_durations(filters),
        problems=model_problems,
        components=model_components,
        component_names=component_names,
        shares=shares(filters),
    )
