"""The structured reference a customer writes on a bank transfer: an ISO 11649 "RF" creditor
reference (RF, two check digits, up to 21 letters and digits), which banks in the SEPA area
check as it is typed, so that a transfer reaches the agent with a reference that names its case
and what it pays for, and no typing error goes through."""

from __future__ import annotations

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

MAX_BODY = 21


def creditor_reference(*parts: str) -> str:
    """The RF reference (compact, e.g. "RF71CAS1234567ABCDEFR") of `parts`, their letters and
    digits only, upper case. ValueError when nothing or more than 21 characters remain."""
    body = "".join(char for char in "".join(parts).upper() if char.isascii() and char.isalnum())
    if not body or len(body) > MAX_BODY:
        raise ValueError(f"A creditor reference holds 1 to {MAX_BODY} letters and digits.")
    # ISO 11649: the check digits make "body + RF + check" ≡ 1 (mod 97), as IBANs do.
    reference = f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"
    assert iso11649.is_valid(reference)
    return reference


def reference_format(reference: str) -> str:
    """In groups of four, as printed for people ("RF71 CAS1 2345 67AB CDEF R")."""
    return str(iso11649.format(reference))


def reference_compact(text: str) -> str:
    """What a person typed (spaces, lower case) as the compact reference, or "" when it is no
    valid RF reference."""
    try:
        return str(iso11649.validate(text))
    except Exception:  # stdnum's ValidationError and its subclasses
        return ""
