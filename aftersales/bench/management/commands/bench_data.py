"""The benchmarks' data (`make bench`): a million devices and their plans, written with COPY."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from aftersales.bench.data import bench_data_load, write_import_csv


class Command(BaseCommand):
    help = (
        "Load the benchmarks' data into an empty, migrated PostgreSQL database: the demo "
        "catalogue, --devices devices and a plan for --plans of them (the same every run). "
        "With --import-csv, also write the CSV file of the import benchmark."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--devices", type=int, default=1_000_000)
        parser.add_argument("--plans", type=int, default=300_000)
        parser.add_argument("--import-csv", type=Path, help="Write the import benchmark's CSV.")
        parser.add_argument("--import-rows", type=int, default=1_000_000)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmarks run on PostgreSQL: set DATABASE_URL.")
        devices, plans = options["devices"], options["plans"]
        if not 0 <= plans <= devices:
            raise CommandError("--plans must be between 0 and --devices.")
        with tqdm(
            total=devices + plans,
            unit="rows",
            unit_scale=True,
            file=self.stderr._out,
            disable=options["no_progress"],
            desc="Devices and plans",
        ) as bar:
            try:
                bench_data_load(devices=devices, plans=plans, progress=bar.update)
            except ValueError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(f"Loaded {devices} devices and {plans} plans.")
        if options["import_csv"]:
            write_import_csv(options["import_csv"], count=options["import_rows"])
            self.stdout.write(f"Wrote {options['import_rows']} rows to {options['import_csv']}.")
