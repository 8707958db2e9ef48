"""The workshop dashboard's figures (issue 9, item 6): what the centre's managers look at.

Everything is counted **per day and per repair centre, by the day it happened** (in the site's
time zone): cases opened (submitted), moves into each status (closed, and the milestones reached
per week), the stages that ended that day with how long they lasted (from the move into a stage
to the case's next move: a window function over each case's moves), the problems declared in the
cases submitted that day per model, the components found damaged in the evaluations of that day
per model, and the decisions of that day on who pays.

A day that is over never changes (the timeline is appended, never edited), so its counts are
written once to `DailyFigure` (`figures_count_days`: by the nightly task, `manage.py
dashboard_count`, or the first request that needs a day not counted yet), and a period's
figures are sums over those rows; today is counted on each request. Each count is one aggregate
query (a few for a range of days), never a loop over cases; the page's figures are cached
`settings.WORKSHOP_DASHBOARD_CACHE_SECONDS` per filters.

Who pays, from the evaluated coverage and the quote's answer: the warranty (the move "evaluating
→ repairing" that only a decision of the warranty allows, FAQ 8), the plan (Express, "evaluating
→ replacing", FAQ 3; or a quote answered with a plan replacement, FAQ 10), a paid repair (a quote
answered "repair"), refused (a quote answered "refuse": the evaluation fee, guide).

Other apps add sections of their own (`Section`, `section_register`, called from their
`AppConfig.ready()`: the support app's tickets, issue 10, item 5) without the workshop importing
them: each section's values are computed with the figures, for the same filters, and cached with
them; its template is included in the page's cached part and its rows join the CSV.

SLA breaches per week come from the service level clocks (issue 9, item 5, `repairs.sla`), kept
at each move (`SlaClock`), and the estimated return dates' error from the estimates kept with each
move (`ReturnEstimate`): each one query over its index, counted live (a running clock breaches
without any move), within the page's cache.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Lead, TruncDate
from django.utils import timezone

from aftersales.catalog.models import Component, ProductModel, RepairCentre
from aftersales.repairs import sla
from aftersales.repairs.choices import EventKind, Problem, QuoteOption, RequestStatus
from aftersales.repairs.models import (
    CaseEvent,
    Evaluation,
    QuoteAnswer,
    RepairRequest,
    ReturnEstimate,
    SlaClock,
)

from .models import CountedDay, DailyFigure

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
    def key(self) -> str:
        centre = self.centre.pk if self.centre else "all"
        return f"{centre}:{self.start.isoformat()}:{self.end.isoformat()}"

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """The period's first moment and the first moment after it, in the site's zone."""
        return _bounds(self.start, self.end)


def default_filters() -> Filters:
    end = site_today()
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
    sla_breaches: list[int]  # per week of `weeks`: the workshop clocks that breached
    sla_breaches_by_stage: dict[str, list[int]]  # stage -> per week
    # The estimated return dates against the real close: count, mean/median abs. error (days).
    estimate_error: dict[str, float]
    # stage -> {"count", "mean_hours", bucket key -> count}
    stages: dict[str, dict[str, float]]
    # model name -> [(problem value, count)], the most first
    problems: dict[str, list[tuple[str, int]]]
    # model name -> [(component id, count)]
    components: dict[str, list[tuple[int, int]]]
    component_names: dict[int, tuple[str, str]]  # id -> (English, French)
    shares: dict[str, int]  # WARRANTY… -> cases
    computed_at: datetime = field(default_factory=timezone.now)
    # The registered sections' values (plain values, cached with the rest): key -> values.
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A plot's figures (`figures_of(light=True)`): no sections, and the SLA clocks and the
    # estimates' error not counted (empty): the plots that draw those take the whole figures.
    light: bool = False

    @property
    def opened_total(self) -> int:
        return sum(self.opened)

    @property
    def closed_total(self) -> int:
        return sum(self.closed)


# --- Sections other apps add (dependency inversion: the workshop imports none of them) --------


@dataclass(frozen=True)
class Section:
    """A part of the dashboard that an app above the workshop adds, registered from its
    `AppConfig.ready()`. `values(filters)` computes plain values (cached with the figures, so
    picklable; a couple of queries at most); `template` shows them (included in the page's
    cached part with `section` = the values, in the active language); `csv_rows(values)`, if
    any, gives the CSV's rows (figure, date or group, series, value) in the active language."""

    key: str
    template: str
    values: Callable[[Filters], dict[str, Any]]
    csv_rows: Callable[[dict[str, Any]], list[list[str]]] | None = None


