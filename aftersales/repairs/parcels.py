"""A case's parcels: the prepaid return label (inbound) and the label of the parcel back
(outbound), through the repair centre's carrier (`carriers.carrier_for`).

Guide, summary note 1: « Si vous êtes éligible pour une étiquette de retour, vous la recevrez dans
un délai de deux jours ouvrables. Sinon, vous en serez informé par e-mail. » — the deadline is
counted in the centre's business calendar (`RepairCentre.business_calendar`), the eligibility is
the centre's configuration by coverage (`return_label_eligible`), and the label is made and
e-mailed by the task `tasks.send_return_label`, queued by the submission.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from aftersales.catalog.models import RepairCentre
from aftersales.core.business_time import BusinessCalendar

from .carriers import Carrier, Label, Parcel, carrier_for
from .choices import ParcelDirection
from .errors import CaseWorkError
from .models import ParcelLabel, RepairRequest
from .pdf import case_language
from .selectors import snapshot_address_lines

# Guide, summary note 1: « … dans un délai de deux jours ouvrables » (a centre may say otherwise:
# `RepairCentre.label_business_days`).
RETURN_LABEL_BUSINESS_DAYS = 2


def return_label_due(*, centre: RepairCentre | None, submitted_at: datetime) -> date:
    """The day by which the customer hears about the return label (label or not): the centre's
    business days after the submission, in its time zone."""
    if centre is None:
        # No centre serves the zone (yet): weekends only, in the site's time zone.
        calendar = BusinessCalendar(time_zone=timezone.get_default_timezone())
        return calendar.add_business_days(submitted_at, RETURN_LABEL_BUSINESS_DAYS).date()
    due = centre.business_calendar().add_business_days(submitted_at, centre.label_business_days)
    return due.date()


def return_label_eligible(case: RepairRequest) -> bool:
    """Whether the case travels to the centre on a prepaid label: its coverage as declared at
    submission is one the centre prepays (`RepairCentre.prepaid_label_coverage`; by default
    warranty and plan cases, not paid repairs)."""
    centre = case.repair_centre
    if centre is None:
        return False
    outcome = str((case.coverage or {}).get("outcome") or "")
    return bool(outcome) and outcome in (centre.prepaid_label_coverage or [])


def _customer_lines(case: RepairRequest) -> list[str]:
    return snapshot_address_lines(case.return_address_snapshot or {})


def parcel_of(case: RepairRequest, direction: str) -> Parcel:
    """What the label of the case's parcel says, in the customer's language."""
    centre = case.repair_centre
    language = case_language(case)
    with translation.override(language):
        customer = _customer_lines(case)
        workshop = centre.address_lines if centre is not None else []
    inbound = direction == ParcelDirection.INBOUND
    return Parcel(
        case_number=str(case.case_number),
        direction=direction,
        sender=customer if inbound else workshop,
        recipient=workshop if inbound else customer,
        recipient_phone="" if inbound else str(case.return_address_snapshot.get("phone", "")),
        language=language,
    )


def label_of(case: RepairRequest, direction: str) -> ParcelLabel | None:
    return ParcelLabel.objects.filter(request=case, direction=direction).first()


def label_record(
    *, case: RepairRequest, direction: str, carrier: Carrier, label: Label
) -> ParcelLabel:
    """Keeps the label made for the case (one each way). When another run made one meanwhile,
    that one is kept and returned: the customer never gets two."""
    try:
        with transaction.atomic():
            return ParcelLabel.objects.create(
                request=case,
                direction=direction,
                carrier=carrier.key,
                carrier_name=label.carrier_name,
                tracking_number=label.tracking_number,
                tracking_url=label.tracking_url,
                pdf=label.pdf,
                created_at=timezone.now(),
            )
    except IntegrityError:
        existing = label_of(case, direction)
        if existing is None:
            # The tracking number is on another label (typed by staff while another run took
            # it): said at the field, never a 500.
            raise CaseWorkError("tracking_number_in_use") from None
        return existing


def tracking_number_in_use(number: str) -> bool:
    """Whether a label already carries this tracking number (each parcel has its own)."""
    return ParcelLabel.objects.filter(tracking_number=number).exists()


def return_label_decide(*, case: RepairRequest) -> bool:
    """Decides once whether the case gets a prepaid label; a run again reads the decision."""
    RepairRequest.objects.filter(pk=case.pk, return_label_eligible__isnull=True).update(
        return_label_eligible=return_label_eligible(case)
    )
    decided = RepairRequest.objects.values_list("return_label_eligible", flat=True).get(pk=case.pk)
    case.return_label_eligible = decided
    return bool(decided)


def return_label_make(*, case: RepairRequest) -> ParcelLabel:
    """The case's prepaid return label: the one made already, else a new one under a tracking
    number the carrier issues. Made outside any lock (the PDF takes a tenth of a second), then
    kept with `label_record`; a number issued by a run that died is a gap in the range."""
    existing = label_of(case, ParcelDirection.INBOUND)
    if existing is not None:
        return existing
    carrier = carrier_for(case.repair_centre)
    number = carrier.tracking_number_issue()
    label = carrier.label_create(parcel_of(case, ParcelDirection.INBOUND), tracking_number=number)
    return label_record(case=case, direction=ParcelDirection.INBOUND, carrier=carrier, label=label)
