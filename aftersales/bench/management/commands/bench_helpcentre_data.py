"""The help centre's benchmark data: --articles published articles (`make bench`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aftersales.bench.helpcentre_data import helpcentre_data_load


class Command(BaseCommand):
    help = "Make the help centre hold --articles published articles, the FAQ's among them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        count = helpcentre_data_load(articles=options["articles"])
        self.stdout.write(f"{count} articles")
