from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aftersales.repairs.estimates import stage_durations_measure
from aftersales.repairs.sla import sla_recompute


class Command(BaseCommand):
    help = (
        "Derives every open case's service level clocks again from its timeline (repairs/sla.py), "
        "e.g. after an import or a change of a repair centre's targets or calendar, and measures "
        "the centres' stage durations the estimated return dates are made of. With --all, the "
        "closed and cancelled cases too (the dashboard's breaches per week)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="Closed and cancelled cases too.")

    def handle(self, *args: Any, **options: Any) -> None:
        done = sla_recompute(open_only=not options["all"])
        measured = stage_durations_measure()
        self.stdout.write(
            f"{done} cases' clocks derived again; {measured} stage durations measured."
        )
