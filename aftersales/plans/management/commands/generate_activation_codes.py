"""Generates a batch of activation codes and writes them as CSV (code, offering, region)."""

from __future__ import annotations

import csv
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from aftersales.plans.codes import format_code
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import ActivationCode, Offering
from aftersales.plans.services import activation_codes_generate


class Command(BaseCommand):
    help = "Generates activation codes for an offering sold in a country, as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--offering", required=True, help="The offering's code.")
        parser.add_argument("--country", required=True, help="ISO 3166 code, e.g. FR.")
        parser.add_argument("--quantity", required=True, type=int)
        parser.add_argument("--output", help="CSV file to write (default: standard output).")
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        quantity = options["quantity"]
        if quantity < 1:
            raise CommandError("--quantity must be at least 1.")
        offering = Offering.objects.filter(code=options["offering"]).first()
        if offering is None:
            raise CommandError(f"No offering with code {options['offering']!r}.")

        with tqdm(
            total=quantity,
            unit="code",
            unit_scale=True,
            file=sys.stderr,
            disable=options["no_progress"],
            desc="Generating",
        ) as bar:
            try:
                batch = activation_codes_generate(
                    offering=offering,
                    country=options["country"],
                    quantity=quantity,
                    batch_size=options["batch_size"],
                    progress=bar.update,
                )
            except PlanRuleError as error:
                raise CommandError(error.message) from error

        rows = (
            ActivationCode.objects.filter(batch=batch)
            .order_by("id")
            .values_list("code", flat=True)
            .iterator(chunk_size=options["batch_size"])
        )
        output = (
            open(options["output"], "w", newline="", encoding="utf-8")  # noqa: SIM115
            if options["output"]
            else self.stdout
        )
        try:
            writer = csv.writer(output)
            writer.writerow(["code", "offering", "region"])
            region_code = batch.region.code
            for code in rows:
                writer.writerow([format_code(code), offering.code, region_code])
        finally:
            if output is not self.stdout:
                output.close()
        self.stderr.write(
            f"Batch #{batch.pk}: {quantity} codes for {offering.code} in {batch.region.code}."
        )
