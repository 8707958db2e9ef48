"""The whole partner API fuzzed from its own OpenAPI schema (schemathesis, in-process through
WSGI, on the test database): every operation, valid and invalid input, a bounded number of cases.
No answer is a 5xx, every answer is one the schema documents (status, content type, body), what
the schema calls valid is accepted (2xx, or a rule's 404/409/422: never a 400), and what it calls
invalid is refused (issue 7).

Each operation is called with a store's token, the replacement with a repair centre's. Valid
cases name the cast's real plan, case, units and activation card now and then (chosen from the
case's own data, so the run is the same every time), so that the rules behind the format checks
run too, not only "unknown"."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.services import activation_codes_generate

from .conftest import case_about

# How many cases per operation and generation mode: the run stays well under a minute on both
# databases. `deterministic`: the same cases on every run (no flaky CI, failures reproduce).
MAX_EXAMPLES = 25

CONFIG = SchemathesisConfig.from_dict(
    {
        # No example database either: nothing is written to the work tree, nothing replayed.
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        # Formats with a pattern (serial numbers, codes) make Hypothesis discard many drafts of
        # invalid input: expected here, and not a sign of a slow or skewed test.
        "suppress-health-check": ["filter_too_much", "too_slow"],
        "checks": {
            # A rule may refuse well-formed input (unknown serial number, plan already bound…):
            # 404, 409 and 422 are answers to valid input. 400 is not: it would mean the schema
            # calls valid what the API refuses as malformed.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            },
        },
    }
)

REPLACEMENTS = "/api/v1/plans/{plan_reference}/replacements"


def _moments() -> st.SearchStrategy[str]:
    """Valid `date-time` values as the API takes them: RFC 3339 with an offset, between 2000
    and yesterday (the schema says "from 2000 to now" in words; JSON Schema cannot)."""
    offsets = st.sampled_from(
        [
            UTC,
            timezone(timedelta(hours=1)),
            timezone(timedelta(hours=-5)),
            timezone(timedelta(hours=5, minutes=30)),
        ]
    )
    return st.datetimes(
        min_value=datetime(2000, 1, 2), max_value=datetime(2025, 12, 31), timezones=offsets
    ).map(lambda moment: moment.isoformat())


@pytest.fixture(autouse=True)
def _valid_moments() -> Iterator[None]:
    schemathesis.openapi.format("date-time", _moments())
    yield
    from schemathesis.specs.openapi.formats import unregister_string_format

    unregister_string_format("date-time")


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The project's WSGI application, as gunicorn runs it. Inside the test's transaction the
    connection must outlive each request, as with Django's test client."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def cast(partner, repair_centre, current_plan, offering, mavic_2_pro) -> dict[str, Any]:
    """Real values a valid case may name: the plan, a case about its unit, stock units, a card."""
    case = case_about(current_plan.device, plan=current_plan)
    stock = [DeviceFactory(model=mavic_2_pro, purchase_country="FR") for _ in range(3)]
    card = activation_codes_generate(offering=offering, country="FR", quantity=1).codes.get()
    return {
        "store": Token.objects.create(user=partner).key,
        "centre": Token.objects.create(user=repair_centre).key,
        "plan": str(current_plan.reference),
        "case": case.case_number,
        "serials": [current_plan.device.serial_number, *(unit.serial_number for unit in stock)],
        "card": card.formatted,
    }


@pytest.fixture
def api_schema(db, wsgi_app, cast):
    return schemathesis.openapi.from_wsgi(
        "/api/v1/schema/",
        wsgi_app,
        config=CONFIG,
        headers={"Accept": "application/vnd.oai.openapi+json"},
    )


schema = schemathesis.pytest.from_fixture("api_schema")


def _pick(case: Any, salt: str, choices: list[str]) -> str | None:
    """One of `choices` for about half of the cases, none for the others: decided by the case's
    own content, so the same case always gets the same value."""
    digest = hashlib.sha256(f"{salt}:{case.path_parameters}:{case.body}".encode()).digest()
    if digest[0] % 2:
        return None
    return choices[digest[1] % len(choices)]


def _realistic(case: Any, cast: dict[str, Any]) -> None:
    """Valid cases only (an invalid case must stay invalid): name real data now and then."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if case.path == REPLACEMENTS:
        case.path_parameters["plan_reference"] = cast["plan"]
    if "serial_number" in (case.path_parameters or {}):
        real = _pick(case, "path-serial", cast["serials"])
        if real:
            case.path_parameters["serial_number"] = real
    if isinstance(case.body, dict):
        for field, salt, choices in [
            ("serial_number", "serial", cast["serials"]),
            ("new_serial_number", "new-serial", cast["serials"]),
            ("case_number", "case", [cast["case"]]),
            ("activation_code", "card", [cast["card"]]),
            ("model", "model", ["mavic-2-pro"]),
            ("offering", "offering", ["care-refresh-mavic-2"]),
        ]:
            real = _pick(case, salt, choices) if field in case.body else None
            if real:
                case.body[field] = real


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


@schema.parametrize()
def test_every_operation_answers_any_input_as_its_schema_says(case, cast):
    _realistic(case, cast)
    token = cast["centre"] if case.path == REPLACEMENTS else cast["store"]
    # No text may hold NUL: the docs say it once rather than on every field, so a valid case
    # with one may be refused at its field (400) — still never a 5xx, still as documented.
    excluded = (
        [positive_data_acceptance]
        if _holds_nul((case.path_parameters, case.query, case.body))
        else []
    )

    case.call_and_validate(headers={"Authorization": f"Token {token}"}, excluded_checks=excluded)