_SECTIONS: dict[str, Section] = {}


def section_register(section: Section) -> None:
    """Adds (or replaces, by its key) a section of the dashboard, shown after the workshop's
    own, in the order registered."""
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def sections_compute(filters: Filters) -> dict[str, dict[str, Any]]:
    return {section.key: section.values(filters) for section in _SECTIONS.values()}


def _site_zone() -> Any:
    return timezone.get_default_timezone()


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The first moment of `first` and the first moment after `last`, in the site's zone."""
    zone = _site_zone()
    since = timezone.make_aware(datetime.combine(first, time.min), zone)
    until = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), zone)
    return since, until


def _day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=_site_zone())


def _day_of(expression: Any) -> TruncDate:
    return TruncDate(expression, tzinfo=_site_zone())


def site_today() -> date:
    return timezone.localdate(timezone=_site_zone())


# What a DailyFigure counts.
OPENED, REACHED, STAGE, PROBLEM, COMPONENT, SHARE = (
    "opened",
    "reached",
    "stage",
    "problem",
    "component",
    "share",
)


@dataclass(frozen=True, slots=True)
class Count_:
    """One count (a DailyFigure's values, with the names the page shows)."""

    day: date | None
    centre: int | None
    figure: str
    series: str = ""
    bucket: str = ""
    model: int | None = None
    component: int | None = None
    count: int = 0
    seconds: int = 0
    model_name: str = ""
    component_en: str = ""
    component_fr: str = ""


def _seconds(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, timedelta):
        return round(value.total_seconds())
    return round(float(value) / 1_000_000)  # microseconds (SQLite)


def count_days(first: date, last: date, centre: int | None = None) -> list[Count_]:
    """The counts of the days `first` to `last` (all centres, or one): a query per figure for
    the whole range, and one per day for the stages' durations."""
    since, until = _bounds(first, last)
    counts: list[Count_] = []

    def at_centre(queryset: QuerySet[Any], path: str) -> QuerySet[Any]:
        return queryset if centre is None else queryset.filter(**{path: centre})

    # Opened: the cases submitted that day; with the problems they declared, per model (guide,
    # steps 5–6). The problems are a JSON list: each is found in its text (PostgreSQL and
    # SQLite alike), all in one pass.
    submitted = (
        at_centre(RepairRequest.objects.all(), "repair_centre")
        .filter(submitted_at__gte=since, submitted_at__lt=until)
        .annotate(day=_day("submitted_at"), problems_text=Cast("problems", TextField()))
        .values("day", "repair_centre", "product_model", "product_model__name")
        .annotate(
            n=Count("id"),
            **{
                f"p_{p.value}": Count("id", filter=Q(problems_text__contains=f'"{p.value}"'))
                for p in Problem
            },
        )
    )
    for row in submitted:
        values: dict[str, Any] = dict(row)
        day, where, model = values["day"], values["repair_centre"], values["product_model"]
        counts.append(Count_(day, where, OPENED, count=values["n"]))
        if model is None:
            continue
        name = values["product_model__name"]
        # The cases per model (series ""): which models have the most cases.
        counts.append(Count_(day, where, PROBLEM, model=model, count=values["n"], model_name=name))
        for p in Problem:
            if values[f"p_{p.value}"]:
                counts.append(
                    Count_(
                        day,
                        where,
                        PROBLEM,
                        series=p.value,
                        model=model,
                        count=values[f"p_{p.value}"],
                        model_name=name,
                    )
                )

    # Moves into the milestones (closed among them), and the decisions without a quote.
    moves = (
        at_centre(CaseEvent.objects.all(), "request__repair_centre")
        .filter(kind=EventKind.STATUS, occurred_at__gte=since, occurred_at__lt=until)
        .filter(status__in=MILESTONES)  # repairing and replacing among them
        .annotate(day=_day("occurred_at"))
        .values("day", "request__repair_centre", "status")
        .annotate(
            n=Count("id"),
            # Express (seed 001) is paid before it is replaced, with no quote to answer.
            decided=Count(
                "id",
                filter=Q(from_status=S.EVALUATING)
                | Q(from_status=S.AWAITING_PAYMENT, request__express_requested=True),
            ),
        )
        .values_list("day", "request__repair_centre", "status", "n", "decided")
    )
    for day, where, status, n, decided in moves:
        counts.append(Count_(day, where, REACHED, series=status, count=n))
        if decided and status in (S.REPAIRING, S.REPLACING):
            # FAQ 8: the warranty repairs without a quote; FAQ 3: Express replaces without one.
            share = WARRANTY if status == S.REPAIRING else PLAN
            counts.append(Count_(day, where, SHARE, series=share, count=decided))

    # The quotes answered that day (FAQ 10; guide: the evaluation fee when refused).
    answered = (
        at_centre(QuoteAnswer.objects.all(), "quote__request__repair_centre")
        .filter(answered_at__gte=since, answered_at__lt=until)
        .annotate(day=_day("answered_at"))
        .values("day", "quote__request__repair_centre", "option")
        .annotate(n=Count("id"))
        .values_list("day", "quote__request__repair_centre", "option", "n")
    )
    share_of = {
        QuoteOption.PLAN_REPLACEMENT: PLAN,
        QuoteOption.REPAIR: PAID,
        QuoteOption.REFUSE: REFUSED,
    }
    for day, where, option, n in answered:
        counts.append(Count_(day, where, SHARE, series=share_of[option], count=n))

    # The components found damaged in the evaluations of that day, per model.
    through: Any = Evaluation.damaged_components.through
    found = (
        at_centre(through.objects.all(), "evaluation__request__repair_centre")
        .filter(evaluation__evaluated_at__gte=since, evaluation__evaluated_at__lt=until)
        .annotate(day=_day("evaluation__evaluated_at"))
        .values(
            "day",
            "evaluation__request__repair_centre",
            "evaluation__request__product_model",
            "evaluation__request__product_model__name",
            "component",
            "component__name_en",
            "component__name_fr",
        )
        .annotate(n=Count("id"))
    )
    for row in found:
        values = dict(row)
        if values["evaluation__request__product_model"] is None:
            continue
        counts.append(
            Count_(
                values["day"],
                values["evaluation__request__repair_centre"],
                COMPONENT,
                model=values["evaluation__request__product_model"],
                component=values["component"],
                count=values["n"],
                model_name=values["evaluation__request__product_model__name"],
                component_en=values["component__name_en"],
                component_fr=values["component__name_fr"],
            )
        )

    counts += _stages_ended(first, last, centre)
    return counts


