"""The workshop dashboard counts each day once it is over (a day's moves never change), by the
nightly task (yesterday and the day before, counted again), by `manage.py dashboard_count` after
an import, or by the first page that needs a day; counted again, a day has the same rows, never
twice as many. Today is never stored: it is counted on each request."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from aftersales.workshop import dashboard, tasks
from aftersales.workshop.models import CountedDay, DailyFigure
from aftersales.workshop.tests.dashboard_data import END, START, known_data

pytestmark = pytest.mark.django_db


def rows() -> list[tuple]:
    return sorted(
        DailyFigure.objects.values_list(
            "day", "centre", "figure", "series", "bucket", "model", "component", "count", "seconds"
        )
    )


def test_counting_days_again_writes_the_same_rows(db):
    known_data()
    dashboard.figures_count_days(START, END)
    first = rows()
    assert first and CountedDay.objects.count() == 10
    dashboard.figures_count_days(START, END)
    assert rows() == first
    # A page of the period reads them: nothing is counted again.
    figures = dashboard.figures_compute(dashboard.Filters(start=START, end=END))
    assert figures.opened_total == 5 and rows() == first


def test_the_command_counts_the_days_asked_for(db):
    known_data()
    out = StringIO()
    call_command("dashboard_count", f"--since={START.isoformat()}", stdout=out)
    assert "Counted" in out.getvalue()
    assert CountedDay.objects.filter(day__gte=START, day__lte=END).count() == 10
    assert not CountedDay.objects.filter(day=dashboard.site_today()).exists()


def test_the_nightly_task_counts_yesterday_and_the_day_before_and_queues_its_next_run(db):
    today = dashboard.site_today()
    tasks.count_dashboard_figures.call()
    assert set(CountedDay.objects.values_list("day", flat=True)) == {
        today - timedelta(days=1),
        today - timedelta(days=2),
    }
    assert "aftersales.workshop.tasks.NIGHTLY_DASHBOARD_COUNT" in settings.RECURRING_TASKS
