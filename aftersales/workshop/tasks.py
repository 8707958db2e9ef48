"""The workshop's background tasks: the nightly count of the dashboard's figures (issue 9, item
6). Idempotent: a second run counts the same days again and writes the same rows."""

from __future__ import annotations

from datetime import time, timedelta

from django_tasks import task

from aftersales.core.recurring import RecurringTask, recurring_schedule

from . import dashboard

# Yesterday, and the day before for a move committed just after midnight with the time of the
# day before.
RECOUNT_DAYS = 2


@task()
def count_dashboard_figures() -> int:
    """Counts the last days' figures once they are over; the days never counted before (a
    fresh installation, an import) are counted by `manage.py dashboard_count` or by the first
    page that needs them."""
    recurring_schedule(NIGHTLY_DASHBOARD_COUNT)
    yesterday = dashboard.site_today() - timedelta(days=1)
    return dashboard.figures_count_days(yesterday - timedelta(days=RECOUNT_DAYS - 1), yesterday)


# Just after midnight, local time: the day is over.
NIGHTLY_DASHBOARD_COUNT = RecurringTask(task=count_dashboard_figures, at=time(0, 20))
