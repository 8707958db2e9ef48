"""The one interface every carrier integration offers (STYLE: "outside services are adapters").

The workshop, the tasks and the pages only ever call these methods, through
`carriers.carrier_for(centre)`: a real carrier's API is one more module implementing `Carrier`,
named in `settings.PARCEL_CARRIERS` and chosen per repair centre (`RepairCentre.carrier`),
without touching its callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from django.utils.translation import gettext_lazy as _


class TrackingNumberInvalid(ValueError):
    """A tracking number that is not of the carrier's format; `message` is for the field."""

    def __init__(self, message: Any = None) -> None:
        self.message: Any = message or _(
            "This is not a tracking number of this carrier: check it on the label."
        )
        super().__init__(str(self.message))


class TrackingNumbersExhausted(RuntimeError):
    """The centre's range of tracking numbers is used up: staff type numbers until an
    administrator gives it a new range."""


@dataclass(frozen=True)
class Parcel:
    """What a label says: who sends, who receives, the case it belongs to."""

    case_number: str
    direction: str  # choices.ParcelDirection
    sender: list[str]
    recipient: list[str]
    recipient_phone: str = ""
    language: str = "en"
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Label:
    """A label the carrier made: its number, the page that follows it, the printable PDF."""

    carrier_name: str
    tracking_number: str
    tracking_url: str
    pdf: bytes


@runtime_checkable
class Carrier(Protocol):
    """A carrier account of a repair centre."""

    key: str  # its key in settings.PARCEL_CARRIERS
    name: str  # printed on labels and told to customers

    @property
    def issues_numbers(self) -> bool:
        """Whether `label_create` can choose a tracking number itself (else staff type one)."""
        ...

    def tracking_number_clean(self, text: str) -> str:
        """`text` as the carrier writes its numbers (spaces and dashes removed, capitals), or
        TrackingNumberInvalid when it is not one of its numbers (format and check digit)."""
        ...

    def tracking_number_issue(self) -> str:
        """A new tracking number for a label (TrackingNumbersExhausted when there is none).
        Commits on its own: a number issued and then not used is a gap, never a duplicate."""
        ...

    def label_create(self, parcel: Parcel, *, tracking_number: str) -> Label:
        """The label of `parcel` under `tracking_number` (issued by `tracking_number_issue` or
        typed by staff and cleaned by `tracking_number_clean`)."""
        ...

    def tracking_url(self, tracking_number: str) -> str:
        """The carrier's public page following the parcel ("" when it has none)."""
        ...
