"""Shipping back with a tracking number that is already on a label — the customer's prepaid
return label, scanned on the very box, or another case's — is refused at the tracking number's
field with the number kept, and the case is not shipped (audit: it answered 500)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.repairs.choices import ParcelDirection, RequestStatus
from aftersales.repairs.models import ParcelLabel
from aftersales.repairs.tests.parcels_cast import UPS_EXAMPLE, centre_with_range

from .cast import *  # noqa: F403
from .cast import ready_to_ship

S = RequestStatus


@pytest.fixture
def shippable(case, spare, reception, technician, agent):
    centre_with_range(case.repair_centre)
    return ready_to_ship(case, spare, reception=reception, technician=technician, agent=agent)


def test_the_return_labels_number_scanned_on_the_box_is_refused(client, reception, shippable):
    ParcelLabel.objects.create(
        request=shippable,
        direction=ParcelDirection.INBOUND,
        carrier="own",
        carrier_name="UPS",
        tracking_number=UPS_EXAMPLE,
        pdf=b"%PDF",
        created_at=timezone.now(),
    )
    client.force_login(reception)
    response = client.post(
        reverse("workshop:action", args=[shippable.case_number, "ship"]),
        {"tracking_number": UPS_EXAMPLE, "expected_status": shippable.status},
    )
    assert response.status_code == 422
    form = response.context["failed"].form
    assert "already on another label" in " ".join(form.errors["tracking_number"])
    assert form["tracking_number"].value() == UPS_EXAMPLE
    shippable.refresh_from_db()
    assert shippable.status == S.READY_TO_SHIP
    assert not ParcelLabel.objects.filter(direction=ParcelDirection.OUTBOUND).exists()
