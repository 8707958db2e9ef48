"""Checks on what customers type in their address book: phone numbers (phonenumbers) and EU VAT
numbers (python-stdnum, offline: format and check digits, no call to VIES)."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

__all__ = ["ValidationError", "normalize_phone", "normalize_postcode", "normalize_vat_number"]

# VAT prefixes differ from ISO country codes for Greece only.
_VAT_PREFIX = {"GR": "EL"}


def normalize_phone(value: str, country_code: str) -> str:
    """A valid number in international format (+33 6 12 34 56 78), or ValidationError."""
    try:
        number = phonenumbers.parse(value, country_code.upper())
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Enter a valid phone number, e.g. +33 6 12 34 56 78."), code="invalid_phone"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This phone number is not valid for the country. Check it, with its country code."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_eu_vat_country(country_code: str) -> bool:
    # python-stdnum lists the member states by ISO code, in lower case ("fr", "gr").
    return country_code.lower() in eu_vat.MEMBER_STATES


def validate_vat_number_format(value: str) -> None:
    if value and not re.fullmatch(r"[A-Za-z0-9 .\-]+", value):
        raise ValidationError(
            _("A VAT number has only letters and digits."), code="invalid_vat_number"
        )


def normalize_vat_number(value: str, country_code: str) -> str:
    """An EU VAT number with its country prefix (FR40303265045), checked offline.

    Outside the EU the number is kept as typed (trimmed, upper-case): there is no offline check.
    """
    compact = re.sub(r"[\s.\-]", "", value).upper()
    country_code = country_code.upper()
    if not is_eu_vat_country(country_code):
        return compact
    prefix = _VAT_PREFIX.get(country_code, country_code)
    if not compact[:2].isalpha():
        compact = prefix + compact
    if compact[:2] != prefix:
        raise ValidationError(
            _("This VAT number is not from the address's country: it should start with %(prefix)s.")
            % {"prefix": prefix},
            code="vat_country_mismatch",
        )
    try:
        return str(eu_vat.validate(compact))
    except StdnumError:
        raise ValidationError(
            _("This VAT number is not valid: check its digits (for example FR40303265045)."),
            code="invalid_vat_number",
        ) from None


# Countries whose postcodes we know well enough to check; elsewhere only the characters are.
_POSTCODE_PATTERNS = {
    "FR": r"\d{5}",
    "DE": r"\d{5}",
    "BE": r"\d{4}",
    "NL": r"\d{4} ?[A-Z]{2}",
}
_POSTCODE_EXAMPLES = {"FR": "75002", "DE": "10115", "BE": "1000", "NL": "1012 AB"}
POSTCODE_MAX_LENGTH = 12


def normalize_postcode(value: str, country_code: str) -> str:
    """The postcode trimmed and upper-cased (1012 ab → 1012 AB), or ValidationError."""
    postcode = " ".join(value.split()).upper()
    if not postcode:
        raise ValidationError(_("Enter the postcode."), code="required")
    if len(postcode) > POSTCODE_MAX_LENGTH or not re.fullmatch(r"[A-Z0-9][A-Z0-9 \-]*", postcode):
        raise ValidationError(
            _("A postcode has only letters, digits, spaces and dashes."), code="invalid_postcode"
        )
    country_code = country_code.upper()
    pattern = _POSTCODE_PATTERNS.get(country_code)
    if pattern and not re.fullmatch(pattern, postcode):
        raise ValidationError(
            _("This postcode is not valid for the country, e.g. %(example)s.")
            % {"example": _POSTCODE_EXAMPLES[country_code]},
            code="invalid_postcode",
        )
    if country_code == "NL" and " " not in postcode:
        # The Dutch post writes "1012 AB"; keep one form so that addresses compare equal.
        postcode = f"{postcode[:4]} {postcode[4:]}"
    return postcode
