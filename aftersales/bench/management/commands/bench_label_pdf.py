"""Times the parcel label PDF (`make bench`, issue 9: « Label PDF ≤ 300 ms each »): a tracking
number issued from the centre's range and the A6 label drawn by the centre's carrier
(`carriers.own_account`, `repairs.labels`), in this process, as the return label task makes it.
The ZPL conversion of each label is timed beside it."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.catalog.models import RepairCentre
from aftersales.repairs.carriers import carrier_for
from aftersales.repairs.choices import ParcelDirection, RequestStatus
from aftersales.repairs.labels import label_zpl
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.parcels import parcel_of

from .bench_case_pdf import _cases as submitted_cases


class Command(BaseCommand):
    help = (
        "Make the return label of --count cases (their centre given a range of UPS numbers when "
        "it has none), after one cold render; prints one JSON line of seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["count"]
        cases = list(
            RepairRequest.objects.exclude(status=RequestStatus.DRAFT)
            .filter(repair_centre__isnull=False)
            .select_related("user", "repair_centre")
            .order_by("pk")[: count + 1]
        )
        if len(cases) < count + 1:
            # No workshop data: the benchmark's drafts, submitted (as bench_case_pdf does).
            cases = [case for case in submitted_cases(count + 1) if case.repair_centre_id]
        if len(cases) < count + 1:
            raise CommandError(f"Fewer than {count + 1} submitted cases with a repair centre.")
        for centre in {case.repair_centre for case in cases if case.repair_centre}:
            _give_a_range(centre)
        # The first render also imports WeasyPrint and loads Pango and the fonts: once per
        # worker process. Reported apart.
        cold, _zpl, pdf = _make(cases[0])
        warm, zpl = [], []
        for case in cases[1:]:
            seconds, zpl_seconds, pdf = _make(case)
            warm.append(seconds)
            zpl.append(zpl_seconds)
        if not pdf.startswith(b"%PDF"):
            raise CommandError("The carrier did not make a PDF.")
        self.stdout.write(
            "BENCH_LABEL " + json.dumps({"cold": cold, "warm": warm, "zpl": zpl, "bytes": len(pdf)})
        )


def _give_a_range(centre: RepairCentre) -> None:
    if centre.tracking_range_first is not None:
        return
    centre.tracking_number_prefix = "1Z999AA101"
    centre.tracking_range_first, centre.tracking_range_last = 1, 9999999
    centre.save()


def _make(case: RepairRequest) -> tuple[float, float, bytes]:
    begin = time.perf_counter()
    carrier = carrier_for(case.repair_centre)
    number = carrier.tracking_number_issue()
    label = carrier.label_create(parcel_of(case, ParcelDirection.INBOUND), tracking_number=number)
    made = time.perf_counter()
    label_zpl(label.pdf)
    return made - begin, time.perf_counter() - made, label.pdf
