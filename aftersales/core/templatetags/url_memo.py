"""Django's `{% url %}`, each address without arguments reversed once per process.

Loaded as a builtin of the site's template engine (settings.TEMPLATES), so that every template's
`{% url %}` is this one. The header, the footer and the workshop's bar link to about twenty
fixed pages on every page: reversing each took 30 µs, a good part of the header's time. An
address with arguments, or `{% url … as var %}`, goes through Django's tag unchanged.

What a fixed address can depend on is in the key: the name, the current application (namespace
instances), the URLconf (the settings' and a request's own), the script prefix (the site served
under a path) and the active language (a URLconf with `i18n_patterns`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

_REVERSED: dict[tuple[Any, ...], str] = {}
# More keys than this means something varies that should not (a name built per request): the
# memo is then emptied rather than left to grow.
_MOST = 10_000


def fixed_url(name: str, current_app: str | None = None) -> str:
    """The address of `name` without arguments, reversed once per process for each of what it
    can depend on (the module docstring). Raises NoReverseMatch as `reverse` does."""
    key = (
        name,
        current_app,
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
        get_language(),
    )
    url = _REVERSED.get(key)
    if url is None:
        url = reverse(name, current_app=current_app)
        if len(_REVERSED) >= _MOST:
            _REVERSED.clear()
        _REVERSED[key] = url
    return url


class MemoURLNode(URLNode):
    """A `{% url %}` without arguments nor `as` (the tag below leaves the others to Django)."""

    def render(self, context: Any) -> str:
        name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = fixed_url(name, current_app)
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    node: URLNode = django_url(parser, token)
    if node.args or node.kwargs or node.asvar:
        return node
    return MemoURLNode(node.view_name, node.args, node.kwargs, node.asvar)
