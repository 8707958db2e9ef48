"""The contact form's verification code — its picture, its audio and a new one — served by
django-simple-captcha's own views, each counted per address first (audit): the audio runs
`flite` in a new process and a new code writes a row, for anyone, logged in or not, so that a
script asking for them in a loop would cost the server a process or a row a request. A person
asks for a few an hour; past the limit the answer is 429, and the form still works with the
code it shows. The names are the package's (its field's widget reverses them)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import captcha.urls
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path

from aftersales.core.http import client_network
from aftersales.core.ratelimit import FailureLimit


def captcha_limit(kind: str) -> FailureLimit:
    """CAPTCHA_LIMITS_PER_HOUR[kind] requests an hour per address (read on each call)."""
    return FailureLimit(
        scope=f"captcha:{kind}", limit=settings.CAPTCHA_LIMITS_PER_HOUR[kind], window=3600
    )


def counted(kind: str, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit, address = captcha_limit(kind), client_network(request)
        if limit.is_reached(address):
            return HttpResponse(status=429, headers={"Retry-After": "3600"})
        limit.record_failure(address)
        return view(request, *args, **kwargs)

    return wrapped


# The package's own patterns, each view counted under its kind (a pattern a new version adds
# stops the start-up here, KeyError, rather than being served uncounted).
KINDS = {
    "captcha-image": "image",
    "captcha-image-2x": "image",
    "captcha-audio": "audio",
    "captcha-refresh": "refresh",
}

urlpatterns = [
    re_path(
        str(pattern.pattern),
        counted(KINDS[str(pattern.name)], pattern.callback),
        kwargs=pattern.default_args,
        name=pattern.name,
    )
    for pattern in captcha.urls.urlpatterns
    if isinstance(pattern, URLPattern)
]
