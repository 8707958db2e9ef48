"""`/api/v1/schema/` and `/api/v1/docs/`: public, describing the partner-only endpoints and every
error code, with the docs' assets served by the app itself (no CDN)."""

from __future__ import annotations

import re

import pytest

from aftersales.core.errors import ConflictError, NotFoundError, published_codes
from aftersales.plans.errors import RULE_MESSAGES


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3_and_lists_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/ping",
        "/api/v1/models",
        "/api/v1/offerings",
        "/api/v1/devices",
        "/api/v1/devices/{serial_number}/coverage",
        "/api/v1/plans",
        "/api/v1/plans/activate",
        "/api/v1/plans/{plan_reference}/replacements",
    }


def test_the_schema_lists_every_refusal_code(schema):
    published = schema["components"]["schemas"]["RuleError"]["properties"]["code"]
    enum = schema["components"]["schemas"][published["$ref"].rsplit("/", 1)[-1]]["enum"]
    assert set(enum) == set(published_codes())
    assert set(RULE_MESSAGES) | {"model_unknown", "case_unknown"} <= set(enum)
    every_code = [
        *published_codes(),
        *published_codes(NotFoundError),
        *published_codes(ConflictError),
    ]
    assert {"device_exists", "device_unknown", "plan_unknown"} <= set(every_code)
    for code in every_code:
        assert f"`{code}`" in schema["info"]["description"]


def test_each_operation_documents_its_refusals(schema):
    create = schema["paths"]["/api/v1/plans"]["post"]["responses"]
    for code in ["binding_window_passed", "already_has_plan", "region_mismatch"]:
        assert code in create["422"]["description"]
    replacements = schema["paths"]["/api/v1/plans/{plan_reference}/replacements"]["post"][
        "responses"
    ]
    assert "no_replacements_left" in replacements["422"]["description"]
    assert "case_unknown" in replacements["422"]["description"]
    assert (
        "device_exists"
        in schema["paths"]["/api/v1/devices"]["post"]["responses"]["409"]["description"]
    )


def test_the_schema_asks_for_a_token(schema):
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    assert schema["paths"]["/api/v1/ping"]["get"]["security"] == [{"tokenAuth": []}]


def test_the_docs_page_loads_its_assets_from_this_site_only(client, db):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets, html
    # The static files, and the start-up script from the docs' own URL (no inline script,
    # for the Content-Security-Policy).
    assert all(url.startswith(("/static/", "/api/v1/docs/?script")) for url in assets), assets
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)", html)
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_the_docs_assets_are_served(client, db):
    html = client.get("/api/v1/docs/").content.decode()
    bundle = re.search(r'src="(/static/[^"]+swagger-ui-bundle\.js)"', html).group(1)

    response = client.get(bundle)

    assert response.status_code == 200
