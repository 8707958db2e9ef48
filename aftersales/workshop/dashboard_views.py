"""The workshop dashboard's pages (issue 9, item 6): the page (plots, their text alternatives and
data tables), each plot as SVG, and the same figures as CSV; filtered by repair centre and
period (the last 90 days by default). Open to staff holding `repairs.open_dashboard` (given to
administrators by default: repairs' migration 0006); anyone else gets the 403 page, an anonymous
visitor the log-in."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.catalog.models import RepairCentre
from aftersales.core.form_fields import ModelChoiceField
from aftersales.repairs import lifecycle, sla
from aftersales.repairs.choices import Problem, RequestStatus

from . import dashboard, plots

OPEN_DASHBOARD = "repairs.open_dashboard"

View = Callable[..., HttpResponse]


def dashboard_page(view: View) -> View:
    """Log-in first, then staff who may open the dashboard (403 otherwise)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not lifecycle.staff_may(request.user, OPEN_DASHBOARD):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)


class DashboardFilterForm(forms.Form):
    centre = ModelChoiceField(
        label=gettext_lazy("Repair centre"),
        queryset=RepairCentre.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("All repair centres"),
    )
    start = forms.DateField(
        label=pgettext_lazy("start of a period", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To (included)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days + 1 > dashboard.MAX_DAYS:
                self.add_error(
                    "start",
                    _("Choose a period of at most %(days)s days.") % {"days": dashboard.MAX_DAYS},
                )
        return data


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, dashboard.Filters | None]:
    """The form as typed (errors at their fields, nothing lost), and the filters when valid;
    no filters given: the last 90 days, every centre."""
    default = dashboard.default_filters()
    if not request.GET:
        form = DashboardFilterForm(
            initial={"start": default.start, "end": default.end}, auto_id="filter-%s"
        )
        return form, default
    form = DashboardFilterForm(request.GET, auto_id="filter-%s")
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, dashboard.Filters(start=data["start"], end=data["end"], centre=data["centre"])


def _query(filters: dashboard.Filters) -> str:
    centre = filters.centre.pk if filters.centre else ""
    return f"centre={centre}&start={filters.start.isoformat()}&end={filters.end.isoformat()}"


@dashboard_page
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    context: dict[str, Any] = {"form": form, "filters": filters}
    if filters is None:
        return render(request, "workshop/centre_dashboard.html", context, status=422)
    figures = dashboard.figures_of(filters)
    context.update(tables(figures), figures=figures, query=_query(filters))
    return render(request, "workshop/centre_dashboard.html", context)


@dashboard_page
@require_GET
def plot_view(request: HttpRequest, name: str) -> HttpResponse:
    if name not in plots.PLOTS:
        raise Http404
    _form, filters = _filters(request)
    if filters is None:
        raise Http404
    key = f"workshop.dashboard.svg:v1:{name}:{get_language()}:{filters.key}"
    svg = cache.get(key)
    if not isinstance(svg, str):
        light = name not in plots.WHOLE_FIGURES
        svg = plots.plot_svg(name, dashboard.figures_of(filters, light=light))
        if dashboard.cache_seconds() > 0:
            cache.set(key, svg, dashboard.cache_seconds())
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = f"private, max-age={dashboard.cache_seconds()}"
    # matplotlib styles the drawing with a <style> element and style attributes: allowed in
    # this image, which runs no script and loads nothing (the site's policy stays on the pages).
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    )
    return response


