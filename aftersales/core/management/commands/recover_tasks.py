"""`manage.py recover_tasks`: one pass of what every `run_worker` does regularly."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aftersales.core.workers import tasks_recover


class Command(BaseCommand):
    help = (
        "Queue again the tasks left running by a worker whose lease expired (or mark them failed "
        "after settings.TASK_MAX_ATTEMPTS) and those that failed for a reason that passes (the "
        "mail server away) once their delay is over, and queue the next run of every recurring "
        "task that "
        "has none. Every run_worker does this by itself every half lease; the command is for "
        "looking, or for a deployment that runs bare db_worker processes (then from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recovery = tasks_recover()
        if options["verbosity"] < 1:
            return
        for task_id in recovery.requeued:
            self.stdout.write(f"Queued again: task {task_id} (its worker died).")
        for task_id in recovery.retried:
            self.stdout.write(f"Queued again: task {task_id} (failed for a reason that passes).")
        for task_id in recovery.failed:
            self.stdout.write(f"Failed: task {task_id} (its workers died too many times).")
        for path, run_after in recovery.scheduled.items():
            self.stdout.write(f"Scheduled: {path} at {run_after:%Y-%m-%d %H:%M %Z}.")
        if not (recovery.requeued or recovery.retried or recovery.failed or recovery.scheduled):
            self.stdout.write("Nothing to recover.")
