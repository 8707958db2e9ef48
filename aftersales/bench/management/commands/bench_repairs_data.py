"""The online repair request's benchmark data (`make bench`, issue 4): logged-in customers and
their drafts, written into a manifest the load generator reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from aftersales.bench.repairs_data import bench_repairs_load


class Command(BaseCommand):
    help = (
        "After bench_data: --users customers with a verified e-mail, an address in France, an "
        "aircraft of the benchmark devices (every other one under a plan) and a logged-in "
        "session, each with a draft answered up to the summary, plus --submit-drafts such drafts "
        "to submit. Writes the manifest (sessions, CSRF tokens, draft pks) as JSON to --output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--submit-drafts", type=int, default=4000)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmarks run on PostgreSQL: set DATABASE_URL.")
        if options["users"] < 2:
            raise CommandError("--users must be at least 2 (with and without a plan).")
        try:
            manifest = bench_repairs_load(
                users=options["users"], submit_drafts=options["submit_drafts"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        options["output"].write_text(json.dumps(manifest), encoding="utf-8")
        self.stdout.write(
            f"Created {options['users']} customers and "
            f"{options['users'] + options['submit_drafts']} drafts; "
            f"manifest in {options['output']}."
        )
