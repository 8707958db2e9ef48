"""Devices: the maker's registry of units by serial number, and which customer account holds
each one ("My products")."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from aftersales.catalog.models import Component, ProductModel
from aftersales.core.typing import CountryFieldValue

_SERIAL_JUNK = re.compile(r"[\s\-]")


def normalize_serial_number(value: str) -> str:
    """Serial numbers are compared trimmed, without spaces or dashes, in upper case."""
    return _SERIAL_JUNK.sub("", value or "").upper()


class Device(models.Model):
    serial_number = models.CharField(_("serial number"), max_length=40, unique=True)
    model = models.ForeignKey(
        ProductModel, on_delete=models.PROTECT, related_name="devices", verbose_name=_("model")
    )
    purchase_country: CountryFieldValue = CountryField(_("country of purchase"), blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("account"),
    )
    added_to_account_at = models.DateTimeField(_("added to the account at"), null=True, blank=True)
    # The partner (store, factory) that registered the unit through the API; empty for the CSV
    # import and the admin. Never shown to another partner.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["serial_number"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        indexes = [models.Index(fields=["owner", "added_to_account_at"])]

    def __str__(self) -> str:
        return f"{self.model} {self.serial_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.serial_number = normalize_serial_number(self.serial_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("devices:detail", args=[self.serial_number])

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None


class ComponentSerial(models.Model):
    """A serial number carried by a part of a unit (the gimbal of a Mavic 2, FAQ 4).

    A replaced part keeps its row with `removed_at` set, so the unit's history stays whole.
    """

    device = models.ForeignKey(
        Device,
        on_delete=models.CASCADE,
        related_name="component_serials",
        verbose_name=_("device"),
    )
    component = models.ForeignKey(
        Component, on_delete=models.PROTECT, related_name="+", verbose_name=_("component")
    )
    serial_number = models.CharField(_("serial number"), max_length=40)
    installed_at = models.DateTimeField(_("installed at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["device", "component", "-installed_at"]
        verbose_name = _("component serial number")
        verbose_name_plural = _("component serial numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "component"],
                condition=models.Q(removed_at__isnull=True),
                name="devices_one_current_serial_per_component",
                violation_error_message=_("This part of the unit already has a serial number."),
            ),
            models.UniqueConstraint(
                fields=["serial_number"],
                condition=models.Q(removed_at__isnull=True),
                name="devices_component_serial_in_one_unit",
                violation_error_message=_("This serial number is fitted on another unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component}: {self.serial_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.serial_number = normalize_serial_number(self.serial_number)
        super().save(*args, **kwargs)
