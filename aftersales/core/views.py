from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .api import api_error_response, is_api_request

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- Error pages: the site's HTML, or the API's JSON under /api/ (urls.handler400/404/500) ------


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request that cannot be read (e.g. a NUL character, core.middleware)."""
    if is_api_request(request):
        return api_error_response(request, 400)
    # A page of its own, like 500.html: it reads nothing of the session or the account (the
    # cookie may be what could not be read).
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error_response(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django has logged the exception with the request (logger django.request).
    if is_api_request(request):
        return api_error_response(request, 500)
    # The error page reads nothing from the database (it may be why we are here).
    return render(request, "500.html", status=500)
