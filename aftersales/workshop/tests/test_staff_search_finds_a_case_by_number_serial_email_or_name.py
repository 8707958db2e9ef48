"""Staff search: by case number (whole, or its beginning as typed), by serial number — the
case's, the device's, the one reception read on the unit, and a unit's former or later serial
numbers (the plan's history, the replacements) —, by the customer's e-mail (exact, any case) or
name. Only indexed lookups: no search scans the cases with a pattern that starts with a
wildcard."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory
from aftersales.workshop import services
from aftersales.workshop.selectors import case_number_prefix
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


def found(client, query: str) -> list[str]:
    response = client.get(reverse("workshop:search"), {"q": query})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        return [response.url.rstrip("/").rsplit("/", 1)[-1]]
    return re.findall(r"<code>(CAS-[0-9]{7}-[A-Z0-9]{6})</code>", response.text)


@pytest.fixture
def searcher(client, agent):
    client.force_login(agent)
    return client


def test_a_whole_case_number_opens_the_case_and_its_beginning_lists_cases(searcher, case):
    response = searcher.get(reverse("workshop:search"), {"q": f"  {case.case_number.lower()} "})
    assert response.status_code == 302
    assert response.url == reverse("workshop:case", args=[case.case_number])
    digits = case.case_number[4:11]
    other = SubmittedCaseFactory(case_number=f"CAS-{digits}-ZZZZZ9")
    assert set(found(searcher, f"cas-{digits[:5]}")) == {case.case_number, other.case_number}
    assert set(found(searcher, digits)) == {case.case_number, other.case_number}
    assert found(searcher, "CAS-9999") == []


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [
        ("CAS-1234567-ABC", "CAS-1234567-ABC"),
        ("cas1234567abcdef", "CAS-1234567-ABCDEF"),
        ("1234567", "CAS-1234567"),
        ("cas-12", "CAS-12"),
        ("12", None),
        ("163CFR0DEMO001", None),
        ("alice@example.com", None),
    ],
)
def test_a_case_number_is_read_as_people_type_it(typed, prefix):
    assert case_number_prefix(typed) == prefix


def test_a_unit_is_found_by_every_serial_number_it_had(
    searcher, case, people_for_search, spare, unit
):
    walk_to(case, S.REPLACING, **people_for_search)
    services.case_replace_unit(
        case=case, by=people_for_search["technician"], new_serial_number=spare.serial_number
    )
    # A later case about the new unit, declared by the customer with the new serial.
    later = SubmittedCaseFactory(user=case.user, serial_number=spare.serial_number, device=spare)
    # Both cases, whichever serial number is typed (the old unit's, the new one's).
    for serial in (unit.serial_number, spare.serial_number.lower()):
        assert set(found(searcher, serial)) == {case.case_number, later.case_number}


def test_the_serial_number_read_at_reception_finds_the_case(searcher, case, reception):
    services.case_receive(
        case=case, by=reception, contents="complete_set", serial_number_read="163CREAD00042"
    )
    assert found(searcher, "163cread00042") == [case.case_number]


def test_a_customer_is_found_by_e_mail_in_any_case_or_by_name(searcher, case, other_customer):
    theirs = SubmittedCaseFactory(user=other_customer)
    assert found(searcher, "ALICE@Example.com") == [case.case_number]
    assert found(searcher, "alice@example") == []  # exact, not a beginning
    assert found(searcher, "durand") == [case.case_number]
    assert found(searcher, "Alice Durand") == [case.case_number]
    assert found(searcher, "Durand Alice") == [case.case_number]
    assert found(searcher, "ber") == [theirs.case_number]


def test_drafts_are_never_found(searcher, customer):
    RepairRequestFactory(user=customer, serial_number="163CDRAFT0001")
    assert found(searcher, "163CDRAFT0001") == []
    assert found(searcher, "alice@example.com") == []


def test_nothing_found_says_so_with_the_query_kept(searcher):
    response = searcher.get(reverse("workshop:search"), {"q": "163CNOTHING01"})
    assert 'id="no-results"' in response.text and 'value="163CNOTHING01"' in response.text


def test_no_search_scans_with_a_leading_wildcard(searcher, case):
    for query in (case.case_number[:9], case.serial_number, "alice@example.com", "Alice Durand"):
        with CaptureQueriesContext(connection) as queries:
            searcher.get(reverse("workshop:search"), {"q": query})
        for query_sql in queries.captured_queries:
            sql = query_sql["sql"].upper()
            assert "LIKE '%" not in sql and "LIKE %" not in sql, sql
            assert 'UPPER("REPAIRS_REPAIRREQUEST"' not in sql, sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared plans")
def test_only_a_name_is_planned_with_its_words(searcher, case):
    """A name's beginning may match a few customers or thousands: its statements are planned
    with the words typed (`core.planning`; a generic plan took a second). A case number, a
    serial number or an e-mail address is an index lookup whatever its value: planned once and
    reused, without the transaction that planning with the words needs."""

    def planned_with_words(query: str) -> bool:
        with CaptureQueriesContext(connection) as queries:
            assert case.case_number in found(searcher, query)
        return any("plan_cache_mode" in query_sql["sql"] for query_sql in queries.captured_queries)

    assert planned_with_words("Alice Durand")
    assert planned_with_words("Durand")
    assert not planned_with_words(case.serial_number)
    assert not planned_with_words(case.case_number[:12])
    assert not planned_with_words("alice@example.com")


@pytest.fixture
def people_for_search(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}
