"""The purge of stale drafts is a scheduled task: queued once in the database task backend for
the next night, it queues the following one each time it runs."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aftersales.repairs import housekeeping

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def database_tasks(settings):
    """The database task backend, as in production (django-tasks resets its backends when the
    TASKS setting changes)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=housekeeping.purge_stale_drafts.module_path,
            status=TaskResultStatus.READY,
        )
    )


@pytest.mark.django_db
def test_the_next_purge_is_queued_for_the_coming_night(database_tasks, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    evening = datetime(2026, 11, 22, 21, 0, tzinfo=AMSTERDAM)

    run_after = housekeeping.purge_schedule(now=evening)

    assert run_after == datetime(2026, 11, 23, 3, 17, tzinfo=AMSTERDAM)
    [result] = queued()
    assert result.run_after == run_after


@pytest.mark.django_db
def test_before_the_purge_hour_it_is_queued_for_the_same_night(database_tasks, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    small_hours = datetime(2026, 11, 22, 1, 0, tzinfo=AMSTERDAM)

    assert housekeeping.purge_schedule(now=small_hours) == datetime(
        2026, 11, 22, 3, 17, tzinfo=AMSTERDAM
    )


@pytest.mark.django_db
def test_scheduling_again_queues_nothing_more(database_tasks):
    out = StringIO()
    call_command("purge_stale_drafts", "--schedule", stdout=out)
    call_command("purge_stale_drafts", "--schedule", stdout=out)

    assert len(queued()) == 1
    assert "queued for" in out.getvalue()


@pytest.mark.django_db
def test_each_run_queues_the_next_one(database_tasks):
    removed = housekeeping.purge_stale_drafts.call()

    assert removed == 0
    assert len(queued()) == 1


@pytest.mark.django_db
def test_the_immediate_backend_of_the_tests_cannot_schedule():
    assert housekeeping.purge_schedule() is None
