from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from aftersales.accounts import validators
from aftersales.accounts.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("06 12 34 56 78", "FR", "+33 6 12 34 56 78"),
        ("+33612345678", "FR", "+33 6 12 34 56 78"),
        ("020 123 4567", "NL", "+31 20 123 4567"),
        ("+49 30 123456", "FR", "+49 30 123456"),
    ],
)
def test_phone_numbers_are_normalised_to_international_format(typed, country, expected):
    assert validators.normalize_phone(typed, country) == expected


@pytest.mark.parametrize("typed", ["12", "abc", "", "+33 1"])
def test_invalid_phone_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        validators.normalize_phone(typed, "FR")


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("FR40303265045", "FR", "FR40303265045"),
        ("40303265045", "FR", "FR40303265045"),
        ("NL004495445B01", "NL", "NL004495445B01"),
        ("EL094259216", "GR", "EL094259216"),
        ("GB123", "GB", "GB123"),  # outside the EU: kept as typed, no offline check
    ],
)
def test_vat_numbers_are_checked_offline_and_normalised(typed, country, expected):
    assert validators.normalize_vat_number(typed, country) == expected


def test_a_vat_number_with_wrong_check_digits_is_refused():
    with pytest.raises(ValidationError) as error:
        validators.normalize_vat_number("FR12345678901", "FR")
    assert error.value.code == "invalid_vat_number"


def test_a_vat_number_of_another_country_is_refused():
    with pytest.raises(ValidationError) as error:
        validators.normalize_vat_number("NL004495445B01", "FR")
    assert error.value.code == "vat_country_mismatch"


def test_greek_vat_numbers_use_the_el_prefix():
    with pytest.raises(ValidationError) as error:
        validators.normalize_vat_number("GR094259216", "GR")
    assert "EL" in error.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("75002", "FR", "75002"),
        (" 10115 ", "DE", "10115"),
        ("1000", "BE", "1000"),
        ("1012ab", "NL", "1012 AB"),
        ("1012 AB", "NL", "1012 AB"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("EC1A-1BB", "GB", "EC1A-1BB"),
    ],
)
def test_postcodes_are_normalised(typed, country, expected):
    assert validators.normalize_postcode(typed, country) == expected


@pytest.mark.parametrize(
    ("typed", "country"),
    [
        ("7500", "FR"),
        ("750021", "FR"),
        ("ABCDE", "DE"),
        ("10000", "BE"),
        ("1012", "NL"),
        ("  ", "GB"),
        ("<b>", "GB"),
        ("1" * 13, "US"),
    ],
)
def test_bad_postcodes_are_refused(typed, country):
    with pytest.raises(ValidationError):
        validators.normalize_postcode(typed, country)


def test_address_clean_puts_each_error_at_its_field():
    address = AddressFactory.build(
        phone="12", vat_number="FR12345678901", company="", postcode="7500"
    )
    with pytest.raises(ValidationError) as error:
        address.full_clean(exclude=["user"])
    assert set(error.value.message_dict) == {"phone", "vat_number", "company", "postcode"}
