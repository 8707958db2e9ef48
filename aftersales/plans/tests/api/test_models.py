"""`GET /api/v1/models`: the catalogue's models a store may register."""

from __future__ import annotations

from aftersales.catalog.choices import ModelKind
from aftersales.catalog.tests.factories import ProductLineFactory, ProductModelFactory


def test_the_models_list_gives_code_name_line_and_kind(api):
    ProductModelFactory()
    osmo = ProductLineFactory(code="osmo", name="Osmo", position=1)
    ProductModelFactory(code="osmo-pocket", name="Osmo Pocket", line=osmo, kind=ModelKind.HANDHELD)

    response = api.get("/api/v1/models")

    assert response.status_code == 200
    assert response.json() == [
        {"code": "mavic-2-pro", "name": "Mavic 2 Pro", "line": "mavic", "kind": "aircraft"},
        {"code": "osmo-pocket", "name": "Osmo Pocket", "line": "osmo", "kind": "handheld"},
    ]


def test_models_no_longer_offered_are_left_out(api):
    ProductModelFactory(code="phantom-3", name="Phantom 3", is_active=False)

    assert api.get("/api/v1/models").json() == []


def test_the_models_list_costs_the_same_queries_for_many_models(api, django_assert_num_queries):
    for number in range(10):
        ProductModelFactory(code=f"model-{number}", name=f"Model {number}")

    # Token, partner check, models with their line.
    with django_assert_num_queries(2):
        api.get("/api/v1/models")
