"""`field__prefix=…` (core/lookups.py): the rows whose text starts with a text, `%` and `_`
taken as themselves; on PostgreSQL through a `*_pattern_ops` index even in a prepared
statement's generic plan, which `LIKE $1` (startswith) cannot use (a search by the beginning of
a case number read the whole table once its plan turned generic)."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction

from aftersales.core.lookups import prefix_upper_bound
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests.factories import SubmittedCaseFactory

pytestmark = pytest.mark.django_db


def test_the_upper_bound_is_the_first_text_after_every_text_with_the_prefix():
    assert prefix_upper_bound("CAS-12") == "CAS-13"
    assert prefix_upper_bound("AZ") == "A["
    assert prefix_upper_bound("a\U0010ffff") == "b"
    assert prefix_upper_bound("\U0010ffff") is None
    assert prefix_upper_bound("x\ud7ff") == "x\ue000"
    assert prefix_upper_bound("") is None


def test_the_rows_that_start_with_the_text_and_no_other():
    numbers = ["CAS-1200000-AAAAAA", "CAS-1299999-ZZZZZZ", "CAS-1300000-AAAAAA", "CAS-11_0000-A%"]
    for number in numbers:
        SubmittedCaseFactory(case_number=number)

    def found(prefix: str) -> list[str]:
        return sorted(
            RepairRequest.objects.filter(case_number__prefix=prefix).values_list(
                "case_number", flat=True
            )
        )

    assert found("CAS-12") == numbers[:2]
    assert found("CAS-13") == [numbers[2]]
    assert found("CAS-11_") == [numbers[3]]
    assert found("CAS-1_") == []  # "_" is itself, not any character
    assert found("CAS-11_0000-A%") == [numbers[3]]
    assert found("CAS-1%") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's generic plans")
def test_in_a_generic_plan_the_prefix_is_an_index_range():
    queryset = RepairRequest.objects.filter(case_number__prefix="CAS-12").values("pk")
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    numbered = iter(range(1, len(params) + 1))
    statement = re.sub(r"%s", lambda _match: f"${next(numbered)}", sql)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"PREPARE prefix_search AS {statement}")
        try:
            literals = ", ".join("'" + str(value).replace("'", "''") + "'" for value in params)
            cursor.execute(f"EXPLAIN EXECUTE prefix_search({literals})")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE prefix_search")
    assert "Index Cond" in plan and "~>=~ $1" in plan and "~<~ $2" in plan, plan
