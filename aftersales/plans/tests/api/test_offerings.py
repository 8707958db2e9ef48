"""`GET /api/v1/offerings`: what a store may sell, where, and the fees."""

from __future__ import annotations

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.plans.tests.factories import EU, OfferingFactory


def test_an_offering_lists_its_models_countries_duration_and_fees(api, offering):
    response = api.get("/api/v1/offerings")

    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "care-refresh-mavic-2",
            "name": "DJI Care Refresh (Mavic 2)",
            "models": ["mavic-2-pro", "mavic-2-zoom"],
            # Every country of the EU region and Switzerland, the regions where it is sold.
            "countries": sorted([*EU, "CH"]),
            "duration_months": 12,
            "replacements_allowed": 2,
            # By region (in the regions' order), then by replacement.
            "fees": [
                {"region": "ch", "replacement_number": 1, "amount": "109.00", "currency": "EUR"},
                {"region": "ch", "replacement_number": 2, "amount": "149.00", "currency": "EUR"},
                {"region": "eu", "replacement_number": 1, "amount": "109.00", "currency": "EUR"},
                {"region": "eu", "replacement_number": 2, "amount": "149.00", "currency": "EUR"},
            ],
            "express": {
                "offered": True,
                "fees": [
                    {"region": "ch", "amount": "49.00", "currency": "EUR"},
                    {"region": "eu", "amount": "49.00", "currency": "EUR"},
                ],
            },
        }
    ]


def test_an_offering_without_express_says_so(api, eu):
    OfferingFactory(code="care-refresh-osmo", express_offered=False, regions=[eu])

    [offering] = api.get("/api/v1/offerings").json()

    assert offering["express"] == {"offered": False, "fees": []}


def test_offerings_not_on_sale_are_left_out(api, eu):
    OfferingFactory(is_active=False, regions=[eu])

    assert api.get("/api/v1/offerings").json() == []


def test_the_offerings_list_costs_the_same_queries_for_many_offerings(
    api, eu, switzerland, django_assert_num_queries
):
    for number in range(5):
        OfferingFactory(
            code=f"offering-{number}",
            product_models=[ProductModelFactory(code=f"model-{number}")],
            regions=[eu, switzerland],
        )

    # Token, partner check, offerings, then one query per prefetched relation.
    with django_assert_num_queries(6):
        response = api.get("/api/v1/offerings")

    assert len(response.json()) == 5
