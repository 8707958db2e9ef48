"""The maker's catalogue: product lines, models and their components; service zones and the
repair centres that serve them. All of it is data the administrator edits; the demo data
(`manage.py load_demo`) reproduces the seeds."""

from __future__ import annotations

import zoneinfo
from datetime import date, time
from functools import cached_property, lru_cache
from typing import Any

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from aftersales.core.business_time import BusinessCalendar, ClosedDates
from aftersales.core.i18n import localized
from aftersales.core.typing import CountriesFieldValue, CountryFieldValue

from .choices import ModelKind, TrackingNumberFormat


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


def list_weekend_default() -> list[int]:
    return [5, 6]  # Saturday, Sunday


def list_prepaid_default() -> list[str]:
    # Warranty and plan cases travel on the maker's account; paid repairs do not.
    return ["warranty", "plan_replacement"]


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

    # The centre's business calendar (core/business_time.py): the guide's « deux jours
    # ouvrables » and the service levels count in it.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Amsterdam", help_text=_("e.g. Europe/Paris")
    )
    opens_at = models.TimeField(_("opens at"), default=time(9, 0))
    closes_at = models.TimeField(
        _("closes at"),
        default=time(17, 0),
        help_text=_("00:00 means midnight, open until the end of the day."),
    )
    weekend_days = models.JSONField(
        _("weekend days"),
        default=list_weekend_default,
        blank=True,
        help_text=_("Weekdays the centre is closed: 0 is Monday, 6 is Sunday."),
    )
    holiday_subdivision = models.CharField(
        _("region for public holidays"),
        max_length=10,
        blank=True,
        help_text=_(
            "A state or province whose own public holidays apply too (e.g. BY for Bavaria)."
        ),
    )

    # Parcels: which carrier, and how the centre's own account numbers its labels.
    carrier = models.CharField(
        _("carrier integration"),
        max_length=30,
        default="own",
        help_text=_("A key of the PARCEL_CARRIERS setting; “own” is the centre's own account."),
    )
    carrier_name = models.CharField(
        _("carrier name"), max_length=60, default="UPS", help_text=_("Printed on the labels.")
    )
    tracking_number_format = models.CharField(
        _("tracking number format"),
        max_length=10,
        choices=TrackingNumberFormat.choices,
        default=TrackingNumberFormat.UPS,
    )
    tracking_number_prefix = models.CharField(
        _("tracking numbers: prefix"),
        max_length=20,
        blank=True,
        help_text=_("What comes before the running number, e.g. 1Z999AA101 or RR."),
    )
    tracking_number_suffix = models.CharField(
        _("tracking numbers: suffix"),
        max_length=10,
        blank=True,
        help_text=_("What comes after the check digit, e.g. NL for a postal number."),
    )
    tracking_range_first = models.PositiveBigIntegerField(
        _("tracking numbers: first of the range"), null=True, blank=True
    )
    tracking_range_last = models.PositiveBigIntegerField(
        _("tracking numbers: last of the range"),
        null=True,
        blank=True,
        help_text=_(
            "Its number of digits is the width of the running number. "
            "Empty: staff type the numbers."
        ),
    )
    tracking_range_next = models.PositiveBigIntegerField(
        _("tracking numbers: next to issue"), null=True, blank=True
    )
    tracking_url_template = models.CharField(
        _("tracking page"),
        max_length=300,
        blank=True,
        help_text=_("The carrier's tracking page, {number} standing for the tracking number."),
    )
    prepaid_label_coverage = models.JSONField(
        _("prepaid return label for"),
        default=list_prepaid_default,
        blank=True,
        help_text=_("The coverage outcomes whose cases get a prepaid return label."),
    )
    # Guide, summary note 1: « … vous la recevrez dans un délai de deux jours ouvrables ».
    label_business_days = models.PositiveSmallIntegerField(
        _("return label within (business days)"), default=2
    )
    # Guide, summary note 2: « Le temps nécessaire à UPS pour enquêter au sujet du colis perdu
    # est soumis au contrat de service… »: the contract's figure, configured here.
    investigation_business_days = models.PositiveSmallIntegerField(
        _("carrier investigation within (business days)"), default=8
    )
    # Service levels (issue 9, item 5): each stage's target, counted by the clocks of
    # `repairs/sla.py` in the centre's business time (the label's: `label_business_days`).
    sla_evaluation_business_days = models.PositiveSmallIntegerField(
        _("evaluation within (business days of reception)"), default=2
    )
    sla_repair_business_days = models.PositiveSmallIntegerField(
        _("repair within (business days)"), default=5
    )
    sla_shipping_business_days = models.PositiveSmallIntegerField(
        _("shipping within (business days)"), default=1
    )
    # The customer's clock: calendar days.
    sla_quote_reminder_days = models.PositiveSmallIntegerField(
        _("quote reminder after (days)"), default=3
    )
    sla_quote_expiry_days = models.PositiveSmallIntegerField(
        _("quote expires after (days)"), default=30
    )

    class Meta:
        ordering = ["zone__position", "name"]
        verbose_name = _("repair centre")
        verbose_name_plural = _("repair centres")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = _("Not a time zone: use a name such as Europe/Paris.")
        weekend = self.weekend_days if isinstance(self.weekend_days, list) else None
        if weekend is None or any(d not in range(7) for d in weekend) or len(set(weekend)) >= 7:
            errors["weekend_days"] = _(
                "A list of weekdays from 0 (Monday) to 6 (Sunday), leaving one open."
            )
        if self.closes_at != time(0) and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The centre closes after it opens.")
        if self.carrier not in getattr(settings, "PARCEL_CARRIERS", {}):
            errors["carrier"] = _("Not one of the configured carriers.")
        first, last, following = (
            self.tracking_range_first,
            self.tracking_range_last,
            self.tracking_range_next,
        )
        if (first is None) != (last is None) or (
            first is not None and last is not None and first > last
        ):
            errors["tracking_range_last"] = _(
                "Give the first and the last number of the range, in order."
            )
        elif (
            following is not None
            and first is not None
            and last is not None
            and not first <= following <= last + 1
        ):
            errors["tracking_range_next"] = _("The next number lies in the range.")
        if self.holiday_subdivision:
            try:
                holidays.country_holidays(str(self.country.code), subdiv=self.holiday_subdivision)
            except NotImplementedError:
                errors["holiday_subdivision"] = _("Not a region of the centre's country.")
        if errors:
            raise ValidationError(errors)

    @property
    def address_lines(self) -> list[str]:
        return [self.name, self.street, f"{self.postcode} {self.city}", str(self.country.name)]

    def business_calendar(self) -> BusinessCalendar:
        """The centre's calendar: its time zone and hours, its weekend, its country's public
        holidays (the `holidays` package) and the days it closes besides (`ClosedDay`)."""
        return BusinessCalendar(
            time_zone=self.time_zone,
            opens=self.opens_at,
            closes=self.closes_at,
            weekend=frozenset(self.weekend_days or ()),
            closed_dates=ClosedDates(self.public_holidays, self.own_closed_dates),
        )

    @property
    def public_holidays(self) -> holidays.HolidayBase:
        return country_holidays(str(self.country.code), self.holiday_subdivision or None)

    @cached_property
    def own_closed_dates(self) -> frozenset[date]:
        if self.pk is None:
            return frozenset()
        return frozenset(self.closed_days.values_list("day", flat=True))


@lru_cache(maxsize=64)
def country_holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    """A country's (and region's) public holidays, made once per process: the package's
    object computes each year's days the first time a date of it is looked up (about 1.3 ms a
    year), and every move of a case reads its centre's calendar. Shared: the days only depend
    on the country, the region and the package's version."""
    try:
        return holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        # A country the package does not know: weekends and the centre's own days only.
        return holidays.HolidayBase()


class ClosedDay(models.Model):
    """A day a repair centre is closed besides its weekend and public holidays (a bridge day,
    the summer closing…)."""

    centre = models.ForeignKey(
        RepairCentre,
        on_delete=models.CASCADE,
        related_name="closed_days",
        verbose_name=_("repair centre"),
    )
    day = models.DateField(_("day"))
    name = models.CharField(_("why"), max_length=100, blank=True)

    class Meta:
        ordering = ["centre", "day"]
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "day"],
                name="catalog_closed_day_once",
                violation_error_message=_("This day is already a closing day of the centre."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre.name} · {self.day:%Y-%m-%d}"
