"""Issue 8, item 3 (FAQ 3, 4, 10): after a replacement through a case, the customer's own pages
tell it right. A unit replacement: My products shows the new unit in place of the old one, and My
plans the plan on the new serial number with one replacement left. A covered part replaced (a
Mavic 2's gimbal): the plan's history reads "replacement 1 of 2" for that part, with its fee and
the part's new serial number, and the plan stays on the unit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from aftersales.plans.models import Plan
from aftersales.repairs.choices import RequestStatus
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def replacing(case, reception, technician, agent):
    walk_to(case, RequestStatus.REPLACING, reception=reception, technician=technician, agent=agent)
    return case


@pytest.fixture
def reader(client, customer):
    client.force_login(customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_after_a_unit_replacement_my_products_shows_the_new_unit_in_place_of_the_old(
    reader, replacing, technician, spare, unit
):
    services.case_replace_unit(case=replacing, by=technician, new_serial_number=spare.serial_number)

    html = reader.get(reverse("devices:list")).content.decode()

    assert spare.serial_number in html
    assert unit.serial_number not in html
    assert reader.get(reverse("devices:detail", args=[spare.serial_number])).status_code == 200
    assert reader.get(reverse("devices:detail", args=[unit.serial_number])).status_code == 404


def test_after_a_unit_replacement_my_plans_shows_the_plan_on_the_new_serial_with_one_left(
    reader, replacing, technician, spare, unit, plan
):
    services.case_replace_unit(case=replacing, by=technician, new_serial_number=spare.serial_number)

    listed = reader.get(reverse("plans:list")).content.decode()
    detail = reader.get(reverse("plans:detail", args=[plan.pk])).content.decode()

    assert spare.serial_number in listed and "1 of 2" in listed
    assert f"first bound to {unit.serial_number}" in detail
    ledger = detail[detail.index('id="ledger-title"') :]
    assert "Replacement granted (1 of 2)" in ledger
    assert replacing.case_number in ledger and "109.00 EUR" in ledger
    assert f"<code>{unit.serial_number}</code> → <code>{spare.serial_number}</code>" in ledger


def test_a_gimbal_replaced_under_the_plan_reads_as_replacement_n_of_n_for_that_part(
    client, customer, replacing, technician, gimbal, mavic, plan
):
    services.case_replace_component(
        case=replacing,
        by=technician,
        component=gimbal,
        new_serial_number="1V3CNEWGIMBAL1",
        part_model=mavic,
    )
    client.force_login(customer)  # Alice reads French

    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()

    ledger = detail[detail.index('id="ledger-title"') :]
    assert "Remplacement accordé (1 sur 2) : Nacelle et caméra" in ledger
    assert "109,00 EUR" in ledger
    assert "<code>1V3CNEWGIMBAL1</code>" in ledger
    # The unit keeps its plan; one replacement is left.
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.device_id == replacing.device_id and plan.replacements_left == 1
    listed = client.get(reverse("plans:list")).content.decode()
    assert "1 sur 2" in listed
