"""`POST /api/v1/devices`: a store registers a unit it sold."""

from __future__ import annotations

from unittest import mock

from django.db import IntegrityError

from aftersales.devices.models import Device
from aftersales.devices.tests.factories import DeviceFactory

from .conftest import assert_refused

URL = "/api/v1/devices"


def test_a_store_registers_a_device_not_activated_yet(api, mavic_2_pro):
    response = api.post(
        URL,
        {"serial_number": "163dg-9r0 0abc12", "model": "mavic-2-pro", "purchase_country": "FR"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["serial_number"] == "163DG9R00ABC12"
    assert body["model"] == "mavic-2-pro"
    assert body["purchase_country"] == "FR"
    assert body["activated_at"] is None
    device = Device.objects.get(serial_number="163DG9R00ABC12")
    assert device.model == mavic_2_pro
    assert device.owner is None


def test_a_store_registers_a_device_with_its_activation_date(api, mavic_2_pro):
    response = api.post(
        URL,
        {
            "serial_number": "163DG9R00ABC12",
            "model": "mavic-2-pro",
            "purchase_country": "FR",
            "activated_at": "2026-01-14T09:30:00+01:00",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    device = Device.objects.get(serial_number="163DG9R00ABC12")
    assert device.activated_at.isoformat() == "2026-01-14T08:30:00+00:00"
    assert str(device.purchase_country) == "FR"


def test_an_existing_serial_number_is_a_conflict_even_written_differently(api, mavic_2_pro):
    DeviceFactory(serial_number="163DG9R00ABC12", model=mavic_2_pro)

    response = api.post(
        URL,
        {"serial_number": "163dg9r00abc12", "model": "mavic-2-pro", "purchase_country": "FR"},
        format="json",
    )

    assert_refused(response, 409, "device_exists")
    assert Device.objects.count() == 1


def test_a_device_registered_at_the_same_moment_elsewhere_is_a_conflict(api, mavic_2_pro):
    with mock.patch.object(Device.objects, "create", side_effect=IntegrityError("unique")):
        response = api.post(
            URL,
            {"serial_number": "163DG9R00ABC12", "model": "mavic-2-pro", "purchase_country": "FR"},
            format="json",
        )

    assert_refused(response, 409, "device_exists")


def test_an_unknown_country_is_a_field_error(api, mavic_2_pro):
    for country in ["XX", "fr", "FRA", "250"]:
        response = api.post(
            URL,
            {
                "serial_number": "163DG9R00ABC12",
                "model": "mavic-2-pro",
                "purchase_country": country,
            },
            format="json",
        )

        assert response.status_code == 400, country
        assert set(response.json()) == {"purchase_country"}
    assert not Device.objects.exists()


def test_an_unknown_model_is_refused(api, mavic_2_pro):
    response = api.post(
        URL,
        {"serial_number": "163DG9R00ABC12", "model": "mavic-9", "purchase_country": "FR"},
        format="json",
    )

    assert_refused(response, 422, "model_unknown")
    assert not Device.objects.exists()


def test_missing_fields_are_field_errors(api, db):
    response = api.post(URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"serial_number", "model", "purchase_country"}


def test_a_serial_number_of_only_dashes_or_with_symbols_is_refused(api, mavic_2_pro):
    for serial in ["--", "163DG9R00/ABC"]:
        response = api.post(
            URL,
            {"serial_number": serial, "model": "mavic-2-pro", "purchase_country": "FR"},
            format="json",
        )

        assert response.status_code == 400
        assert list(response.json()) == ["serial_number"]


def test_an_activation_date_in_the_future_is_refused(api, mavic_2_pro):
    response = api.post(
        URL,
        {
            "serial_number": "163DG9R00ABC12",
            "model": "mavic-2-pro",
            "purchase_country": "FR",
            "activated_at": "2999-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["activated_at"]


def test_a_body_that_is_not_json_is_a_parse_error(api, db):
    response = api.generic("POST", URL, "{not json", content_type="application/json")

    assert_refused(response, 400, "parse_error")


def test_a_form_encoded_body_is_refused(api, db):
    response = api.post(URL, {"serial_number": "X"})

    assert_refused(response, 415, "unsupported_media_type")
