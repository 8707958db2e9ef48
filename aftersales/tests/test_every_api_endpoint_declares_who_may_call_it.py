"""Who may call an endpoint is declared by the endpoint and checked in one place
(`core.api.HasCapability`): every route of the API says which capability it needs, and a view
that says none is closed to everyone, superusers included."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIRequestFactory, force_authenticate

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.api import CAPABILITIES, PartnerAPIView


def api_views() -> list[type]:
    def walk(patterns: list, prefix: str) -> list[tuple[str, object]]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append((prefix + str(pattern.pattern), pattern.callback))
        return found

    return [
        callback.view_class  # type: ignore[attr-defined]
        for route, callback in walk(get_resolver().url_patterns, "/")
        if route.startswith("/api/v1/") and hasattr(callback, "view_class")
    ]


def test_every_partner_endpoint_declares_a_capability():
    endpoints = [view for view in api_views() if issubclass(view, PartnerAPIView)]

    assert len(endpoints) == 8
    assert {view.__name__: view.capability in CAPABILITIES for view in endpoints} == {
        view.__name__: True for view in endpoints
    }


def test_the_only_public_routes_are_the_schema_and_its_docs():
    public = {view.__name__ for view in api_views() if not issubclass(view, PartnerAPIView)}

    assert public == {"SchemaView", "DocsView"}


class Undeclared(PartnerAPIView):
    def get(self, request):  # pragma: no cover - never reached
        raise AssertionError("an endpoint without a capability ran")


def test_an_endpoint_that_declares_nothing_is_closed_even_to_a_superuser(db):
    request = APIRequestFactory().get("/api/v1/undeclared")
    force_authenticate(request, user=UserFactory(is_superuser=True, is_staff=True))

    response = Undeclared.as_view()(request)

    assert response.status_code == 403
