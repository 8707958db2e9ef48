"""The repair centre's own carrier account (the default; no network): the centre prints the
labels itself (`repairs.labels`), takes tracking numbers from the range its carrier gave it
(`RepairCentre.tracking_range_*`) or lets staff type the number of a label printed elsewhere, and
checks every number's format and check digit with the tracking-numbers library.

A number is the centre's prefix, the running number padded to the width of the range's last,
the check digit the format asks for, and the suffix: `1Z999AA101` + `2345678` + `4` for UPS,
`RR` + `12345678` + `5` + `NL` for a postal (UPU S10) number. The check digit is the one digit
the library accepts, so that the algorithm lives in one maintained place.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from tracking_numbers import get_definition

from aftersales.catalog.choices import TrackingNumberFormat
from aftersales.catalog.models import RepairCentre

from .base import Label, Parcel, TrackingNumberInvalid, TrackingNumbersExhausted

SEPARATORS = re.compile(r"[\s\-.]")


class OwnAccountCarrier:
    def __init__(self, *, centre: RepairCentre | None, key: str = "own") -> None:
        self.centre = centre
        self.key = key
        self.name = centre.carrier_name if centre is not None else "UPS"
        self.format = (
            centre.tracking_number_format if centre is not None else TrackingNumberFormat.UPS
        )

    @property
    def issues_numbers(self) -> bool:
        centre = self.centre
        return (
            centre is not None
            and centre.tracking_range_first is not None
            and centre.tracking_range_last is not None
        )

    def tracking_number_clean(self, text: str) -> str:
        number = SEPARATORS.sub("", text or "").upper()
        definition = get_definition(str(self.format))
        found = definition.test(number) if definition is not None and number else None
        if found is None or found.number != number:
            raise TrackingNumberInvalid(
                _("This is not a %(carrier)s tracking number: check it on the label.")
                % {"carrier": self.name}
            )
        if found.validation_errors:
            raise TrackingNumberInvalid(
                _("The check digit of this tracking number is wrong: check it on the label.")
            )
        return number

    def tracking_number_issue(self) -> str:
        if not self.issues_numbers or self.centre is None:
            raise TrackingNumbersExhausted("This centre has no range of tracking numbers.")
        # Its own transaction, committed at once: the centre's row is locked for a moment only,
        # and a number once issued is never issued again, even if its label is never made.
        with transaction.atomic():
            centre = RepairCentre.objects.select_for_update().get(pk=self.centre.pk)
            first, last = centre.tracking_range_first, centre.tracking_range_last
            assert first is not None and last is not None  # issues_numbers
            running = (
                centre.tracking_range_next if centre.tracking_range_next is not None else first
            )
            if running > last:
                raise TrackingNumbersExhausted(f"The range ends at {last}.")
            centre.tracking_range_next = running + 1
            centre.save(update_fields=["tracking_range_next"])
        return self._number(centre, running, width=len(str(last)))

    def _number(self, centre: RepairCentre, running: int, *, width: int) -> str:
        body = f"{centre.tracking_number_prefix}{running:0{width}d}".upper()
        suffix = centre.tracking_number_suffix.upper()
        for digit in "0123456789":
            try:
                return self.tracking_number_clean(f"{body}{digit}{suffix}")
            except TrackingNumberInvalid:
                continue
        raise TrackingNumbersExhausted(
            f"{body}?{suffix} is no {self.format} number: check the centre's prefix and range."
        )

    def label_create(self, parcel: Parcel, *, tracking_number: str) -> Label:
        from aftersales.repairs.labels import label_pdf

        number = self.tracking_number_clean(tracking_number)
        return Label(
            carrier_name=self.name,
            tracking_number=number,
            tracking_url=self.tracking_url(number),
            pdf=label_pdf(parcel, carrier_name=self.name, tracking_number=number),
        )

    def tracking_url(self, tracking_number: str) -> str:
        template = self.centre.tracking_url_template if self.centre is not None else ""
        if template:
            return template.replace("{number}", tracking_number)
        definition = get_definition(str(self.format))
        return (definition.tracking_url(tracking_number) or "") if definition is not None else ""
