"""The scan's case is read with SQL built once (`selectors.case_by_number` through
`core.compiled`): for every kind of case it answers what the plain ORM query answers — the same
values of every field the reception view shows, its customer, model, unit and component joined
in that one query — and nothing for a draft or an unknown number."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import selectors
from aftersales.workshop.tests.cast import *  # noqa: F403

pytestmark = pytest.mark.django_db


def shown(case: RepairRequest) -> dict[str, Any]:
    """Every value of `RECEPTION_FIELDS`, following the joins."""
    values: dict[str, Any] = {}
    for path in selectors.RECEPTION_FIELDS:
        value: Any = case
        for name in path.split("__"):
            value = getattr(value, name) if value is not None else None
        values[path] = value
    return values


def orm(number: str) -> RepairRequest:
    return (
        RepairRequest.objects.exclude(status=RequestStatus.DRAFT)
        .select_related("product_model", "device__model", "user", "component")
        .get(case_number=number)
    )


def test_every_kind_of_case_reads_as_the_orm_reads_it(
    case, customer, mavic, gimbal, django_assert_num_queries
):
    component_only = SubmittedCaseFactory(
        user=customer, product_model=mavic, component=gimbal, express_requested=True
    )
    without_unit = SubmittedCaseFactory(user=customer, product_model=mavic, device=None)
    received = SubmittedCaseFactory(user=customer, product_model=mavic)
    RepairRequest.objects.filter(pk=received.pk).update(
        status=RequestStatus.RECEIVED, sla_due_at=timezone.now()
    )
    for each in (case, component_only, without_unit, received):
        with django_assert_num_queries(1):
            found = selectors.case_by_number(each.case_number.lower())
            assert found is not None
            values = shown(found)  # no query more for the joined rows
        assert values == shown(orm(each.case_number))
        assert found.pk == each.pk
    assert shown(selectors.case_by_number(component_only.case_number))["component__name_en"]


def test_a_draft_or_an_unknown_number_is_nothing(case):
    assert selectors.case_by_number("CAS-0000000-NOCASE") is None
    assert selectors.case_by_number("") is None
    # A draft has no number yet; one that had (a case put back by hand) is still no case here.
    RepairRequest.objects.filter(pk=case.pk).update(status=RequestStatus.DRAFT)
    assert selectors.case_by_number(case.case_number) is None
