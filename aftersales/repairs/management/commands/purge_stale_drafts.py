from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from aftersales.repairs.housekeeping import drafts_purge, purge_schedule


class Command(BaseCommand):
    help = (
        "Removes the repair request drafts that nobody saved for "
        'settings.AFTERSALES["DRAFT_MAX_AGE_DAYS"] days (30 by default), with their uploaded '
        "files. Submitted cases are never removed. With --schedule, queue the nightly purge in "
        "the task worker instead (it then queues itself every night, and the workers queue it "
        "when it is missing; safe to run on every deployment). Without the database task "
        "backend, run it daily, e.g. from cron: "
        "`17 3 * * * cd /srv/aftersales && .venv/bin/python manage.py purge_stale_drafts "
        "--verbosity 0` (or a systemd timer with OnCalendar=*-*-* 03:17)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the nightly purge in the task worker (once) instead of purging now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            run_after = purge_schedule()
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"Nightly purge of stale drafts queued for {run_after:%Y-%m-%d %H:%M}."
                    if run_after
                    else "Nothing queued: a purge is queued already, or the task backend "
                    "cannot hold a task until a given time (then use cron)."
                )
            return
        removed = drafts_purge()
        days = settings.AFTERSALES["DRAFT_MAX_AGE_DAYS"]
        if options["verbosity"] >= 1:
            self.stdout.write(f"{removed} draft(s) untouched for more than {days} days removed.")
