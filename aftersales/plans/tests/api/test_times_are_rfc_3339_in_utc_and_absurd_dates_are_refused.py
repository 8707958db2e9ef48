"""Times in the API: answered in RFC 3339, in UTC; a time sent must carry its offset and lie
between 2000 and now (issue 7: an activation date in year 292 came back with Amsterdam's
local-mean-time offset, +00:19:32, which is not RFC 3339)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from aftersales.core.api import MomentField
from aftersales.devices.models import Device

URL = "/api/v1/devices"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def register(api, activated_at, serial_number="163DG9R00ABC12"):
    return api.post(
        URL,
        {
            "serial_number": serial_number,
            "model": "mavic-2-pro",
            "purchase_country": "FR",
            "activated_at": activated_at,
        },
        format="json",
    )


@pytest.mark.parametrize(
    "moment",
    [
        "0292-01-01T00:00:00Z",
        "0292-01-01T00:00:00+01:00",
        "1999-12-31T23:59:59Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
    ],
)
def test_an_absurd_date_is_refused_at_its_field(api, mavic_2_pro, moment):
    response = register(api, moment)

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["activated_at"]
    assert not Device.objects.exists()


@pytest.mark.parametrize(
    "moment",
    [
        "2026-01-14T09:30:00",
        "2026-01-14",
        "2026-01-14 09:30:00+01:00",
        "20260114T093000Z",
        1768380000,
    ],
)
def test_a_time_must_be_rfc_3339_with_its_offset(api, mavic_2_pro, moment):
    response = register(api, moment)

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["activated_at"]


def test_the_first_day_of_2000_is_accepted_and_answered_in_utc(api, mavic_2_pro):
    response = register(api, "2000-01-01T01:00:00+01:00")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["activated_at"] == "2000-01-01T00:00:00Z"
    assert RFC3339.fullmatch(body["created_at"]) and body["created_at"].endswith("Z")


def test_lower_case_t_and_z_are_rfc_3339_too(api, mavic_2_pro):
    response = register(api, "2026-01-14t08:30:00z")

    assert response.status_code == 201, response.content
    assert response.json()["activated_at"] == "2026-01-14T08:30:00Z"


def test_a_moment_of_long_ago_is_written_in_utc_without_a_local_mean_time_offset():
    # Stored before this check existed (the admin, the CSV import): still valid RFC 3339 out.
    written = MomentField().to_representation(datetime(292, 1, 1, 0, 0, tzinfo=UTC))

    assert written == "0292-01-01T00:00:00Z"
    assert RFC3339.fullmatch(written)
