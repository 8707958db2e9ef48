import pytest
from django.core.cache import cache

from aftersales.devices.services import DeviceClaimError, device_claim, device_release

from .factories import DeviceFactory


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_customer_claims_an_unowned_device_by_its_serial_number(customer):
    device = DeviceFactory(serial_number="163CAAAA000001")

    claimed = device_claim(user=customer, serial_number=" 163caaaa-000001 ")

    assert claimed.pk == device.pk
    device.refresh_from_db()
    assert device.owner == customer
    assert device.added_to_account_at is not None


def test_an_unknown_serial_number_is_refused_with_a_stable_code(customer):
    with pytest.raises(DeviceClaimError) as caught:
        device_claim(user=customer, serial_number="NOPE0000000000")
    assert caught.value.code == DeviceClaimError.UNKNOWN_SERIAL
    assert "We don't know this serial number" in caught.value.message


def test_a_serial_number_with_symbols_is_refused_as_invalid(customer):
    with pytest.raises(DeviceClaimError) as caught:
        device_claim(user=customer, serial_number="163C/'; DROP")
    assert caught.value.code == DeviceClaimError.INVALID


def test_claiming_a_device_already_in_your_account_says_so(customer):
    DeviceFactory(serial_number="163CAAAA000002", owner=customer)
    with pytest.raises(DeviceClaimError) as caught:
        device_claim(user=customer, serial_number="163CAAAA000002")
    assert caught.value.code == DeviceClaimError.ALREADY_YOURS


def test_a_device_in_another_account_is_refused_without_naming_that_account(
    customer, other_customer
):
    device = DeviceFactory(serial_number="163CAAAA000003", owner=other_customer)

    with pytest.raises(DeviceClaimError) as caught:
        device_claim(user=customer, serial_number="163CAAAA000003")

    assert caught.value.code == DeviceClaimError.OTHER_ACCOUNT
    message = caught.value.message
    assert "another account" in message
    for secret in ("bob", "Bob", "Bernard", "example.com", str(other_customer.pk)):
        assert secret not in message
    device.refresh_from_db()
    assert device.owner == other_customer


def test_releasing_a_device_takes_it_out_of_the_account(customer):
    device = DeviceFactory(owner=customer)
    device_release(user=customer, device=device)
    device.refresh_from_db()
    assert device.owner is None
    assert device.added_to_account_at is None


def test_nobody_can_release_a_device_of_another_account(customer, other_customer):
    device = DeviceFactory(owner=other_customer)
    with pytest.raises(type(device).DoesNotExist):
        device_release(user=customer, device=device)
    device.refresh_from_db()
    assert device.owner == other_customer
