"""A second partner against every endpoint and every method of the partner API (issue 7, OWASP
API1): what the first store registered and sold is never changed by another store, never shown
with anything of the first store, and no answer names a row by its sequential id. A store may
read any unit's coverage and sell a plan for any registered unit (a unit bought in one store may
get its plan in another); granting a replacement is a repair centre's, for a case of the plan.

Every route of /api/v1/ and every method is in the matrix: a new endpoint fails here until its
row says what a second partner may do with it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.api import PARTNER_GROUP
from aftersales.devices.models import Device
from aftersales.plans.models import Plan, PlanEvent
from aftersales.plans.services import activation_codes_generate

from .conftest import case_about, token_client


@dataclass
class World:
    """Store A's data, made through the API as a store makes it."""

    store_a: Any
    store_b: Any
    a: Any  # store A's API client
    b: Any  # store B's
    planned: Device  # registered by A, with a plan A sold
    plain: Device  # registered by A, no plan yet
    plan: Plan
    card: str  # an activation card (sold anywhere)


def _register(client, serial_number: str) -> Device:
    response = client.post(
        "/api/v1/devices",
        {
            "serial_number": serial_number,
            "model": "mavic-2-pro",
            "purchase_country": "FR",
            "activated_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return Device.objects.get(serial_number=serial_number)


@pytest.fixture
def world(partner, offering, mavic_2_pro) -> World:
    store_b = UserFactory(email="other-store@example.com", first_name="Other store")
    store_b.groups.add(Group.objects.get(name=PARTNER_GROUP))
    a = token_client(partner)
    planned = _register(a, "163DG9R00AAA01")
    plain = _register(a, "163DG9R00AAA02")
    response = a.post(
        "/api/v1/plans",
        {
            "serial_number": planned.serial_number,
            "offering": offering.code,
            "purchase_country": "FR",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    card = activation_codes_generate(offering=offering, country="FR", quantity=1).codes.get()
    return World(
        store_a=partner,
        store_b=store_b,
        a=a,
        b=token_client(store_b),
        planned=planned,
        plain=plain,
        plan=Plan.objects.get(device=planned),
        card=card.formatted,
    )


def snapshot() -> dict[str, Any]:
    """Every device, plan and ledger row as stored: any change by a request shows."""
    return {
        "devices": list(Device.objects.order_by("pk").values()),
        "plans": list(Plan.objects.order_by("pk").values()),
        "events": list(PlanEvent.objects.order_by("pk").values()),
    }


def keys_and_values(data: Any) -> tuple[set[str], list[str]]:
    keys: set[str] = set()
    values: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            keys.update(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            values.append(str(item))
    return keys, values


def assert_nothing_of_store_a(response, world: World) -> None:
    """No answer names the other store, its account or a row's sequential id."""
    text = response.content.decode()
    assert world.store_a.email not in text
    assert "Store" not in text  # store A's name
    if not text:
        return
    keys, _values = keys_and_values(json.loads(text))
    assert not keys & {"id", "registered_by", "sold_by", "owner", "user", "partner"}


# --- What a second store may do with each endpoint -------------------------------------------


@dataclass(frozen=True)
class Row:
    """One route and method: what store B sends and what it gets. `{planned}`, `{plain}`,
    `{plan}` and `{card}` stand for store A's data."""

    method: str
    path: str
    body: dict[str, str] | None
    status: int
    code: str | None = None


PLAN_PATH = "/api/v1/plans/{plan}/replacements"
READS = [
    Row("GET", "/api/v1/ping", None, 200),
    Row("GET", "/api/v1/models", None, 200),
    Row("GET", "/api/v1/offerings", None, 200),
    # Any unit's coverage: the same answer as for the store that sold its plan.
    Row("GET", "/api/v1/devices/{planned}/coverage", None, 200),
]
WRITES = [
    # The same serial registered again: refused, nothing of the first registration shown.
    Row(
        "POST",
        "/api/v1/devices",
        {"serial_number": "{planned}", "model": "mavic-2-pro", "purchase_country": "DE"},
        409,
        "device_exists",
    ),
    # A's unit with A's plan: refused (selling for A's unit without a plan: see below).
    Row(
        "POST",
        "/api/v1/plans",
        {
            "serial_number": "{planned}",
            "offering": "care-refresh-mavic-2",
            "purchase_country": "FR",
        },
        422,
        "already_has_plan",
    ),
    Row(
        "POST",
        "/api/v1/plans/activate",
        {"serial_number": "{planned}", "activation_code": "{card}"},
        422,
        "already_has_plan",
    ),
    # A store, even the one that sold the plan, grants no replacement.
    Row(
        "POST",
        PLAN_PATH,
        {"new_serial_number": "{plain}", "reason": "Crash", "case_number": "CAS-1234567-ABCDEF"},
        403,
        "permission_denied",
    ),
]
MATRIX = READS + WRITES


def fill(template: str, world: World) -> str:
    return template.format(
        planned=world.planned.serial_number,
        plain=world.plain.serial_number,
        plan=world.plan.reference,
        card=world.card,
    )


def send(client, row: Row, world: World, method: str | None = None):
    body = json.dumps({k: fill(v, world) for k, v in row.body.items()}) if row.body else ""
    return client.generic(
        method or row.method, fill(row.path, world), body, content_type="application/json"
    )


def test_every_route_and_method_of_the_api_is_in_the_matrix(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    documented = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }
    as_documented = {"{planned}": "{serial_number}", "{plan}": "{plan_reference}"}
    in_matrix = set()
    for row in MATRIX:
        path = row.path
        for ours, theirs in as_documented.items():
            path = path.replace(ours, theirs)
        in_matrix.add((row.method, path))

    assert in_matrix == documented


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row.method} {row.path}")
def test_a_second_store_gets_what_the_matrix_says_and_nothing_of_the_first(world, row):
    before = snapshot()

    response = send(world.b, row, world)

    assert response.status_code == row.status, response.content
    if row.code:
        assert response.json()["code"] == row.code
    assert_nothing_of_store_a(response, world)
    assert snapshot() == before


@pytest.mark.parametrize("row", READS, ids=lambda row: row.path)
def test_what_a_second_store_reads_is_what_the_first_reads(world, row):
    first = send(world.a, row, world)
    second = send(world.b, row, world)

    assert second.status_code == first.status_code == 200
    assert second.json() == first.json()


def test_coverage_names_the_plan_by_its_random_reference_only(world):
    body = world.b.get(f"/api/v1/devices/{world.planned.serial_number}/coverage").json()

    assert body["plan"]["reference"] == str(world.plan.reference)
    keys, _values = keys_and_values(body)
    assert "id" not in keys


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_no_route_takes_another_method(world, method):
    b = world.b
    before = snapshot()

    for row in MATRIX:
        response = send(b, row, world, method=method)

        expected = 403 if row.path == PLAN_PATH else 405  # a store may not use that route at all
        assert response.status_code == expected, (row.path, response.content)
    assert snapshot() == before


def test_reading_a_write_route_is_not_allowed(world):
    b = world.b
    for row in WRITES:
        response = send(b, row, world, method="GET")

        assert response.status_code == (403 if row.path == PLAN_PATH else 405), row.path


# --- Selling for a unit another store registered: allowed, and nothing of it shown ----------------


def test_a_second_store_sells_a_plan_for_a_unit_the_first_registered(world, offering):
    b = world.b

    response = b.post(
        "/api/v1/plans",
        {
            "serial_number": world.plain.serial_number,
            "offering": offering.code,
            "purchase_country": "FR",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert_nothing_of_store_a(response, world)
    plan = Plan.objects.get(device=world.plain)
    assert plan.sold_by == world.store_b
    world.plain.refresh_from_db()
    assert world.plain.registered_by == world.store_a


def test_a_second_store_redeems_a_card_for_a_unit_the_first_registered(world):
    b = world.b

    response = b.post(
        "/api/v1/plans/activate",
        {"serial_number": world.plain.serial_number, "activation_code": world.card},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert_nothing_of_store_a(response, world)
    assert Plan.objects.get(device=world.plain).sold_by == world.store_b


def test_the_registry_remembers_who_registered_and_who_sold(world):
    assert world.planned.registered_by == world.store_a
    assert world.plan.sold_by == world.store_a


# --- Replacements: a repair centre's, for a case of the plan -----------------------------------


def test_a_repair_centre_without_a_case_of_the_plan_changes_nothing(world, centre_api):
    unrelated = case_about(world.plain)
    before = snapshot()

    response = centre_api.post(
        fill(PLAN_PATH, world),
        {
            "new_serial_number": "163DG9R00AAA09",
            "reason": "Crash",
            "case_number": unrelated.case_number,
        },
        format="json",
    )

    assert response.status_code == 422
    assert response.json()["code"] == "replaced_unit_not_covered"
    assert_nothing_of_store_a(response, world)
    assert snapshot() == before


def test_a_plan_is_not_found_by_its_sequential_id(world, centre_api):
    case = case_about(world.planned)

    response = centre_api.post(
        f"/api/v1/plans/{world.plan.pk}/replacements",
        {
            "new_serial_number": world.plain.serial_number,
            "reason": "Crash",
            "case_number": case.case_number,
        },
        format="json",
    )

    assert response.status_code == 404
    assert Plan.objects.get(pk=world.plan.pk).replacements_used == 0
