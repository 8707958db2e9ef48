"""Marks the main navigation's link to the section being shown.

    <a href="{% url 'devices:list' %}"{% nav_current 'devices:list' %}>

outputs ` aria-current="page"` when the page's path starts with the link's URL ("/" matches the
home page only). `exclude` names links nested under this one that have their own entry, e.g.
"My account" (/account/) and "Address book" (/account/addresses/):

    {% nav_current 'accounts:profile' exclude='accounts:address_list' %}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _under(path: str, url: str) -> bool:
    if url == "/":
        return path == "/"
    return path.startswith(url)


@register.simple_tag(takes_context=True)
def nav_current(context: dict[str, Any], name: str, exclude: str = "") -> SafeString | str:
    request = context.get("request")
    if request is None:
        return ""
    try:
        url = reverse(name)
        excluded = [reverse(other.strip()) for other in exclude.split(",") if other.strip()]
    except NoReverseMatch:
        return ""
    path = request.path
    if _under(path, url) and not any(_under(path, other) for other in excluded):
        return mark_safe(' aria-current="page"')
    return ""
