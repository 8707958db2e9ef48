"""Activation codes: unguessable, easy to type, with a check character.

A code is 15 random characters and one check character from an alphabet of 31 that leaves out
the characters people confuse (0/O, 1/I/L): 15 × log2(31) ≈ 74 bits of randomness, from
`secrets`. It is shown in groups of four, `XXXX-XXXX-XXXX-XXXX`, and stored without dashes.

Check character: the weighted sum Σ i·v(i) over the 16 positions (weights 1..16) is 0 modulo 31.
31 is prime and every weight is below it, so any single mistyped character and any swap of two
characters is caught, without a database query.

Input is normalised by trimming, upper-casing and dropping spaces and dashes. 0, O, 1, I and L
are *not* mapped to anything: none of them is in the alphabet, so there is no unique character
to map them to, and a code containing one is refused as invalid.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BASE = len(ALPHABET)  # 31, a prime
RANDOM_LENGTH = 15
LENGTH = RANDOM_LENGTH + 1
GROUP = 4

_VALUE = {char: value for value, char in enumerate(ALPHABET)}
_JUNK = re.compile(r"[\s\-]")
_SPACE = BASE**RANDOM_LENGTH
# The check value v(16) must satisfy 16·v(16) ≡ −Σ ≡ (BASE − Σ) mod 31.
_INVERSE_OF_LAST_WEIGHT = pow(LENGTH, -1, BASE)


def normalize_code(value: str) -> str:
    return _JUNK.sub("", value or "").upper()


def format_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def _check_char(body: str) -> str:
    total = sum(weight * _VALUE[char] for weight, char in enumerate(body, start=1))
    return ALPHABET[(-total * _INVERSE_OF_LAST_WEIGHT) % BASE]


def is_well_formed(code: str) -> bool:
    """True when a normalised code has the right length, alphabet and check character."""
    if len(code) != LENGTH or any(char not in _VALUE for char in code):
        return False
    return _check_char(code[:RANDOM_LENGTH]) == code[-1]


def generate_code() -> str:
    """A new normalised code (16 characters, no dashes)."""
    number = secrets.randbelow(_SPACE)
    chars = []
    for _ in range(RANDOM_LENGTH):
        number, value = divmod(number, BASE)
        chars.append(ALPHABET[value])
    body = "".join(chars)
    return body + _check_char(body)
