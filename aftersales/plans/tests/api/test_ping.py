"""`GET /api/v1/ping`: the benchmarks' baseline, and a way for a partner to check its token."""

from __future__ import annotations


def test_ping_answers_ok_in_json(api):
    response = api.get("/api/v1/ping")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_ping_costs_one_query_the_token_with_its_user_and_partner_flag(
    api, django_assert_num_queries
):
    with django_assert_num_queries(1):
        api.get("/api/v1/ping")
