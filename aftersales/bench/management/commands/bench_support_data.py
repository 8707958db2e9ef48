"""The support inbox's benchmark tickets (`make bench`, issue 10)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aftersales.bench.support_data import bench_support_load


class Command(BaseCommand):
    help = "--tickets support tickets in every queue (most closed), each with its first message."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=100_000)

    def handle(self, *args: Any, **options: Any) -> None:
        made = bench_support_load(tickets=options["tickets"])
        self.stdout.write(f"{made:,} support tickets written.")
