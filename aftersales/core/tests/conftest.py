"""Fixtures of the background work tests: the database task backend, and a worker run in the
test's process."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aftersales.core.workers import LeasedWorker


@pytest.fixture
def database_tasks(settings) -> None:
    """The database task backend, as in production (django-tasks resets its backends when the
    TASKS setting changes)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_queue(database_tasks, monkeypatch) -> Callable[..., None]:
    """Runs the queued tasks that are due, as `manage.py run_worker --batch` would, then returns."""
    # The worker drops connections that are not in autocommit mode, as the test's transaction
    # is not: it would close the test's connection under it.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run(worker_id: str = "test-worker") -> None:
        LeasedWorker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()

    return run
