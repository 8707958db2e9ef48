import pytest

from aftersales.devices.models import normalize_serial_number

from .factories import DeviceFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("163dg9r0a1b2c3", "163DG9R0A1B2C3"),
        ("  163D G9R0-A1B2C3\t", "163DG9R0A1B2C3"),
        ("", ""),
    ],
)
def test_serial_numbers_are_trimmed_without_spaces_or_dashes_in_upper_case(typed, stored):
    assert normalize_serial_number(typed) == stored


def test_a_device_is_saved_with_its_serial_number_normalised(db):
    device = DeviceFactory(serial_number=" 163dg-9r0a1b2c3 ")
    device.refresh_from_db()
    assert device.serial_number == "163DG9R0A1B2C3"
