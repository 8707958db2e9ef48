"""The partner API, version 1. Each app keeps its endpoints in `<app>/api/`; the shared parts
(who may call it, how errors answer, the schema and docs views) are in `core/api.py`.

The schema and the docs are public: they describe the API, which is open source anyway, and a
browser opening the docs has no token to send. Every endpoint they describe needs a token.
An unknown URL under /api/ answers the API's JSON 404 (`core.views.page_not_found`).
"""

from django.urls import include, path

from aftersales.core.api import DocsView, SchemaView

app_name = "api"

urlpatterns = [
    path("", include("aftersales.catalog.api.urls")),
    path("", include("aftersales.devices.api.urls")),
    path("", include("aftersales.plans.api.urls")),
    path("", include("aftersales.repairs.api.urls")),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
]
