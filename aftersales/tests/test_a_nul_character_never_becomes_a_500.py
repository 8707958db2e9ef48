"""A NUL character (`%00` in a URL, `\\u0000` in JSON or a form) never reaches PostgreSQL, which
cannot hold it and answered 500 in many places (issue 7): a path with one is a 404, a query
string or a cookie with one a 400 (the API's JSON under /api/, the plain 400 page elsewhere), and
a field with one is refused at that field, on pages and in the API."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django.conf import settings
from django.test import Client
from rest_framework import relations, serializers

from aftersales.devices.models import Device
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.models import Attachment
from aftersales.repairs.tests.factories import RepairRequestFactory

from .conftest import case_about


@pytest.fixture
def quiet(customer) -> Client:
    """The customer's browser; an exception answers 500 instead of failing the test."""
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    return client


@pytest.fixture
def own_device(customer, mavic_2_pro) -> Device:
    return DeviceFactory(model=mavic_2_pro, owner=customer)


@pytest.fixture
def own_case(customer, own_device):
    return case_about(own_device, user=customer)


def page_paths(own_device, own_case) -> list[str]:
    serial, number = own_device.serial_number, own_case.case_number
    return [
        f"/products/{serial}%00/",
        f"/products/{serial}%00/remove/",
        f"/repairs/cases/{number}%00/",
        f"/repairs/cases/{number}%00/form.pdf",
        f"/repairs/cases/{number}%00/sent/",
        f"/repairs/cases/{number}%00/quote/",
        f"/repairs/cases/{number}%00/cancel/",
        "/repairs/files/abc%00def/",
        "/account/verify/abc%00/",
        "/plans/1%00/",
        "/%00",
    ]


def test_a_nul_in_a_page_address_is_not_found(quiet, own_device, own_case):
    for path in page_paths(own_device, own_case):
        response = quiet.get(path)

        assert response.status_code == 404, path
        assert "404.html" in [template.name for template in response.templates], path


def test_a_nul_in_a_page_address_posted_to_is_not_found(quiet, own_device, own_case):
    response = quiet.post(f"/products/{own_device.serial_number}%00/remove/")

    assert response.status_code == 404
    own_device.refresh_from_db()
    assert own_device.owner_id is not None


@pytest.mark.parametrize(
    "path",
    ["/plans/?x=%00", "/repairs/progress/?case_number=%00", "/repairs/serial-number/?serial=A%00"],
)
def test_a_nul_in_a_query_string_is_a_bad_request_page_in_the_visitors_language(quiet, path):
    quiet.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = quiet.get(path)

    assert response.status_code == 400
    assert "400.html" in [template.name for template in response.templates]
    assert '<html lang="fr">' in response.content.decode()


def test_a_nul_in_a_cookie_is_a_bad_request(quiet):
    # Written by hand: the test client's cookie jar would escape it.
    response = quiet.get("/repairs/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc\x00def")

    assert response.status_code == 400


def test_a_nul_in_a_form_field_is_refused_at_that_field(quiet):
    response = quiet.post("/products/add/", {"serial_number": "163DG9R0\x00001"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["serial_number"]


def test_removing_a_file_by_a_token_with_a_nul_removes_nothing_and_breaks_nothing(quiet, customer):
    draft = RepairRequestFactory(user=customer)
    kept = Attachment.objects.create(
        request=draft,
        kind=AttachmentKind.INVOICE,
        token="abc",
        file="x.pdf",
        extension=".pdf",
        original_name="facture.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )

    for step in ["purchase", "analysis", "summary"]:
        response = quiet.post(f"/repairs/{draft.pk}/{step}/", {"remove_attachment": "abc\x00"})

        assert response.status_code == 302, step
    assert Attachment.objects.filter(pk=kept.pk).exists()


# --- The API ------------------------------------------------------------------------------------


@pytest.fixture
def quiet_api(partner):
    from .conftest import token_client

    client = token_client(partner)
    client.raise_request_exception = False
    return client


def test_a_nul_in_an_api_address_is_the_apis_not_found(quiet_api, device):
    response = quiet_api.get(f"/api/v1/devices/{device.serial_number}%00/coverage")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_nul_in_an_api_query_string_is_the_apis_bad_request(quiet_api):
    response = quiet_api.get("/api/v1/ping?x=%00")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


NUL_BODIES = [
    (
        "/api/v1/devices",
        {"serial_number": "163DG9R00ABC12", "model": "mavic\x00", "purchase_country": "FR"},
        "model",
    ),
    (
        "/api/v1/devices",
        {"serial_number": "163DG9R0\x0012", "model": "mavic-2-pro", "purchase_country": "FR"},
        "serial_number",
    ),
    (
        "/api/v1/devices",
        {"serial_number": "163DG9R00ABC12", "model": "mavic-2-pro", "purchase_country": "F\x00"},
        "purchase_country",
    ),
    (
        "/api/v1/plans",
        {"serial_number": "163DG9R00ABC12", "offering": "care\x00", "purchase_country": "FR"},
        "offering",
    ),
    (
        "/api/v1/plans",
        {
            "serial_number": "163DG9R00ABC12",
            "offering": "care-refresh-mavic-2",
            "purchase_country": "FR",
            "purchased_at": "2026-01-15T10:00:00\x00Z",
        },
        "purchased_at",
    ),
    (
        "/api/v1/plans/activate",
        {"serial_number": "163DG9R00ABC12", "activation_code": "ABCD-EFGH-JKMN-PQR\x00"},
        "activation_code",
    ),
]


@pytest.mark.parametrize(("url", "body", "field"), NUL_BODIES)
def test_a_nul_in_an_api_field_is_refused_at_that_field(quiet_api, offering, url, body, field):
    response = quiet_api.post(url, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("reason", ["Crash\\u0000", "Crash \\ud800"])
def test_a_nul_or_a_lone_surrogate_in_a_replacement_reason_is_refused_at_the_field(
    centre_api, current_plan, case, spare, reason
):
    centre_api.raise_request_exception = False
    # Written by hand: a JSON escape, as a partner's client sends it.
    body = (
        f'{{"new_serial_number": "{spare.serial_number}", "reason": "{reason}", '
        f'"case_number": "{case.case_number}"}}'
    )

    response = centre_api.generic(
        "POST",
        f"/api/v1/plans/{current_plan.reference}/replacements",
        body,
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["reason"]


API_SERIALIZER_MODULES = [
    "aftersales.catalog.api.serializers",
    "aftersales.devices.api.serializers",
    "aftersales.plans.api.serializers",
    "aftersales.repairs.api.serializers",
]


def test_no_api_input_field_queries_the_database_before_it_is_checked():
    """Relational fields (SlugRelatedField…) look their value up before any validator runs: that
    is how a NUL reached PostgreSQL. API input names catalogue entries by code fields instead,
    and the services look them up (422 when unknown)."""
    writable = []
    for name in API_SERIALIZER_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, serializers.Serializer) or cls.__module__ != name:
                continue
            for field_name, field in cls().fields.items():
                if not field.read_only:
                    writable.append((cls.__name__, field_name, field))

    assert writable
    related = [
        (cls, name)
        for cls, name, field in writable
        if isinstance(field, relations.RelatedField | relations.ManyRelatedField)
    ]
    assert related == []
