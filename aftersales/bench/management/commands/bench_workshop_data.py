"""The workshop's benchmark data (`make bench`, issue 8): cases in every status with what each
implies, and logged-in staff of every role, written into a manifest the load generator reads."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from aftersales.bench.workshop_data import bench_workshop_load


class Command(BaseCommand):
    help = (
        "After bench_data: --cases submitted cases spread over every status (timelines, "
        "receptions, evaluations, quotes, answers, payments, replacements, shipments) for "
        "--customers customers, and one logged-in member of staff per role. Writes the manifest "
        "(sessions, CSRF tokens, case numbers, serial numbers, e-mails) as JSON to --output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=200_000)
        parser.add_argument("--customers", type=int, default=50_000)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmarks run on PostgreSQL: set DATABASE_URL.")
        begin = time.perf_counter()
        with tqdm(
            total=options["cases"],
            unit="cases",
            unit_scale=True,
            file=self.stderr._out,
            disable=options["no_progress"],
            desc="Workshop cases",
        ) as bar:
            try:
                manifest = bench_workshop_load(
                    cases=options["cases"],
                    customers=options["customers"],
                    progress=bar.update,
                    # Made consistent by the generator, checked so by its tests.
                    trusted=True,
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        options["output"].write_text(json.dumps(manifest), encoding="utf-8")
        self.stdout.write(
            f"Created {manifest['cases']} cases for {options['customers']} customers and "
            f"{len(manifest['staff'])} logged-in staff in {time.perf_counter() - begin:.1f} s; "
            f"manifest in {options['output']}."
        )
