"""`manage.py run_worker`: the background task worker to run in production and in `make run`."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from aftersales.core.workers import LeasedWorker, worker_id_new


class Command(db_worker.Command):
    help = (
        "Run the background tasks (django-tasks-db's db_worker, with the same options) holding a "
        "lease: tasks left running by a worker that died are queued again once its lease "
        "expires (settings.TASK_WORKER_LEASE_SECONDS), and the recurring tasks "
        "(settings.RECURRING_TASKS) always have their next run queued. One task at a time per "
        "process: start several for more. Keep it running under a supervisor that restarts it "
        "(systemd Restart=always)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Readable (host, process) and unique across restarts; the lease is kept under it.
        parser.set_defaults(worker_id=worker_id_new())

    def handle(self, *args: Any, **options: Any) -> None:
        # db_worker's handle, with the leased worker.
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        reload = options["reload"] and not options["batch"]
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                # Only the process that runs the tasks handles the stop signals.
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
