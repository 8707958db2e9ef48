"""The case keeps the coverage decision of the plan issue for its serial and problems: water
damage under a plan is a plan replacement (FAQ 13) with its fee; a manufacturing defect under
the warranty is free (FAQ 8); a covered case is due a return label within two business days."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock

import pytest
from django.utils import timezone

from aftersales.repairs import coverage, services
from aftersales.repairs.choices import Problem
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(customer, mine, paris, europe, repair_centre):
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )


def test_water_damage_under_a_plan_is_a_plan_replacement_with_its_fee(customer, draft, plan):
    draft.problems = [Problem.WATER_DAMAGE]
    draft.has_plan, draft.plan = True, plan
    draft.save()
    case = services.case_submit(repair_request=draft, user=customer, terms_accepted=True)
    case.refresh_from_db()
    snapshot = case.coverage
    assert snapshot["outcome"] == "plan_replacement"
    assert (snapshot["cause"], snapshot["component"]) == ("water", "aircraft")
    assert snapshot["plan_id"] == plan.pk
    assert (snapshot["replacement_number"], snapshot["replacements_allowed"]) == (1, 2)
    assert snapshot["fee"] == {"amount": "109.00", "currency": "EUR"}
    assert {r["code"]: r["faq"] for r in snapshot["reasons"]}["water_covered"] == "FAQ 13"
    assert all(r["staff_text"] and r["customer_text"] for r in snapshot["reasons"])
    assert case.return_label_due_by is not None


def test_a_manufacturing_defect_under_the_warranty_is_free(customer, draft):
    draft.problems = [Problem.GIMBAL_CAMERA]
    draft.save()
    case = services.case_submit(repair_request=draft, user=customer, terms_accepted=True)
    case.refresh_from_db()
    assert case.coverage["outcome"] == "warranty"
    assert (case.coverage["cause"], case.coverage["component"]) == (
        "manufacturing_defect", "gimbal-camera")  # fmt: skip
    assert case.coverage["warranty"] == {"active": True, "ends_on": None}
    assert case.coverage["plan_id"] is None and case.coverage["fee"] is None
    assert case.return_label_due_by is not None


def test_an_accident_without_a_plan_is_paid_and_gets_no_prepaid_label(customer, draft):
    draft.problems = [Problem.ACCIDENT_DAMAGE]
    draft.accident_cause = "user"
    draft.save()
    case = services.case_submit(repair_request=draft, user=customer, terms_accepted=True)
    case.refresh_from_db()
    assert case.coverage["outcome"] == "not_covered"
    # Guide: « Sinon, vous en serez informé par e-mail »: the news is due all the same.
    assert case.return_label_due_by is not None
    assert case.return_label_eligible is False


def test_problems_map_to_a_part_and_a_cause(draft, zenmuse):
    draft.problems = [Problem.REMOTE_CONTROLLER, Problem.ACCIDENT_DAMAGE]
    assert coverage.damaged_component(draft) == "remote-controller"
    assert coverage.damage_cause(draft.problems) == "accident"
    draft.problems = [Problem.PROPULSION]
    assert coverage.damaged_component(draft) == "aircraft"
    draft.product_model = zenmuse
    assert coverage.damaged_component(draft) == "gimbal-camera"  # a camera's main part
    assert coverage.damage_cause([Problem.WATER_DAMAGE, Problem.ACCIDENT_DAMAGE]) == "water"


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        (datetime(2026, 3, 2, 10), date(2026, 3, 4)),  # Monday → Wednesday
        (datetime(2026, 3, 5, 10), date(2026, 3, 9)),  # Thursday → Monday
        (datetime(2026, 3, 6, 10), date(2026, 3, 10)),  # Friday → Tuesday
        (datetime(2026, 3, 7, 10), date(2026, 3, 10)),  # Saturday → Tuesday
    ],
)
def test_the_return_label_is_due_two_business_days_later_weekends_skipped(
    customer, draft, submitted, due
):
    with mock.patch("django.utils.timezone.now", return_value=timezone.make_aware(submitted)):
        case = services.case_submit(repair_request=draft, user=customer, terms_accepted=True)
    case.refresh_from_db()
    assert case.return_label_due_by == due


def test_the_case_keeps_the_reasons_in_every_language_and_shows_the_readers(customer, draft, plan):
    from django.utils import translation

    from aftersales.repairs import selectors

    draft.problems = [Problem.WATER_DAMAGE]
    draft.has_plan, draft.plan = True, plan
    draft.save()
    case = services.case_submit(repair_request=draft, user=customer, terms_accepted=True)
    case.refresh_from_db()
    replacement = {r["code"]: r for r in case.coverage["reasons"]}["plan_replacement"]
    assert "109.00 EUR" in replacement["customer_texts"]["en"]
    assert "109,00 EUR" in replacement["customer_texts"]["fr"]
    with translation.override("fr"):
        view = selectors.case_coverage(case, audience="customer")
    assert any("109,00 EUR" in reason.text for reason in view.reasons)
    assert view.fee == "109,00 EUR"


def test_the_case_records_the_plan_of_its_serial_even_when_the_box_was_not_ticked(
    customer, draft, plan
):
    draft.problems = [Problem.WATER_DAMAGE]
    draft.has_plan, draft.plan = False, None
    draft.save()

    case = services.case_submit(repair_request=draft, user=customer, terms_accepted=True)

    case.refresh_from_db()
    assert case.plan == plan
    assert case.coverage["outcome"] == "plan_replacement"