@dashboard_page
@require_GET
def csv_view(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    if filters is None:
        raise Http404
    figures = dashboard.figures_of(filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"workshop-dashboard-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([_("Figure"), _("Date or group"), _("Series"), _("Value")])
    for row in csv_rows(figures):
        writer.writerow(row)
    return response


def csv_rows(figures: dashboard.Figures) -> list[list[str]]:
    """The figures the page shows, one value a row: (figure, date or group, series, value).
    Dates in ISO 8601 (a spreadsheet reads them in any language)."""
    rows: list[list[str]] = []
    for day, opened, closed in zip(figures.days, figures.opened, figures.closed, strict=True):
        rows.append([_("Cases opened per day"), day.isoformat(), "", str(opened)])
        rows.append([_("Cases closed per day"), day.isoformat(), "", str(closed)])
    for status, counts in figures.reached.items():
        label = str(RequestStatus(status).label)
        for week, count in zip(figures.weeks, counts, strict=True):
            rows.append(
                [_("Cases per week by status reached"), week.isoformat(), label, str(count)]
            )
    buckets = plots.bucket_labels()
    for stage, values in figures.stages.items():
        label = str(RequestStatus(stage).label)
        rows.append([_("Stages ended in the period"), label, "", str(int(values["count"]))])
        rows.append([_("Mean time in the stage (hours)"), label, "", str(values["mean_hours"])])
        for key, bucket in buckets.items():
            rows.append([_("Time spent in each stage"), label, bucket, str(int(values[key]))])
    for model, items in figures.problems.items():
        for value, count in items:
            rows.append([_("Top problems declared"), model, str(Problem(value).label), str(count)])
    for model, parts in figures.components.items():
        for pk, count in parts:
            name = plots.component_name(figures, pk)
            rows.append([_("Top damaged components found"), model, name, str(count)])
    labels = plots.share_labels()
    for key in dashboard.SHARES:
        rows.append([_("How the cases were paid for"), labels[key], "", str(figures.shares[key])])
    for stage, counts in figures.sla_breaches_by_stage.items():
        label = str(sla.STAGES_BY_KEY[stage].label)
        for week, count in zip(figures.weeks, counts, strict=True):
            rows.append([_("Service level breaches per week"), week.isoformat(), label, str(count)])
    error = figures.estimate_error
    rows.append([_("Estimated return dates measured"), "", "", str(int(error["count"]))])
    rows.append(
        [_("Mean error of the estimated return dates (days)"), "", "", str(error["mean_abs_days"])]
    )
    rows.append(
        [
            _("Median error of the estimated return dates (days)"),
            "",
            "",
            str(error["median_abs_days"]),
        ]
    )
    for section in dashboard.sections():
        if section.csv_rows is not None and section.key in figures.sections:
            rows += section.csv_rows(figures.sections[section.key])
    return rows


def tables(figures: dashboard.Figures) -> dict[str, Any]:
    """What the page's text alternatives and data tables say, in the active language."""
    total_shares = sum(figures.shares.values())
    share_labels = plots.share_labels()
    buckets = plots.bucket_labels()
    stage_rows = [
        {
            "label": RequestStatus(stage).label,
            "count": int(values["count"]),
            "mean_days": round(values["mean_hours"] / 24, 1),
            "buckets": [int(values[key]) for key in buckets],
        }
        for stage, values in figures.stages.items()
        if values["count"]
    ]
    busiest = max(
        zip(figures.days, figures.opened, strict=True), key=lambda item: item[1], default=None
    )
    longest = max(stage_rows, key=lambda row: float(str(row["mean_days"])), default=None)
    return {
        "daily_rows": list(zip(figures.days, figures.opened, figures.closed, strict=True)),
        "busiest_day": busiest if busiest and busiest[1] else None,
        "week_rows": [
            (week, [figures.reached[status][index] for status in figures.reached])
            for index, week in enumerate(figures.weeks)
        ],
        "milestones": [RequestStatus(status).label for status in figures.reached],
        "bucket_labels": list(buckets.values()),
        "stage_rows": stage_rows,
        "longest_stage": longest,
        "problem_rows": [
            (model, [(Problem(value).label, n) for value, n in items])
            for model, items in figures.problems.items()
        ],
        "component_rows": [
            (model, [(plots.component_name(figures, pk), n) for pk, n in items])
            for model, items in figures.components.items()
        ],
        "share_rows": [
            (
                share_labels[key],
                figures.shares[key],
                round(100 * figures.shares[key] / total_shares) if total_shares else 0,
            )
            for key in dashboard.SHARES
        ],
        "shares_total": total_shares,
        "sla_stages": [sla.STAGES_BY_KEY[stage].label for stage in figures.sla_breaches_by_stage],
        "sla_rows": [
            (week, total, [counts[index] for counts in figures.sla_breaches_by_stage.values()])
            for index, (week, total) in enumerate(
                zip(figures.weeks, figures.sla_breaches, strict=True)
            )
        ],
        "sla_total": sum(figures.sla_breaches),
        "estimate_error": figures.estimate_error,
        # The sections other apps registered (e.g. support): their template and values.
        "sections": [
            (section.template, figures.sections[section.key])
            for section in dashboard.sections()
            if section.key in figures.sections
        ],
        "period_days": len(figures.days),
        "cache_minutes": max(1, dashboard.cache_seconds() // 60),
        "cache_seconds": dashboard.cache_seconds(),
    }
