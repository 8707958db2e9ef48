import pytest
from django.core.cache import cache

from aftersales.devices import services
from aftersales.devices.services import DeviceClaimError, device_claim

from .factories import DeviceFactory


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _fail(user, times):
    for n in range(times):
        with pytest.raises(DeviceClaimError):
            device_claim(user=user, serial_number=f"UNKNOWN{n:07d}")


def test_too_many_unknown_serial_numbers_lock_the_customer_out_for_a_while(customer):
    DeviceFactory(serial_number="163CBBBB000001")
    _fail(customer, services.CLAIM_FAILURE_LIMIT)

    # Even a right serial number is refused now: the answer must not tell which ones exist.
    with pytest.raises(DeviceClaimError) as caught:
        device_claim(user=customer, serial_number="163CBBBB000001")
    assert caught.value.code == DeviceClaimError.RATE_LIMITED
    assert "wait" in caught.value.message


def test_serial_numbers_of_other_accounts_count_as_failed_attempts(customer, other_customer):
    DeviceFactory(serial_number="163CBBBB000002", owner=other_customer)
    for _ in range(services.CLAIM_FAILURE_LIMIT):
        with pytest.raises(DeviceClaimError):
            device_claim(user=customer, serial_number="163CBBBB000002")
    with pytest.raises(DeviceClaimError) as caught:
        device_claim(user=customer, serial_number="163CBBBB000002")
    assert caught.value.code == DeviceClaimError.RATE_LIMITED


def test_the_limit_is_per_customer(customer, other_customer):
    DeviceFactory(serial_number="163CBBBB000003")
    _fail(customer, services.CLAIM_FAILURE_LIMIT)
    assert device_claim(user=other_customer, serial_number="163CBBBB000003").owner == other_customer


def test_a_few_typos_do_not_lock_anybody_out(customer):
    DeviceFactory(serial_number="163CBBBB000004")
    _fail(customer, services.CLAIM_FAILURE_LIMIT - 1)
    assert device_claim(user=customer, serial_number="163CBBBB000004").owner == customer
