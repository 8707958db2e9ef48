"""`manage.py generate_activation_codes`: a batch of codes as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from aftersales.plans import codes
from aftersales.plans.models import ActivationCode, ActivationCodeBatch


def test_the_command_writes_the_codes_to_a_csv_file(offering, tmp_path):
    output = tmp_path / "codes.csv"

    call_command(
        "generate_activation_codes",
        offering=offering.code,
        country="FR",
        quantity=30,
        batch_size=7,
        output=str(output),
        stderr=io.StringIO(),
    )

    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert len(rows) == 30
    assert {(row["offering"], row["region"]) for row in rows} == {(offering.code, "eu")}
    assert all(codes.is_well_formed(codes.normalize_code(row["code"])) for row in rows)
    assert all(len(row["code"]) == 19 for row in rows)
    assert ActivationCodeBatch.objects.get().quantity == 30
    assert ActivationCode.objects.count() == 30


def test_the_command_writes_to_standard_output_without_a_file(offering):
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command(
        "generate_activation_codes",
        offering=offering.code,
        country="CH",
        quantity=3,
        stdout=stdout,
        stderr=stderr,
    )

    lines = stdout.getvalue().splitlines()
    assert lines[0] == "code,offering,region"
    assert len(lines) == 4
    assert "3 codes" in stderr.getvalue()


def test_an_unknown_offering_is_an_error(db):
    with pytest.raises(CommandError, match="No offering"):
        call_command("generate_activation_codes", offering="nope", country="FR", quantity=1)


def test_a_country_where_the_offering_is_not_sold_is_an_error(offering):
    with pytest.raises(CommandError):
        call_command(
            "generate_activation_codes",
            offering=offering.code,
            country="BR",
            quantity=1,
            stderr=io.StringIO(),
        )
    assert not ActivationCodeBatch.objects.exists()
