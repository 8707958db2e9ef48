from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aftersales.workshop import dashboard


class Command(BaseCommand):
    help = (
        "Counts the workshop dashboard's figures of past days (the nightly task does it for "
        "yesterday): after an import of cases, or on a new installation, so that no manager's "
        "page waits for it. Days are counted again when given again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=400, help="How many days back.")
        parser.add_argument("--since", type=date.fromisoformat, help="The first day (ISO).")

    def handle(self, *args: Any, **options: Any) -> None:
        last = dashboard.site_today() - timedelta(days=1)
        first = options["since"] or last - timedelta(days=max(options["days"], 1) - 1)
        if first > last:
            raise CommandError("The first day must be before today.")
        began = time.perf_counter()
        rows, day = 0, first
        # A month at a time: each is one transaction, and a run that stops keeps what it did.
        while day <= last:
            end = min(day + timedelta(days=30), last)
            rows += dashboard.figures_count_days(day, end)
            day = end + timedelta(days=1)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Counted {(last - first).days + 1} days ({first} to {last}): {rows} rows in "
                f"{time.perf_counter() - began:.1f} s."
            )
