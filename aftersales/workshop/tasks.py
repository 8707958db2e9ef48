"""The workshop's background tasks: the nightly count of the dashboard's figures (issue 9, item
6) and the daily e-mail of overdue cases to each team (issue 9, item 5). Idempotent: a second
run counts the same days again and writes the same rows; an e-mail goes once per team, day and
language (`core.outbox`)."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from aftersales.accounts.models import User
from aftersales.core.emails import email_send_templated
from aftersales.core.outbox import email_was_sent
from aftersales.core.recurring import RecurringTask, recurring_schedule

from . import dashboard
from .selectors import overdue_by_team

logger = logging.getLogger(__name__)

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


def overdue_digests_send(now: datetime | None = None) -> int:
    """E-mails each team (the active staff of the role that answers for a stage,
    `repairs.sla.STAGES`) the list of its cases past their service level target, in each
    member's language: one e-mail per team, day and language, sent once (the outbox's key).
    Returns how many were queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for team, rows in overdue_by_team(now).items():
        members = User.objects.filter(
            is_active=True, is_staff=True, groups__name=team, email__gt=""
        ).order_by("pk")
        by_language: dict[str, list[str]] = {}
        for member in members:
            language = member.preferred_language or settings.LANGUAGE_CODE
            by_language.setdefault(language, []).append(member.email)
        for language, addresses in by_language.items():
            key = f"workshop.overdue:{team}:{today.isoformat()}:{language}"
            if email_was_sent(key):
                continue
            with translation.override(language):
                team_label = _team_label(team)
            email_send_templated(
                to=addresses,
                template="workshop/emails/overdue",
                context={"rows": rows, "count": len(rows), "day": today, "team_label": team_label},
                language=language,
                idempotency_key=key,
            )
            sent += 1
            logger.info("Overdue cases e-mailed", extra={"team": team, "cases": len(rows)})
    return sent


def _team_label(team: str) -> str:
    from aftersales.accounts.choices import Role

    try:
        return str(Role(team).label)
    except ValueError:
        return team


@task()
def send_overdue_digests() -> int:
    recurring_schedule(DAILY_OVERDUE_DIGEST)
    return overdue_digests_send()


# In the morning, before the workshop opens: the day's overdue work.
DAILY_OVERDUE_DIGEST = RecurringTask(task=send_overdue_digests, at=time(7, 0))
