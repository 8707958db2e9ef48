"""Data that the maker types in both languages (names, help texts) is stored in one field per
language: `name_en`, `name_fr`. `localized()` picks the active language's text."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy


def localized(obj: Any, field: str, language: str | None = None) -> str:
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    value = getattr(obj, f"{field}_{language}", "") or ""
    if not value:
        value = getattr(obj, f"{field}_{settings.LANGUAGE_CODE}", "") or ""
    return str(value)


def _brand_format(message: Any) -> str:
    return str(message) % {"brand": settings.AFTERSALES["BRAND"]}


_branded = lazy(_brand_format, str)


def branded(message: Any) -> Any:
    """A lazily translated text with the maker's brand (settings.AFTERSALES["BRAND"]) put in
    its `%(brand)s`: "Repair – %(brand)s Care service" reads "Repair – DJI Care service"."""
    return _branded(message)
