"""My plans: the plans of the products in the customer's account, each with its validity,
replacements left and ledger; nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from aftersales.accounts.tests.factories import UserFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind, replacement_grant, warranty_repair_record

LIST = reverse("plans:list")


def bind(device, offering, *, days_ago: int = 0):
    return plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=timezone.now() - timedelta(days=days_ago),
        channel=BindingChannel.STORE_WITH_DEVICE,
    )


@pytest.fixture
def my_plan(customer, device, offering):
    device.owner = customer
    device.save()
    return bind(device, offering, days_ago=10)


def test_anonymous_visitors_are_sent_to_the_login_page(client, plan):
    for url in (
        LIST,
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:contract", args=[plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_without_plans_the_list_leads_to_the_activation_page(customer_client):
    content = customer_client.get(LIST).content.decode()
    assert "There is no protection plan in your account yet." in content
    assert f'href="{reverse("plans:activate")}"' in content


def test_the_list_shows_each_plan_with_its_validity_status_and_replacements_left(
    customer_client, customer, my_plan, offering, mavic_2_pro
):
    old_device = DeviceFactory(model=mavic_2_pro, owner=customer)
    expired = bind(old_device, offering, days_ago=400)

    content = customer_client.get(LIST).content.decode()
    assert "DJI Care Refresh (Mavic 2)" in content
    assert "Mavic 2 Pro" in content
    assert my_plan.device.serial_number in content
    assert f">{date_format(my_plan.starts_on)}</time> – <time" in content  # "Nov. 12, 2026"
    assert f'datetime="{my_plan.ends_on.isoformat()}"' in content
    assert f'datetime="{expired.ends_on.isoformat()}"' in content
    assert '<span class="badge ok">Active</span>' in content
    assert '<span class="badge">Expired</span>' in content
    assert "2 of 2" in content
    assert reverse("plans:detail", args=[my_plan.pk]) in content


def test_a_plan_not_started_yet_says_so(customer_client, customer, offering, mavic_2_pro):
    device = DeviceFactory(model=mavic_2_pro, owner=customer)
    plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=timezone.now() + timedelta(days=2),
        channel=BindingChannel.STORE_SEPARATE,
    )
    assert "Not started" in customer_client.get(LIST).content.decode()


def test_the_detail_shows_cover_fees_and_every_row_of_the_ledger(
    customer_client, customer, my_plan, spare
):
    old_serial = my_plan.device.serial_number
    warranty_repair_record(plan=my_plan, case_number="RMA-0001")
    replacement_grant(
        plan=my_plan, new_serial_number=spare.serial_number, reason="crash", case_number="RMA-0002"
    )

    response = customer_client.get(reverse("plans:detail", args=[my_plan.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    # Covered components and the contract's fees.
    for component in ("Aircraft", "Gimbal and camera", "Battery", "Propellers"):
        assert component in content
    assert "Replacement 1: <strong>109.00 EUR</strong>" in content
    assert "Replacement 2: <strong>149.00 EUR</strong>" in content
    assert "<strong>49.00 EUR</strong>" in content  # Express
    assert "European Union" in content
    # One replacement used: the plan now follows the new unit (FAQ 10).
    assert "1 of 2" in content
    assert spare.serial_number in content
    # The ledger, oldest first.
    rows = content.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 3
    assert "Plan bound" in rows[0]
    assert "Warranty repair" in rows[1]
    assert "RMA-0001" in rows[1]
    assert "Replacement granted (1 of 2)" in rows[2]
    assert "RMA-0002" in rows[2]
    assert "109.00 EUR" in rows[2]
    assert f"<code>{old_serial}</code> → <code>{spare.serial_number}</code>" in rows[2]
    # And the contract.
    assert f'href="{reverse("plans:contract", args=[my_plan.pk])}"' in content
    assert f"DCR-{my_plan.pk:06d}" in content


def test_the_detail_is_in_the_customers_language(client, customer, my_plan):
    customer.preferred_language = "fr"
    customer.save()
    client.force_login(customer)
    content = client.get(reverse("plans:detail", args=[my_plan.pk])).content.decode()
    assert '<html lang="fr">' in content
    assert "109,00 EUR" in content  # French number format


def test_another_customer_sees_nothing_of_the_plan(other_client, my_plan):
    assert my_plan.device.serial_number not in other_client.get(LIST).content.decode()
    assert other_client.get(reverse("plans:detail", args=[my_plan.pk])).status_code == 404
    assert other_client.get(reverse("plans:contract", args=[my_plan.pk])).status_code == 404


def test_a_plan_whose_device_is_in_no_account_is_nobodys(customer_client, plan):
    # A store sale (the API's path): the plan shows once the customer adds the device.
    assert customer_client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404


def test_the_plan_follows_the_device_when_it_leaves_the_account(customer_client, my_plan):
    device = my_plan.device
    device.owner = UserFactory()
    device.save()
    assert customer_client.get(reverse("plans:detail", args=[my_plan.pk])).status_code == 404


def test_the_pages_take_a_bounded_number_of_queries(
    customer_client, customer, offering, mavic_2_pro, django_assert_max_num_queries
):
    plans = []
    for _ in range(6):
        plan = bind(DeviceFactory(model=mavic_2_pro, owner=customer), offering)
        warranty_repair_record(plan=plan, case_number="RMA")
        plans.append(plan)
    with django_assert_max_num_queries(3):
        response = customer_client.get(LIST)
    assert response.content.decode().count("badge ok") == 6
    with django_assert_max_num_queries(5):
        customer_client.get(reverse("plans:detail", args=[plans[0].pk]))
