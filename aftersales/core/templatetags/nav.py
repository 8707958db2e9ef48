"""Marks the main navigation's link to the section being shown.

    <a href="{% url 'devices:list' %}"{% nav_current 'devices:list' %}>

outputs ` aria-current="page"` when the page's path starts with the link's URL ("/" matches the
home page only). `exclude` names links nested under this one that have their own entry, e.g.
"My account" (/account/) and "Address book" (/account/addresses/):

    {% nav_current 'accounts:profile' exclude='accounts:address_list' %}

Inside a `{% fragment %}` (base.html's header, the workshop's bar) the mark is part of the
fragment's key: it is worked out on every page, the rest of the fragment rendered once.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString, mark_safe

from .fragment import varies_per_request
from .url_memo import fixed_url

register = template.Library()


def _url(name: str) -> str | None:
    """The fixed address of `name` (reversed once per process, `url_memo`), None if it has none."""
    try:
        return fixed_url(name)
    except NoReverseMatch:
        return None


def _under(path: str, url: str | None) -> bool:
    if url is None:
        return False
    if url == "/":
        return path == "/"
    return path.startswith(url)


def is_current(path: str, name: str, exclude: str = "") -> bool:
    if not _under(path, _url(name)):
        return False
    return not any(
        _under(path, _url(other.strip())) for other in exclude.split(",") if other.strip()
    )


@register.simple_tag(takes_context=True)
@varies_per_request
def nav_current(context: dict[str, Any], name: str, exclude: str = "") -> SafeString | str:
    request = context.get("request")
    if request is None or not is_current(request.path, name, exclude):
        return ""
    return mark_safe(' aria-current="page"')