def _stages_ended(first: date, last: date, centre: int | None) -> list[Count_]:
    """The stages that ended from `first` to `last` (a case's next move was then), per day and
    centre: how many, how long in all, how many in each bucket. LEAD over each case's moves (the
    cases that moved in the range) says when each stage ended; the grouping around it is one
    query too. Django cannot group by a window's result, so the query it builds for the window
    is wrapped in SQL of our own (the day in the site's zone and the duration in seconds are
    each database's own functions)."""
    since, until = _bounds(first, last)
    moved = CaseEvent.objects.filter(
        kind=EventKind.STATUS, occurred_at__gte=since, occurred_at__lt=until
    )
    if centre is not None:
        moved = moved.filter(request__repair_centre=centre)
    inner = (
        CaseEvent.objects.filter(
            kind=EventKind.STATUS, request_id__in=moved.values("request_id").distinct()
        )
        .annotate(
            centre=F("request__repair_centre"),
            next_at=Window(
                Lead("occurred_at"),
                partition_by=[F("request_id")],
                order_by=[F("occurred_at").asc(), F("id").asc()],
            ),
        )
        .values("centre", "status", "occurred_at", "next_at")
        .order_by()
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    zone = str(_site_zone())
    if connection.vendor == "postgresql":
        day_sql = "(w.next_at AT TIME ZONE %s)::date"
        seconds_sql = "EXTRACT(EPOCH FROM (w.next_at - w.occurred_at))"
        day_params: list[Any] = [zone]
    else:  # SQLite: Django's own function for the date in a zone; julianday for durations
        day_sql = "django_datetime_cast_date(w.next_at, %s, 'UTC')"
        seconds_sql = "((julianday(w.next_at) - julianday(w.occurred_at)) * 86400.0)"
        day_params = [zone]
    bucket_sql = "CASE"
    bucket_params: list[Any] = []
    for upper, bucket in BUCKETS:
        if upper is None:
            bucket_sql += " ELSE %s END"
            bucket_params.append(bucket)
        else:
            bucket_sql += f" WHEN {seconds_sql} < %s THEN %s"
            bucket_params += [upper.total_seconds(), bucket]
    placeholders = ", ".join(["%s"] * len(STAGES))
    sql = (
        f"SELECT w.centre, w.status, {day_sql} AS day, {bucket_sql} AS bucket, "  # noqa: S608
        f"COUNT(*), SUM({seconds_sql}) "
        f"FROM ({inner_sql}) w "
        f"WHERE w.next_at >= %s AND w.next_at < %s AND w.status IN ({placeholders}) "
        "GROUP BY 1, 2, 3, 4"
    )
    params = [*day_params, *bucket_params, *inner_params, since, until, *STAGES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    totals: dict[tuple[Any, int, str], list[float]] = defaultdict(lambda: [0, 0.0])
    counts: list[Count_] = []
    for where, stage, day, bucket, n, seconds in rows:
        day = date.fromisoformat(day) if isinstance(day, str) else day
        counts.append(Count_(day, where, STAGE, series=stage, bucket=bucket, count=n))
        totals[(day, where, stage)][0] += n
        totals[(day, where, stage)][1] += float(seconds or 0)
    for (day, where, stage), (n, seconds) in totals.items():
        counts.append(Count_(day, where, STAGE, series=stage, count=int(n), seconds=round(seconds)))
    return counts


def figures_count_days(first: date, last: date) -> int:
    """Counts the days `first` to `last` (each over already) and writes their DailyFigure rows,
    replacing any earlier count of them; returns how many rows. Run again, it writes the same."""
    counts = count_days(first, last)
    with transaction.atomic():
        DailyFigure.objects.filter(day__gte=first, day__lte=last).delete()
        CountedDay.objects.filter(day__gte=first, day__lte=last).delete()
        DailyFigure.objects.bulk_create(
            [
                DailyFigure(
                    day=c.day or first,
                    centre_id=c.centre,
                    figure=c.figure,
                    series=c.series,
                    bucket=c.bucket,
                    model_id=c.model,
                    component_id=c.component,
                    count=c.count,
                    seconds=c.seconds,
                )
                for c in counts
            ],
            batch_size=2000,
        )
        now = timezone.now()
        CountedDay.objects.bulk_create(
            [
                CountedDay(day=first + timedelta(days=n), counted_at=now)
                for n in range((last - first).days + 1)
            ]
        )
    return len(counts)


def _missing_ranges(first: date, last: date) -> list[tuple[date, date]]:
    """The runs of days from `first` to `last` not counted yet (one query)."""
    counted = set(
        CountedDay.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True)
    )
    ranges: list[tuple[date, date]] = []
    day = first
    while day <= last:
        if day not in counted:
            end = day
            while end + timedelta(days=1) <= last and end + timedelta(days=1) not in counted:
                end += timedelta(days=1)
            ranges.append((day, end))
            day = end
        day += timedelta(days=1)
    return ranges


def _stored(filters: Filters, last: date) -> list[Count_]:
    """The counted days' sums over the period, in one query: per day for the daily and weekly
    plots (opened, statuses reached), over the whole period for the rest. Grouped by the
    models' and components' ids, their names read afterwards for the few found: grouping the
    period's thousands of rows by the names as well took twice as long."""
    rows = DailyFigure.objects.filter(day__gte=filters.start, day__lte=last)
    if filters.centre is not None:
        rows = rows.filter(centre=filters.centre)
    sums = list(
        rows.annotate(
            per_day=Case(
                When(figure__in=[OPENED, REACHED], then=F("day")),
                default=Value(None),
                output_field=DateField(),
            )
        )
        .values_list("per_day", "figure", "series", "bucket", "model", "component")
        .annotate(n=Sum("count"), seconds_total=Sum("seconds"))
        .order_by()
    )
    model_ids = {row[4] for row in sums if row[4] is not None}
    component_ids = {row[5] for row in sums if row[5] is not None}
    models = dict(ProductModel.objects.filter(pk__in=model_ids).values_list("pk", "name"))
    components = {
        pk: (english, french)
        for pk, english, french in Component.objects.filter(pk__in=component_ids).values_list(
            "pk", "name_en", "name_fr"
        )
    }
    counts: list[Count_] = []
    for per_day, figure, series, bucket, model, component, n, seconds in sums:
        english, french = components.get(component, ("", ""))
        counts.append(
            Count_(
                per_day,
                None,
                figure,
                series=series,
                bucket=bucket,
                model=model,
                component=component,
                count=n,
                seconds=seconds or 0,
                model_name=models.get(model, ""),
                component_en=english or "",
                component_fr=french or "",
            )
        )
    return counts


def sla_breaches_per_week(filters: Filters, weeks: list[date]) -> dict[str, list[int]]:
    """Issue 9, item 5: the workshop clocks (`repairs.sla`) that breached their target in each
    week of the period, per stage: a clock kept at the case's last move with the instant it
    breached, or still running past its due time (a running clock has no `breached_at`: the
    two never count one clock twice). Two aggregates, each read from its index alone
    (`repairs_sla_breached_idx`, `repairs_sla_due_idx`, which keep the stage and the centre):
    one query with both conditions read every clock's row."""
    since, until = _bounds(filters.start, filters.end)
    now = timezone.now()
    stages = [stage.key for stage in sla.STAGES if not stage.customer]
    clocks = SlaClock.objects.filter(stage__in=stages)
    if filters.centre is not None:
        clocks = clocks.filter(centre=filters.centre)
    breached = clocks.filter(breached_at__gte=since, breached_at__lt=until)
    overdue = clocks.filter(state=sla.RUNNING, due_at__gte=since, due_at__lt=min(until, now))
    per_week: dict[str, list[int]] = {stage: [0] * len(weeks) for stage in stages}
    index = {week: n for n, week in enumerate(weeks)}
    for part, column in ((breached, "breached_at"), (overdue, "due_at")):
        rows = (
            part.annotate(day=_day_of(column))
            .values("day", "stage")
            .annotate(n=Count(column))
            .values_list("day", "stage", "n")
            .order_by()
        )
        for day, stage, n in rows:
            day = date.fromisoformat(day) if isinstance(day, str) else day
            monday = day - timedelta(days=day.weekday())
            if monday in index:
                per_week[stage][index[monday]] += n
    return per_week


def estimate_error(filters: Filters) -> dict[str, float]:
    """Issue 9, item 5: how far the return dates told to the customers were from the day their
    case really closed, for the cases closed in the period (every estimate, one per move): how
    many, the mean and median absolute error in days, and the share given too early (the case
    came back later). One query, grouped by error."""
    estimates = ReturnEstimate.objects.filter(
        closed_on__gte=filters.start, closed_on__lte=filters.end
    )
    if filters.centre is not None:
        estimates = estimates.filter(centre=filters.centre)
    counts: dict[int, int] = {
        error: n
        for error, n in estimates.filter(error_days__isnull=False)
        .values("error_days")
        .annotate(n=Count("id"))
        .values_list("error_days", "n")
        .order_by()
        if error is not None
    }
    total = sum(counts.values())
    if not total:
        return {"count": 0, "mean_abs_days": 0.0, "median_abs_days": 0.0, "late_share": 0.0}
    absolute: dict[int, int] = defaultdict(int)
    for error, n in counts.items():
        absolute[abs(error)] += n
    running, median = 0, 0
    for error in sorted(absolute):
        running += absolute[error]
        if running * 2 >= total:
            median = error
            break
    return {
        "count": total,
        "mean_abs_days": round(sum(e * n for e, n in absolute.items()) / total, 1),
        "median_abs_days": float(median),
        "late_share": round(100 * sum(n for e, n in counts.items() if e < 0) / total),
    }


def cache_seconds() -> int:
    return int(settings.WORKSHOP_DASHBOARD_CACHE_SECONDS)


def figures_of(filters: Filters, *, light: bool = False) -> Figures:
    """The dashboard's figures for `filters`: from the cache when computed in the last
    `WORKSHOP_DASHBOARD_CACHE_SECONDS`, else computed and cached. Most plots draw only the
    stored counts (`light=True`): they take the page's figures when those are cached, else
    compute their own without the registered sections, the SLA clocks and the estimates' error
    (two aggregates over every clock and estimate of the period, a fifth of a plot's figures)."""
    key = f"workshop.dashboard.figures:v5:{filters.key}"
    keys = [key, f"{key}:light"] if light else [key]
    found = cache.get_many(keys)
    for one in keys:
        if isinstance(found.get(one), Figures):
            return found[one]  # type: ignore[no-any-return]
    figures = figures_compute(filters, with_sections=not light, light=light)
    if cache_seconds() > 0:
        cache.set(keys[-1], figures, cache_seconds())
    return figures


def figures_compute(
    filters: Filters, today: date | None = None, *, with_sections: bool = True, light: bool = False
) -> Figures:
    """The period's figures: the days before today from their stored counts (counting first
    the days not counted yet), today counted now; the SLA clocks and the estimates' error
    unless `light`; and the registered sections' values."""
    today = today or site_today()
    last_past = min(filters.end, today - timedelta(days=1))
    counts: list[Count_] = []
    if filters.start <= last_past:
        for first, last in _missing_ranges(filters.start, last_past):
            # Another request counting these days at the same time and committing first
            # (CountedDay's day is unique): this count is rolled back whole, theirs stays.
            with contextlib.suppress(IntegrityError):
                figures_count_days(first, last)
        counts += _stored(filters, last_past)
    if filters.start <= today <= filters.end:
        centre = filters.centre.pk if filters.centre else None
        counts += count_days(today, today, centre)
    figures = _assemble(filters, counts, light=light)
    if with_sections:
        figures.sections = sections_compute(filters)
    return figures


def _assemble(filters: Filters, counts: list[Count_], *, light: bool = False) -> Figures:
    days = filters.days
    first_monday = filters.start - timedelta(days=filters.start.weekday())
    weeks = [
        first_monday + timedelta(weeks=n) for n in range((filters.end - first_monday).days // 7 + 1)
    ]
    opened: dict[date, int] = defaultdict(int)
    closed: dict[date, int] = defaultdict(int)
    reached: dict[tuple[date, str], int] = defaultdict(int)
    stages: dict[str, dict[str, float]] = {
        stage: {"count": 0, "seconds": 0, **{bucket: 0 for _u, bucket in BUCKETS}}
        for stage in STAGES
    }
    model_cases: dict[int, int] = defaultdict(int)
    model_names: dict[int, str] = {}
    problems: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    components: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    component_names: dict[int, tuple[str, str]] = {}
    shares: dict[str, int] = dict.fromkeys(SHARES, 0)
    for c in counts:
        if c.figure == OPENED and c.day is not None:
            opened[c.day] += c.count
        elif c.figure == REACHED and c.day is not None:
            if c.series == S.CLOSED:
                closed[c.day] += c.count
            if c.series in MILESTONES:
                monday = c.day - timedelta(days=c.day.weekday())
                reached[(monday, c.series)] += c.count
        elif c.figure == STAGE and c.series in stages:
            if c.bucket:
                stages[c.series][c.bucket] += c.count
            else:
                stages[c.series]["count"] += c.count
                stages[c.series]["seconds"] += c.seconds
        elif c.figure == PROBLEM and c.model is not None:
            model_names[c.model] = c.model_name
            if c.series:
                problems[c.model][c.series] += c.count
            else:
                model_cases[c.model] += c.count
        elif c.figure == COMPONENT and c.model is not None and c.component is not None:
            model_names.setdefault(c.model, c.model_name)
            model_cases.setdefault(c.model, 0)
            components[c.model][c.component] += c.count
            component_names[c.component] = (c.component_en, c.component_fr)
        elif c.figure == SHARE and c.series in shares:
            shares[c.series] += c.count
    breaches = {} if light else sla_breaches_per_week(filters, weeks)
    top_models = sorted(model_cases, key=lambda m: (-model_cases[m], model_names[m]))[:TOP_MODELS]
    order = {p.value: index for index, p in enumerate(Problem)}
    return Figures(
        filters_key=filters.key,
        days=days,
        opened=[opened[day] for day in days],
        closed=[closed[day] for day in days],
        weeks=weeks,
        reached={status: [reached[(week, status)] for week in weeks] for status in MILESTONES},
        sla_breaches=[sum(week) for week in zip(*breaches.values(), strict=True)]
        if breaches
        else [0] * len(weeks),
        sla_breaches_by_stage=breaches,
        estimate_error={} if light else estimate_error(filters),
        stages={
            stage: {
                "count": values["count"],
                "mean_hours": round(values["seconds"] / values["count"] / 3600, 1)
                if values["count"]
                else 0.0,
                **{bucket: values[bucket] for _u, bucket in BUCKETS},
            }
            for stage, values in stages.items()
        },
        problems={
            model_names[model]: sorted(
                problems[model].items(), key=lambda item: (-item[1], order.get(item[0], 99))
            )[:TOP]
            for model in top_models
        },
        components={
            model_names[model]: sorted(
                components[model].items(), key=lambda item: (-item[1], item[0])
            )[:TOP]
            for model in top_models
        },
        component_names=component_names,
        shares=shares,
        light=light,
    )
