from datetime import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from aftersales.catalog.tests.factories import ComponentFactory, ProductModelFactory
from aftersales.devices.models import ComponentSerial, Device

from .factories import DeviceFactory


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    device = DeviceFactory()
    for url in (
        reverse("devices:list"),
        reverse("devices:add"),
        reverse("devices:detail", args=[device.serial_number]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(reverse("devices:remove", args=[device.serial_number]))
    assert response.status_code == 302
    device.refresh_from_db()


def test_the_list_shows_the_customers_products(customer_client, customer):
    model = ProductModelFactory(
        code="mavic-mini", name="Mavic Mini", marketing_name="Mavic Mini - The Everyday FlyCam"
    )
    DeviceFactory(
        serial_number="2N4MAAAA000001",
        model=model,
        owner=customer,
        purchase_country="FR",
        activated_at=datetime.fromisoformat("2026-01-15T10:00:00+01:00"),
    )
    response = customer_client.get(reverse("devices:list"))
    content = response.content.decode()
    assert "Mavic Mini - The Everyday FlyCam" in content
    assert "2N4MAAAA000001" in content
    assert "France" in content
    assert "Jan. 15, 2026" in content


def test_the_list_is_in_the_customers_language(client, customer):
    customer.preferred_language = "fr"
    customer.save()
    client.force_login(customer)
    DeviceFactory(owner=customer, activated_at=datetime.fromisoformat("2026-01-15T10:00:00+01:00"))
    response = client.get(reverse("devices:list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "15 janvier 2026" in response.content.decode()


def test_an_empty_list_invites_the_customer_to_add_a_product(customer_client):
    response = customer_client.get(reverse("devices:list"))
    assert response.status_code == 200
    assert "There is no product in your account yet." in response.content.decode()
    assert reverse("devices:add") in response.content.decode()


def test_another_customer_never_sees_the_first_ones_products(client, customer, other_customer):
    DeviceFactory(serial_number="163CMINE000001", owner=customer)
    client.force_login(other_customer)
    response = client.get(reverse("devices:list"))
    assert "163CMINE000001" not in response.content.decode()


def test_guessing_the_url_of_another_customers_product_finds_nothing(
    client, customer, other_customer
):
    device = DeviceFactory(serial_number="163CMINE000002", owner=customer)
    client.force_login(other_customer)

    assert client.get(reverse("devices:detail", args=[device.serial_number])).status_code == 404
    response = client.post(reverse("devices:remove", args=[device.serial_number]))
    assert response.status_code == 404

    device.refresh_from_db()
    assert device.owner == customer


def test_an_unowned_device_has_no_page_either(customer_client):
    device = DeviceFactory(serial_number="163CFREE000001")
    response = customer_client.get(reverse("devices:detail", args=[device.serial_number]))
    assert response.status_code == 404


def test_the_detail_page_shows_the_device_its_components_and_part_serials(
    customer_client, customer
):
    gimbal = ComponentFactory(
        code="gimbal-camera", name_en="Gimbal and camera", has_serial_number=True
    )
    battery = ComponentFactory(code="battery", name_en="Battery")
    model = ProductModelFactory()
    model.components.set([gimbal, battery])
    device = DeviceFactory(serial_number="163CMINE000003", model=model, owner=customer)
    ComponentSerial.objects.create(device=device, component=gimbal, serial_number="1v3c-0001")

    response = customer_client.get(reverse("devices:detail", args=["163cmine000003"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Mavic 2 Pro" in content
    assert "Gimbal and camera" in content
    assert "Battery" in content
    assert "1V3C0001" in content


def test_adding_a_product_by_serial_number_puts_it_in_the_account(customer_client, customer):
    DeviceFactory(serial_number="163CADD0000001")
    response = customer_client.post(reverse("devices:add"), {"serial_number": "163cadd0000001"})
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:detail", args=["163CADD0000001"])
    assert Device.objects.get(serial_number="163CADD0000001").owner == customer


def test_an_unknown_serial_number_keeps_what_was_typed_and_shows_the_error_at_the_field(
    customer_client,
):
    response = customer_client.post(reverse("devices:add"), {"serial_number": "163CTYPO00001"})
    assert response.status_code == 200
    assert response.context["form"].errors["serial_number"] == [
        "We don't know this serial number. Check it — see where to find it below."
    ]
    content = response.content.decode()
    assert 'value="163CTYPO00001"' in content
    assert 'aria-invalid="true"' in content


def test_the_add_page_says_when_the_customer_is_rate_limited(customer_client, monkeypatch):
    from aftersales.devices import services

    monkeypatch.setattr(services, "CLAIM_FAILURE_LIMIT", 2)
    for _ in range(3):
        response = customer_client.post(reverse("devices:add"), {"serial_number": "UNKNOWN00001"})
    assert "Too many serial numbers were not recognised" in response.content.decode()


def test_a_product_of_another_account_is_refused_on_the_add_page(customer_client, other_customer):
    DeviceFactory(serial_number="163COTHER00001", owner=other_customer)
    response = customer_client.post(reverse("devices:add"), {"serial_number": "163COTHER00001"})
    content = response.content.decode()
    assert "already registered to another account" in content
    assert "bob@example.com" not in content
    assert "Bernard" not in content


def test_removing_a_product_takes_it_out_of_the_account(customer_client, customer):
    device = DeviceFactory(serial_number="163CGONE000001", owner=customer)
    response = customer_client.post(reverse("devices:remove", args=[device.serial_number]))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.owner is None


def test_removing_needs_a_post(customer_client, customer):
    device = DeviceFactory(owner=customer)
    response = customer_client.get(reverse("devices:remove", args=[device.serial_number]))
    assert response.status_code == 405


def test_the_list_needs_a_fixed_number_of_queries_however_many_products(
    customer_client, customer, django_assert_max_num_queries
):
    for n in range(3):
        DeviceFactory(owner=customer, model=ProductModelFactory(code=f"model-{n}"))
    with django_assert_max_num_queries(6) as few:
        customer_client.get(reverse("devices:list"))
    for n in range(3, 15):
        DeviceFactory(owner=customer, model=ProductModelFactory(code=f"model-{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = customer_client.get(reverse("devices:list"))
    assert response.content.decode().count("<tr>") == 16  # a header and 15 rows
