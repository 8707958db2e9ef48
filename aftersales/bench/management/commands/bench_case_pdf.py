"""Times the case form PDF (`make bench`, issue 4): `repairs.pdf.case_form_pdf` in this process,
as the confirmation task renders it, for submitted cases."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.repairs import services
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.pdf import case_form_pdf, case_language


class Command(BaseCommand):
    help = (
        "Render the case form PDF of --count submitted cases (submitting benchmark drafts first "
        "if there are not enough), after one cold render; prints one JSON line of seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["count"]
        cases = _cases(count + 1)
        if len(cases) < count + 1:
            raise CommandError(f"Fewer than {count + 1} cases and drafts to submit.")
        # The first render also imports WeasyPrint and loads Pango and the fonts: once per
        # worker process. Reported apart.
        cold, pdf = _render(cases[0])
        warm = []
        for case in cases[1:]:
            seconds, pdf = _render(case)
            warm.append(seconds)
        if not pdf.startswith(b"%PDF"):
            raise CommandError("case_form_pdf did not make a PDF.")
        self.stdout.write(
            "BENCH_PDF " + json.dumps({"cold": cold, "warm": warm, "bytes": len(pdf)})
        )


def _render(case: RepairRequest) -> tuple[float, bytes]:
    # Read as the confirmation task reads it (repairs.tasks.send_case_confirmation).
    begin = time.perf_counter()
    case = RepairRequest.objects.select_related(
        "user", "product_model", "device__model", "plan__offering", "component", "repair_centre"
    ).get(pk=case.pk)
    pdf = case_form_pdf(case, case_language(case))
    return time.perf_counter() - begin, pdf


def _cases(count: int) -> list[RepairRequest]:
    """Cases submitted by the benchmark (the submission scenario), the first with a plan and
    without alternately; benchmark drafts are submitted here when there are too few."""
    submitted = RepairRequest.objects.exclude(status=RequestStatus.DRAFT).filter(
        user__email__startswith="bench-customer-"
    )
    missing = count - submitted.count()
    if missing > 0:
        drafts = RepairRequest.objects.filter(
            status=RequestStatus.DRAFT, user__email__startswith="bench-customer-"
        ).select_related("user")
        for draft in drafts.order_by("-pk")[:missing]:
            services.case_submit(repair_request=draft, user=draft.user, terms_accepted=True)
    with_plan = list(submitted.filter(plan__isnull=False).order_by("pk")[: (count + 1) // 2])
    without = list(submitted.filter(plan__isnull=True).order_by("pk")[:count])
    chosen = with_plan + without[: count - len(with_plan)]
    if len(chosen) < count:
        chosen += [c for c in submitted.order_by("pk")[: 2 * count] if c not in chosen]
    return chosen[:count]
