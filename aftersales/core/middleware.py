from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

from .logging import request_id_var

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep the proxy's X-Request-ID), for logs and responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # our own attribute
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NulCharacterMiddleware:
    """Refuses a NUL character in the parts of a request that no form or serializer field reads:
    the path, the query string and the cookies.

    PostgreSQL cannot store or even compare a text holding NUL: a `%00` in a URL reached the
    database and answered 500 on many pages. No address of the site holds one, so a NUL in the
    path answers 404; in the query string or a cookie, 400 (under /api/ the API's JSON
    `{code, detail}`, elsewhere the plain 400 page: core.views). Nothing later needs to think of
    it. What a form or the API's JSON carries is checked at its field instead, where the message
    can say which field: Django's and DRF's text fields refuse NUL, and views read posted values
    through forms only (`repairs.forms.AddressPanelForm`, not `int(request.POST[...])`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404("NUL character in the path")
        meta = request.META
        query = meta.get("QUERY_STRING", "")
        # `%00` is the only way to write NUL in a query string (the server decodes it later).
        if "%00" in query or "\x00" in query or "\x00" in meta.get("HTTP_COOKIE", ""):
            raise BadRequest("NUL character in the query string or a cookie")
        return self.get_response(request)
