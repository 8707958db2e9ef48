"""The maker's catalogue: product lines, models and their components; service zones and the
repair centres that serve them. All of it is data the administrator edits; the demo data
(`manage.py load_demo`) reproduces the seeds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from aftersales.core.i18n import localized
from aftersales.core.typing import CountriesFieldValue, CountryFieldValue

from .choices import ModelKind


class Component(models.Model):
    """A part a unit is made of (aircraft, gimbal and camera, battery…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    has_serial_number = models.BooleanField(
        _("has its own serial number"),
        default=False,
        help_text=_("For example the gimbal of a Mavic 2 (FAQ 4)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("component")
        verbose_name_plural = _("components")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class ProductLine(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # FAQ 12: where the serial number is found, shown wherever a customer types one.
    serial_number_location_en = models.TextField(_("where the serial number is (English)"))
    serial_number_location_fr = models.TextField(_("where the serial number is (French)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")

    def __str__(self) -> str:
        return self.name

    @property
    def serial_number_location(self) -> str:
        return localized(self, "serial_number_location")


class ProductModel(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    marketing_name = models.CharField(
        _("marketing name"),
        max_length=150,
        blank=True,
        help_text=_("Shown to customers when set, e.g. “Mavic Mini - The Everyday FlyCam”."),
    )
    line = models.ForeignKey(
        ProductLine, on_delete=models.PROTECT, related_name="models", verbose_name=_("line")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ModelKind.choices)
    components = models.ManyToManyField(
        Component, related_name="product_models", verbose_name=_("components"), blank=True
    )
    # Optional, model-specific note on where the serial number is (else the line's, FAQ 12).
    serial_number_location_en = models.TextField(
        _("where the serial number is (English)"), blank=True
    )
    serial_number_location_fr = models.TextField(
        _("where the serial number is (French)"), blank=True
    )
    warranty_months = models.PositiveSmallIntegerField(
        _("warranty (months)"),
        default=12,
        help_text=_("Ordinary warranty, counted from activation."),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["line__position", "position", "name"]
        verbose_name = _("model")
        verbose_name_plural = _("models")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.marketing_name or self.name

    @property
    def serial_number_location(self) -> str:
        return localized(self, "serial_number_location") or self.line.serial_number_location


class ServiceZone(models.Model):
    """A region served by one or more repair centres (Europe, North America…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    countries: CountriesFieldValue = CountryField(_("countries"), multiple=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("service zone")
        verbose_name_plural = _("service zones")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    def serves(self, country_code: str) -> bool:
        return country_code.upper() in {str(c.code) for c in self.countries}


class RepairCentre(models.Model):
    name = models.CharField(_("name"), max_length=150)
    zone = models.ForeignKey(
        ServiceZone,
        on_delete=models.PROTECT,
        related_name="repair_centres",
        verbose_name=_("service zone"),
    )
    street = models.CharField(_("street"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country: CountryFieldValue = CountryField(_("country"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["zone__position", "name"]
        verbose_name = _("repair centre")
        verbose_name_plural = _("repair centres")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    @property
    def address_lines(self) -> list[str]:
        return [self.name, self.street, f"{self.postcode} {self.city}", str(self.country.name)]
