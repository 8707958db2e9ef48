"""Case numbers as the guide prints them (CAS-XXXXXXX-XXXXXX): the format, a random part from
an unambiguous alphabet, unique, a collision drawing a new number."""

from __future__ import annotations

import re
from unittest import mock

import pytest

from aftersales.repairs import services
from aftersales.repairs.case_numbers import ALPHABET, case_number_generate, is_case_number
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step

FORMAT = re.compile(r"^CAS-\d{7}-[A-Z0-9]{6}$")


def test_case_numbers_have_the_guides_format_and_no_look_alikes():
    numbers = {case_number_generate() for _ in range(2000)}
    assert len(numbers) == 2000
    for number in numbers:
        assert FORMAT.match(number), number
        assert is_case_number(number)
        assert not set(number[-6:]) & set("0O1IL")
    assert set(ALPHABET) >= {character for number in numbers for character in number[-6:]}


def test_is_case_number_refuses_other_shapes():
    assert not is_case_number("CAS-123456-ABCDEF")
    assert not is_case_number("cas-1234567-abcdef")


@pytest.mark.django_db
def test_a_collision_draws_another_number(customer, mine, paris, europe, repair_centre):
    first = answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )
    second = answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )
    numbers = iter(["CAS-1234567-ABCDEF", "CAS-1234567-ABCDEF", "CAS-7654321-GHJKMN"])
    with mock.patch("aftersales.repairs.services.case_number_generate", lambda: next(numbers)):
        one = services.case_submit(repair_request=first, user=customer, terms_accepted=True)
        two = services.case_submit(repair_request=second, user=customer, terms_accepted=True)
    assert one.case_number == "CAS-1234567-ABCDEF"
    assert two.case_number == "CAS-7654321-GHJKMN"
    assert RepairRequest.objects.filter(case_number__isnull=False).count() == 2


def test_is_case_number_takes_ascii_digits_and_nothing_after():
    assert not is_case_number("CAS-١٢٣٤٥٦٧-ABCDEF")  # Arabic-Indic digits
    assert not is_case_number("CAS-1234567-ABCDEF\n")
