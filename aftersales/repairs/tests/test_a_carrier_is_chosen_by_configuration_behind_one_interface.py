"""Carriers behind one interface (issue 9, item 2): which integration a repair centre uses is
configuration (settings.PARCEL_CARRIERS, RepairCentre.carrier). The default, the centre's own
account, needs no network and checks every tracking number's format and check digit; another
carrier is added by naming its class, and the workshop and the return labels use it unchanged."""

from __future__ import annotations

import pytest

from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.repairs.carriers import (
    Carrier,
    TrackingNumberInvalid,
    TrackingNumbersExhausted,
    carrier_for,
)
from aftersales.repairs.carriers.own_account import OwnAccountCarrier
from aftersales.repairs.models import ParcelLabel
from aftersales.repairs.tasks import send_return_label
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import ready_to_ship

from .parcels_cast import UPS_EXAMPLE, centre_with_range

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcelco(settings):
    settings.PARCEL_CARRIERS = {
        **settings.PARCEL_CARRIERS,
        "parcelco": "aftersales.repairs.tests.fake_carrier.FakeParcelCo",
    }


def test_the_default_is_the_centres_own_account(db):
    centre = RepairCentreFactory()
    carrier = carrier_for(centre)
    assert isinstance(carrier, OwnAccountCarrier) and isinstance(carrier, Carrier)
    assert carrier.key == "own" and carrier.name == "UPS"
    assert isinstance(carrier_for(None), OwnAccountCarrier)


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        (UPS_EXAMPLE, UPS_EXAMPLE),
        ("1z 999 aa1 0123456784", UPS_EXAMPLE),
        ("1Z-999AA1-0123456784", UPS_EXAMPLE),
    ],
)
def test_ups_numbers_are_written_as_ups_writes_them(db, typed, clean):
    assert carrier_for(RepairCentreFactory()).tracking_number_clean(typed) == clean


@pytest.mark.parametrize(
    "typed",
    ["", "1Z12", "1Z999AA10123456785", "RR123456785NL", "hello", "1Z999AA10123456784X"],
)
def test_numbers_of_another_format_or_a_wrong_check_digit_are_refused(db, typed):
    with pytest.raises(TrackingNumberInvalid):
        carrier_for(RepairCentreFactory()).tracking_number_clean(typed)


def test_a_postal_account_issues_s10_numbers_with_their_check_digit(db):
    centre = centre_with_range(
        RepairCentreFactory(),
        tracking_number_format="S10",
        tracking_number_prefix="RR",
        tracking_number_suffix="NL",
        tracking_range_first=12345678,
        tracking_range_last=12345679,
    )
    carrier = carrier_for(centre)
    assert carrier.tracking_number_issue() == "RR123456785NL"
    assert carrier.tracking_number_issue() == "RR123456799NL"
    with pytest.raises(TrackingNumbersExhausted):
        carrier.tracking_number_issue()
    with pytest.raises(TrackingNumberInvalid):
        carrier.tracking_number_clean(UPS_EXAMPLE)  # a UPS number on a postal account


def test_numbers_are_issued_in_order_never_twice(db):
    centre = centre_with_range(
        RepairCentreFactory(), tracking_range_first=1000041, tracking_range_last=1000043
    )
    # The running number is padded to the width of the range's last (7 digits for UPS here).
    issued = [carrier_for(centre).tracking_number_issue() for _ in range(3)]
    assert [number[10:17] for number in issued] == ["1000041", "1000042", "1000043"]
    assert len(set(issued)) == 3
    with pytest.raises(TrackingNumbersExhausted):
        carrier_for(centre).tracking_number_issue()


def test_another_carrier_is_configuration_and_the_workshop_uses_it_unchanged(
    parcelco, case, spare, reception, technician, agent, mailoutbox
):
    centre = case.repair_centre
    centre.carrier = "parcelco"
    centre.full_clean()
    centre.save()

    # The return label…
    label_case = SubmittedCaseFactory(
        user=case.user, zone=centre.zone, repair_centre=centre, coverage={"outcome": "warranty"}
    )
    send_return_label.enqueue(request_id=label_case.pk)
    label = ParcelLabel.objects.get(request=label_case)
    assert (label.carrier, label.carrier_name) == ("parcelco", "ParcelCo")
    assert label.tracking_number.startswith("PC")

    # …and the parcel back, through the same workshop service.
    ready_to_ship(case, spare, reception=reception, technician=technician, agent=agent)
    shipment = services.case_ship(case=case, by=reception)
    assert shipment.carrier == "ParcelCo"
    assert shipment.tracking_url == f"https://parcelco.example/t/{shipment.tracking_number}"


def test_a_centre_names_only_a_configured_carrier(db):
    from django.core.exceptions import ValidationError

    centre = RepairCentreFactory()
    centre.carrier = "pigeon"
    with pytest.raises(ValidationError) as refused:
        centre.full_clean()
    assert "carrier" in refused.value.message_dict
