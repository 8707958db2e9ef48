"""Fixtures of the online-payment tests (with the workshop's cast and stripe_fixtures'
`stripe_configured`): import them with `from .paying_fixtures import *`."""

from __future__ import annotations

import pytest

from aftersales.repairs.choices import RequestStatus

__all__ = ["awaiting", "secret"]


@pytest.fixture
def awaiting(case, reception, technician, agent, stripe_configured):
    """Alice chose the plan replacement (109 EUR) and is sent to pay it online."""
    from aftersales.workshop.tests.cast import walk_to

    people = {"reception": reception, "technician": technician, "agent": agent}
    walk_to(case, RequestStatus.AWAITING_PAYMENT, **people)
    return case


@pytest.fixture
def secret(stripe_configured) -> str:
    return stripe_configured["WEBHOOK_SECRET"]
