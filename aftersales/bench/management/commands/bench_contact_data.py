"""The contact form's benchmark data (`make bench`, issue 10): logged-out visitors, each with a
verification code to use once, written into a manifest the load generator reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.bench.support_data import bench_contact_load


class Command(BaseCommand):
    help = (
        "After bench_data: --visitors logged-out customers as the contact form's page leaves "
        "their browsers (a verification code each, with its answer; a CSRF cookie and the "
        "form's token), what each types, and the invoice they attach. Writes the manifest as "
        "JSON to --output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--visitors", type=int, default=4000)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = bench_contact_load(visitors=options["visitors"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        options["output"].write_text(json.dumps(manifest), encoding="utf-8")
        self.stdout.write(
            f"{options['visitors']:,} contact form visitors, each with a verification code; "
            f"manifest in {options['output']}."
        )
