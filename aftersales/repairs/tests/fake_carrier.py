"""A carrier integration as a real carrier's would be added (tests only): its own numbers, its
own tracking page, no range of the centre's. Named in settings.PARCEL_CARRIERS by the tests."""

from __future__ import annotations

import itertools
import re

from aftersales.catalog.models import RepairCentre
from aftersales.repairs.carriers import Label, Parcel, TrackingNumberInvalid

_NUMBERS = itertools.count(1)


class FakeParcelCo:
    name = "ParcelCo"

    def __init__(self, *, centre: RepairCentre | None, key: str) -> None:
        self.centre = centre
        self.key = key

    @property
    def issues_numbers(self) -> bool:
        return True

    def tracking_number_clean(self, text: str) -> str:
        number = text.strip().upper()
        if not re.fullmatch(r"PC\d{8}", number):
            raise TrackingNumberInvalid()
        return number

    def tracking_number_issue(self) -> str:
        return f"PC{next(_NUMBERS):08d}"

    def label_create(self, parcel: Parcel, *, tracking_number: str) -> Label:
        return Label(
            carrier_name=self.name,
            tracking_number=tracking_number,
            tracking_url=self.tracking_url(tracking_number),
            pdf=b"%PDF-1.4 ParcelCo " + parcel.case_number.encode(),
        )

    def tracking_url(self, tracking_number: str) -> str:
        return f"https://parcelco.example/t/{tracking_number}"
