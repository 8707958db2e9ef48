"""Reads of the catalogue that need a little thought."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import ProductLine, ProductModel, RepairCentre, ServiceZone


def zone_for_country(code: str) -> ServiceZone | None:
    """The service zone that serves a country (ISO alpha-2), or None when no zone does.

    Zones are few, so they are read whole and matched in Python: the multi-country field is a
    comma-separated text column that the database cannot match exactly.
    """
    code = (code or "").strip().upper()
    if not code:
        return None
    for zone in ServiceZone.objects.order_by("position", "code"):
        if zone.serves(code):
            return zone
    return None


def repair_centres_for_country(code: str) -> QuerySet[RepairCentre]:
    """The active repair centres of the zone that serves a country (none when no zone does)."""
    zone = zone_for_country(code)
    if zone is None:
        return RepairCentre.objects.none()
    return RepairCentre.objects.filter(zone=zone, is_active=True).select_related("zone")


def product_lines_with_models() -> QuerySet[ProductLine]:
    """Product lines with their offered models, for "where is the serial number" (FAQ 12)."""
    return ProductLine.objects.prefetch_related(
        Prefetch(
            "models",
            queryset=ProductModel.objects.filter(is_active=True).order_by("position", "name"),
            to_attr="offered_models",
        )
    )
