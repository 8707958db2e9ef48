"""Case numbers: `CAS-` + 7 digits + `-` + 6 characters, as the guide prints them
(« numéro de dossier (format CAS-XXXXXXX-XXXXXX) », seed 001, step 12).

Both parts come from `secrets`: no date, no sequence, so one case number says nothing about
another and cannot be guessed from it (the number is also what the public progress query asks
for, with the e-mail address). Uniqueness is the database's job (a unique column); the caller
retries on a collision.
"""

from __future__ import annotations

import re
import secrets

# Upper case without the look-alikes 0/O, 1/I/L: the number is read aloud on the phone and
# copied from paper (the printed case form).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# ASCII digits only (Python's `\d` also takes other scripts' digits); as published in the API's
# schema, where `$` ends the string (in Python it may stand before a final line break).
CASE_NUMBER_PATTERN = r"^CAS-[0-9]{7}-[A-Z0-9]{6}$"
CASE_NUMBER_RE = re.compile(CASE_NUMBER_PATTERN[:-1] + r"\Z")


def case_number_generate() -> str:
    digits = f"{secrets.randbelow(10**7):07d}"
    letters = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"CAS-{digits}-{letters}"


def is_case_number(value: str) -> bool:
    return bool(CASE_NUMBER_RE.match(value or ""))
