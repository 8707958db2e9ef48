"""Repair requests for tests, built with the ORM: a draft half-filled (`RepairRequestFactory`)
and a case as the submission leaves it (`SubmittedCaseFactory`): number, date, repair centre,
return address copied as sent, the customer's language."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone
from django_countries import countries

from aftersales.accounts.tests.factories import UserFactory
from aftersales.catalog.tests.factories import (
    ProductModelFactory,
    RepairCentreFactory,
    ServiceZoneFactory,
)
from aftersales.repairs.case_numbers import ALPHABET as _SUFFIX_ALPHABET
from aftersales.repairs.choices import Problem, RequestStatus, ServiceType, Shipment
from aftersales.repairs.models import RepairRequest


def case_number_for(n: int) -> str:
    """A well-formed, unique case number (`CAS-` + 7 digits + `-` + 6 characters)."""
    suffix = ""
    value = n * 7919 + 104729  # spread consecutive numbers over the alphabet
    for _ in range(6):
        value, index = divmod(value, len(_SUFFIX_ALPHABET))
        suffix += _SUFFIX_ALPHABET[index]
    return f"CAS-{2600000 + n % 400000:07d}-{suffix}"


def address_snapshot(
    *,
    full_name: str = "Alice Durand",
    company: str = "",
    street: str = "12 rue de la Paix",
    street2: str = "",
    postcode: str = "75002",
    city: str = "Paris",
    country: str = "FR",
    phone: str = "+33612345678",
    vat_number: str = "",
) -> dict[str, Any]:
    """The return address as the submission copies it (`services._address_snapshot`): the
    Address fields with the country as a code, plus its name and the lines as they read then."""
    data = {
        "full_name": full_name,
        "company": company,
        "street": street,
        "street2": street2,
        "postcode": postcode,
        "city": city,
        "country": country,
        "phone": phone,
        "vat_number": vat_number,
    }
    data["country_name"] = str(countries.name(country))
    data["lines"] = [
        line
        for line in (
            full_name,
            company,
            street,
            street2,
            f"{postcode} {city}",
            data["country_name"],
        )
        if line
    ]
    data["address_id"] = None
    return data


class RepairRequestFactory(factory.django.DjangoModelFactory):
    """A draft with the first steps answered: Europe/France, a Mavic 2 Pro by serial number,
    repair, a gimbal problem with its description, support contacted."""

    class Meta:
        model = RepairRequest

    user = factory.SubFactory(UserFactory)
    status = RequestStatus.DRAFT
    zone = factory.SubFactory(ServiceZoneFactory)
    country = "FR"
    product_model = factory.SubFactory(ProductModelFactory)
    serial_number = factory.Sequence(lambda n: f"163DG9R00{n:05d}")
    service_type = ServiceType.REPAIR
    problems = factory.LazyFunction(lambda: [Problem.GIMBAL_CAMERA.value])
    description = "The gimbal shakes and the picture is tilted."
    support_contacted = True


class SubmittedCaseFactory(RepairRequestFactory):
    """A submitted case: every step answered (no plan, no data analysis, component only)."""

    status = RequestStatus.SUBMITTED
    shipment = Shipment.DEFECTIVE_COMPONENT
    component = None
    terms_accepted_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.SelfAttribute("submitted_at")
    case_number = factory.Sequence(case_number_for)
    repair_centre = factory.SubFactory(RepairCentreFactory, zone=factory.SelfAttribute("..zone"))
    return_address_snapshot = factory.LazyFunction(address_snapshot)
    language = factory.LazyAttribute(lambda case: case.user.preferred_language)
    evaluation_fee = "50.00"
    evaluation_fee_currency = "EUR"


def payment_told(case: RepairRequest) -> int:
    """How many timeline events tell the customer that a payment of `case` was received: a
    payment that starts the work is told by the move it starts, any other by its own event."""
    from aftersales.repairs.models import CaseEvent

    return sum(
        1
        for note in CaseEvent.objects.filter(request=case).values_list("note", flat=True)
        if "received your payment" in note or "reçu votre paiement" in note
    )
