"""A recurring task (the nightly purge, the pruning of task records) queues its next run first
thing; and the workers queue it whenever no run is queued or running, so that a lost or failed
run never ends the chain and two workers never queue it twice (core.recurring)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aftersales.core.recurring import recurring_ensure_all, recurring_schedule
from aftersales.core.tasks import prune_task_records
from aftersales.repairs import housekeeping

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EVENING = datetime(2026, 11, 22, 21, 0, tzinfo=AMSTERDAM)
PURGE_PATH = housekeeping.purge_stale_drafts.module_path


def runs(path: str, *statuses: TaskResultStatus) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=path, status__in=statuses or [TaskResultStatus.READY])
    )


def test_the_workers_queue_every_recurring_task_once(db, database_tasks, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"

    queued = recurring_ensure_all(now=EVENING)

    assert queued == {
        prune_task_records.module_path: datetime(2026, 11, 23, 3, 47, tzinfo=AMSTERDAM),
        PURGE_PATH: datetime(2026, 11, 23, 3, 17, tzinfo=AMSTERDAM),
        # The workshop dashboard's count of the day that ends (issue 9, item 6).
        "aftersales.workshop.tasks.count_dashboard_figures": datetime(
            2026, 11, 23, 0, 20, tzinfo=AMSTERDAM
        ),
        # The service levels (issue 9, item 5): the stage durations and the quote reminders,
        # then each team's overdue cases.
        "aftersales.repairs.tasks.service_levels_daily": datetime(
            2026, 11, 23, 6, 30, tzinfo=AMSTERDAM
        ),
        "aftersales.workshop.tasks.send_overdue_digests": datetime(
            2026, 11, 23, 7, 0, tzinfo=AMSTERDAM
        ),
        # Support (issue 10): the files of contact forms never sent.
        "aftersales.support.tasks.purge_pending_files": datetime(
            2026, 11, 23, 3, 32, tzinfo=AMSTERDAM
        ),
        # Express: the reminders before the damaged unit's deadline, the flags after it.
        "aftersales.repairs.express.express_returns_daily": datetime(
            2026, 11, 23, 7, 30, tzinfo=AMSTERDAM
        ),
    }
    assert recurring_ensure_all(now=EVENING) == {}
    assert len(runs(PURGE_PATH)) == 1
    assert len(runs(prune_task_records.module_path)) == 1


def test_a_lost_run_is_queued_again_by_the_workers(db, database_tasks):
    # The queued run failed (or its row was deleted by hand): nothing would queue the next one.
    recurring_ensure_all()
    DBTaskResult.objects.filter(task_path=PURGE_PATH).update(status=TaskResultStatus.FAILED)

    assert PURGE_PATH in recurring_ensure_all()
    assert len(runs(PURGE_PATH)) == 1


def test_a_running_run_counts_for_the_workers_since_it_queues_its_own_successor(db, database_tasks):
    recurring_ensure_all()
    DBTaskResult.objects.filter(task_path=PURGE_PATH).update(status=TaskResultStatus.RUNNING)

    assert PURGE_PATH not in recurring_ensure_all()
    assert runs(PURGE_PATH) == []


def test_a_run_that_fails_has_queued_its_successor_first(db, run_queue, monkeypatch):
    def broken(**kwargs: object) -> int:
        raise RuntimeError("database away")

    monkeypatch.setattr(housekeeping, "drafts_purge", broken)
    failing = housekeeping.purge_stale_drafts.using(run_after=timezone.now()).enqueue()

    run_queue()

    assert DBTaskResult.objects.get(pk=failing.id).status == TaskResultStatus.FAILED
    [successor] = runs(PURGE_PATH)
    assert successor.run_after > timezone.now()


def test_a_run_again_after_a_crash_queues_no_second_successor(db, run_queue):
    run = housekeeping.purge_stale_drafts.using(run_after=timezone.now()).enqueue()
    run_queue()
    # Its worker died before it recorded the end: the run is queued again and runs again.
    DBTaskResult.objects.filter(pk=run.id).update(status=TaskResultStatus.READY)
    run_queue()

    assert DBTaskResult.objects.get(pk=run.id).status == TaskResultStatus.SUCCESSFUL
    [successor] = runs(PURGE_PATH)
    assert timezone.now() < successor.run_after <= timezone.now() + timedelta(days=1)


def test_the_immediate_backend_of_the_tests_queues_nothing(db):
    assert recurring_ensure_all() == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two schedulers waiting on each other's row lock need PostgreSQL; SQLite serialises "
    "every write transaction anyway; run with DATABASE_URL=postgres://…",
)
def test_two_workers_scheduling_at_the_same_moment_queue_one_run(database_tasks):
    recurring_schedule(housekeeping.NIGHTLY_PURGE)  # the lock row exists; then the race
    DBTaskResult.objects.all().delete()
    barrier = threading.Barrier(4)
    results: list[object] = []
    errors: list[BaseException] = []

    def schedule() -> None:
        try:
            barrier.wait()
            results.append(recurring_schedule(housekeeping.NIGHTLY_PURGE, count_running=True))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=schedule) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert len(runs(PURGE_PATH)) == 1
