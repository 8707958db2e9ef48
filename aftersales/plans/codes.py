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
from operator import mul

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

# For generating many codes at once (a batch of a million is a benchmark target): random bytes
# are mapped onto the alphabet by `bytes.translate`, in C, instead of one `randbelow` per code.
# 248 = 8 × 31: the bytes 0..247 map evenly onto the 31 characters; 248..255 are dropped, so
# that every character stays equally likely.
_EVEN = 256 - 256 % BASE
_BYTE_TO_CHAR = bytes(ord(ALPHABET[byte % BASE]) for byte in range(256))
_UNEVEN_BYTES = bytes(range(_EVEN, 256))
_CHAR_TO_VALUE = bytes(_VALUE.get(chr(byte), 0) for byte in range(256))
_WEIGHTS = range(1, RANDOM_LENGTH + 1)
# The check character of each possible weighted sum of a body (at most 15 · 16 / 2 · 30).
_CHECK_CHAR_OF_SUM = [
    ALPHABET[(-total * _INVERSE_OF_LAST_WEIGHT) % BASE]
    for total in range(sum(_WEIGHTS) * (BASE - 1) + 1)
]


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


def generate_codes(count: int) -> list[str]:
    """`count` new normalised codes, as `generate_code` makes them but about seven times faster.

    Duplicates are possible (as between two calls of `generate_code`); the unique index on
    ActivationCode.code is what guarantees single codes.
    """
    needed = count * RANDOM_LENGTH
    chars = b""
    while len(chars) < needed:
        # About 3 % of the bytes are dropped: ask for a little more than is missing.
        missing = needed - len(chars)
        chars += secrets.token_bytes(missing + missing // 16 + 16).translate(
            _BYTE_TO_CHAR, _UNEVEN_BYTES
        )
    chars = chars[:needed]
    values = chars.translate(_CHAR_TO_VALUE)
    text = chars.decode("ascii")
    return [
        text[start : start + RANDOM_LENGTH]
        + _CHECK_CHAR_OF_SUM[sum(map(mul, _WEIGHTS, values[start : start + RANDOM_LENGTH]))]
        for start in range(0, needed, RANDOM_LENGTH)
    ]
