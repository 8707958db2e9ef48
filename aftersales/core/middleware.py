from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

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
    """Refuses NUL characters (and, in JSON, lone UTF-16 surrogates) wherever a request carries
    text, before any view, form or query sees them.

    PostgreSQL cannot store or even compare a text holding NUL: a `%00` in a URL or a `\\u0000`
    in a field reached the database and answered 500 in many places. No field of the site or of
    the API accepts NUL (nobody types one), so the whole request is refused here, in one place:
    404 for the path (no page has such an address), 400 for the query string, the cookies, a
    form or a JSON body. Under /api/ the answer is the API's JSON `{code, detail}`, elsewhere the
    plain 400 page (core.views.bad_request). Form and serializer fields refuse NUL too (Django's
    and DRF's CharField), for callers that do not come through HTTP.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404("NUL character in the path")
        if _unreadable(request):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _unreadable(request: HttpRequest) -> bool:
    meta = request.META
    if "%00" in meta.get("QUERY_STRING", "") or "\x00" in meta.get("QUERY_STRING", ""):
        return True
    if "\x00" in meta.get("HTTP_COOKIE", ""):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    # The API reads JSON only (a form there is a 415, its body never read): its forms are not
    # parsed here, which would also leave the API nothing to read.
    if content_type in _FORM_TYPES and not request.path_info.startswith("/api/"):
        # Parsed here rather than by the CSRF check a moment later: the same parse, once.
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.POST.lists()
        ):
            return True
        return any(
            "\x00" in (upload.name or "")
            for _field, uploads in request.FILES.lists()
            for upload in uploads
        )
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json_has_unstorable_text(request.body)
    return False


def _json_has_unstorable_text(body: bytes) -> bool:
    # A NUL or a surrogate can only be written in JSON as a `\u` escape (a raw NUL byte is not
    # JSON, which the parser refuses): bodies without one need no second parse.
    if b"\\u" not in body:
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False  # not JSON: the API's parser answers its own 400
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or _LONE_SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


# What `\ud800` alone decodes to: half of a UTF-16 pair, which no database text can hold.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
