from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from aftersales.repairs.housekeeping import drafts_purge


class Command(BaseCommand):
    help = (
        "Removes the repair request drafts that nobody saved for "
        'settings.AFTERSALES["DRAFT_MAX_AGE_DAYS"] days (30 by default), with their uploaded '
        "files. Submitted cases are never removed. Run it daily, e.g. from cron: "
        "`17 3 * * * cd /srv/aftersales && .venv/bin/python manage.py purge_stale_drafts "
        "--verbosity 0` (or a systemd timer with OnCalendar=*-*-* 03:17)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = drafts_purge()
        days = settings.AFTERSALES["DRAFT_MAX_AGE_DAYS"]
        if options["verbosity"] >= 1:
            self.stdout.write(f"{removed} draft(s) untouched for more than {days} days removed.")
