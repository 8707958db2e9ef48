"""Tasks that failed for a reason that passes (the mail server away or slow, a connection reset)
run again later, instead of losing the e-mail for good.

A task raises `TaskRetryLater` (the outbox does, for such mail errors); the worker records the
task as FAILED with that error, and the workers' upkeep (`core.workers.tasks_recover`) queues it
again once the delay for its number of runs has passed. The state lives in the task's row, so a
worker that dies between the failure and the retry loses nothing. A task is run at most
settings.TASK_MAX_ATTEMPTS times in all; after that it stays FAILED, for staff to see.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus

logger = logging.getLogger(__name__)

# The wait after the 1st, 2nd, 3rd… failed run (the last one repeats): about 2.5 hours in all
# with the default five runs, long enough for a mail server's restart or a short outage.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)


class TaskRetryLater(Exception):
    """Raised by a task that failed for a reason that passes: it runs again after a delay."""


RETRY_LATER_PATH = f"{TaskRetryLater.__module__}.{TaskRetryLater.__qualname__}"


def retry_delay(runs: int) -> timedelta:
    return RETRY_DELAYS[min(max(runs, 1), len(RETRY_DELAYS)) - 1]


def tasks_retry_due(*, now: datetime | None = None) -> list[str]:
    """Queues again the tasks that failed with TaskRetryLater once their delay has passed and
    they have runs left; returns their ids."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    retried: list[str] = []
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, exception_class_path=RETRY_LATER_PATH
    )
    for result in failed.only("id", "worker_ids", "finished_at", "task_path"):
        runs = len(result.worker_ids or [])
        if runs >= settings.TASK_MAX_ATTEMPTS or result.finished_at is None:
            continue
        if result.finished_at + retry_delay(runs) > now:
            continue
        # Compare-and-set on the end of that run: another worker may have retried it already.
        if DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.FAILED, finished_at=result.finished_at
        ).update(status=TaskResultStatus.READY):
            retried.append(str(result.pk))
            logger.warning(
                "Failed task queued again",
                extra={"task_id": str(result.pk), "task": result.task_path, "runs": runs},
            )
    return retried
