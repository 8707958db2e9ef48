"""Protection plans ("Care Refresh", seed 000): where they are sold, what each offering covers and
costs, activation codes, the plans bound to devices and the ledger of what each plan was used for.

The rules live in `services.py` (changes) and `selectors.py` (coverage); the models hold the data
and the database constraints that back those rules up.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from aftersales.catalog.models import Component, ProductModel
from aftersales.core.i18n import localized
from aftersales.core.typing import CountriesFieldValue, CountryFieldValue
from aftersales.devices.models import Device

from .choices import BindingChannel, PlanEventKind, PlanStatus, UnbindReason
from .codes import format_code
from .money import Money, currency_validator


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when shorter (31 Jan + 1 → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_of_term(starts_on: date, months: int) -> date:
    """The last day (inclusive) of a term of `months` starting on `starts_on`.

    "12 months from its start date": a plan starting on 2026-01-15 is valid through 2027-01-14.
    """
    return add_months(starts_on, months) - timedelta(days=1)


class SalesRegionQuerySet(models.QuerySet["SalesRegion"]):
    def for_country(self, country: str) -> SalesRegionQuerySet:
        # CountryField(multiple=True) stores "AT,BE,…"; codes are exactly two letters, so a
        # substring match on a valid code cannot straddle two codes.
        country = str(country or "").upper()
        if len(country) != 2 or not country.isalpha():
            return self.none()
        return self.filter(countries__contains=country)


class SalesRegion(models.Model):
    """Where a plan is sold and works: one country or a group of countries (FAQ 14, 15).

    The EU countries form one region; Switzerland, Norway and the United Kingdom are each their
    own. A country belongs to at most one region.
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    countries: CountriesFieldValue = CountryField(_("countries"), multiple=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SalesRegionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("sales region")
        verbose_name_plural = _("sales regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def country_codes(self) -> set[str]:
        return {str(country.code) for country in self.countries}

    def clean(self) -> None:
        taken = self.countries_in_other_regions()
        if taken:
            raise ValidationError(
                {
                    "countries": _("Already in another sales region: %(countries)s.")
                    % {"countries": ", ".join(sorted(taken))}
                }
            )

    def countries_in_other_regions(self) -> set[str]:
        mine = self.country_codes
        others = SalesRegion.objects.exclude(pk=self.pk) if self.pk else SalesRegion.objects.all()
        return {code for region in others for code in region.country_codes if code in mine}


class Offering(models.Model):
    """A plan as the maker sells it: for which models, for how long, what it covers, where."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_fr = models.CharField(_("name (French)"), max_length=150)
    product_models = models.ManyToManyField(
        ProductModel, related_name="offerings", verbose_name=_("models"), blank=True
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), default=12, validators=[MinValueValidator(1)]
    )
    replacements_allowed = models.PositiveSmallIntegerField(_("replacements allowed"), default=2)
    binding_window_hours = models.PositiveIntegerField(
        _("binding window (hours)"),
        default=48,
        help_text=_(
            "A plan can be bound to a device not activated yet, or activated at most this long "
            "before the plan was bought (FAQ 6). 48 hours; e.g. 720 (30 days) for handhelds."
        ),
    )
    # FAQ 7: what a replacement covers depends on the product line.
    components = models.ManyToManyField(
        Component, related_name="offerings", verbose_name=_("covered components"), blank=True
    )
    # FAQ 15: the regions where this offering is sold.
    regions = models.ManyToManyField(
        SalesRegion, related_name="offerings", verbose_name=_("sold in"), blank=True
    )
    express_offered = models.BooleanField(_("Express offered"), default=False)
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_months__gte=1),
                name="plans_offering_duration_positive",
                violation_error_message=_("A plan lasts at least one month."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class OfferingFee(models.Model):
    """The service fee of replacement n in a region (FAQ 10); the first and second may differ.

    When no row exists for replacement n, the row with the highest lower number applies.
    """

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="fees", verbose_name=_("offering")
    )
    region = models.ForeignKey(
        SalesRegion, on_delete=models.PROTECT, related_name="+", verbose_name=_("sales region")
    )
    replacement_number = models.PositiveSmallIntegerField(
        _("replacement"), default=1, validators=[MinValueValidator(1)]
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])

    class Meta:
        ordering = ["offering", "region", "replacement_number"]
        verbose_name = _("replacement fee")
        verbose_name_plural = _("replacement fees")
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "region", "replacement_number"],
                name="plans_one_fee_per_replacement_and_region",
                violation_error_message=_("This replacement already has a fee in this region."),
            ),
            models.CheckConstraint(
                condition=models.Q(replacement_number__gte=1),
                name="plans_fee_replacement_number_positive",
                violation_error_message=_("Replacements are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="plans_fee_amount_not_negative",
                violation_error_message=_("A fee cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} · {self.region} · #{self.replacement_number}: {self.money}"

    @property
    def money(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)


class OfferingExpressFee(models.Model):
    """The fee of an Express replacement in a region (seed 001, "DJI Care Refresh Express")."""

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="express_fees", verbose_name=_("offering")
    )
    region = models.ForeignKey(
        SalesRegion, on_delete=models.PROTECT, related_name="+", verbose_name=_("sales region")
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])

    class Meta:
        ordering = ["offering", "region"]
        verbose_name = _("Express fee")
        verbose_name_plural = _("Express fees")
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "region"],
                name="plans_one_express_fee_per_region",
                violation_error_message=_("This offering already has an Express fee here."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="plans_express_fee_amount_not_negative",
                violation_error_message=_("A fee cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} · {self.region} · Express: {self.money}"

    @property
    def money(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)


class ActivationCodeBatch(models.Model):
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="code_batches", verbose_name=_("offering")
    )
    country: CountryFieldValue = CountryField(_("country"))
    region = models.ForeignKey(
        SalesRegion, on_delete=models.PROTECT, related_name="+", verbose_name=_("sales region")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activation code batch")
        verbose_name_plural = _("activation code batches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.offering} · {self.country.code} · {self.quantity}"


class ActivationCode(models.Model):
    """A single-use activation card code (FAQ 3, 11), stored normalised (no dashes)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    batch = models.ForeignKey(
        ActivationCodeBatch, on_delete=models.PROTECT, related_name="codes", verbose_name=_("batch")
    )
    # Denormalised from the batch so that redemption reads one row. Not indexed: codes are
    # looked up by code, and fewer indexes keep batch generation fast.
    offering = models.ForeignKey(
        Offering,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("offering"),
    )
    region = models.ForeignKey(
        SalesRegion,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("sales region"),
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")

    def __str__(self) -> str:
        return self.formatted

    @property
    def formatted(self) -> str:
        return format_code(self.code)

    @property
    def is_used(self) -> bool:
        return self.used_at is not None


class Plan(models.Model):
    """A plan bound to a device. The contract fixes its term, replacements and fees at binding."""

    # How partners name the plan (the API): random, so that it tells nothing about other plans
    # or how many there are. The sequential id stays internal (pages of the plan's owner).
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="plans", verbose_name=_("offering")
    )
    # The unit the plan follows now; it moves to the new unit after a replacement (FAQ 10).
    # Every unit ever bound, this one included, is in PlanDevice.
    device = models.OneToOneField(
        Device, on_delete=models.PROTECT, related_name="plan", verbose_name=_("device")
    )
    original_serial_number = models.CharField(_("original serial number"), max_length=40)
    region = models.ForeignKey(
        SalesRegion, on_delete=models.PROTECT, related_name="plans", verbose_name=_("sales region")
    )
    purchase_country: CountryFieldValue = CountryField(_("country of purchase"))
    purchased_at = models.DateTimeField(_("bought at"))
    # FAQ 6: the date of the service contract sets the validity. Both days are inclusive.
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("last day"))
    replacements_allowed = models.PositiveSmallIntegerField(_("replacements allowed"))
    replacements_used = models.PositiveSmallIntegerField(_("replacements used"), default=0)
    # The contract's fees (FAQ 10), copied from the offering at binding:
    # {"replacements": [{"number": 1, "amount": "99.00", "currency": "EUR"}, …],
    #  "express": {"amount": "49.00", "currency": "EUR"} | null}
    fee_schedule = models.JSONField(_("fees"), default=dict, blank=True)
    channel = models.CharField(_("bought"), max_length=20, choices=BindingChannel.choices)
    activation_code = models.OneToOneField(
        ActivationCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="used_by_plan",
        verbose_name=_("activation code"),
    )
    # The partner (store) that sold the plan through the API; empty for activation cards
    # redeemed by the customer and for the admin. Never shown to another partner.
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sold by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(replacements_used__gte=0)
                & models.Q(replacements_used__lte=models.F("replacements_allowed")),
                name="plans_replacements_used_within_allowed",
                violation_error_message=_("This plan has no replacement left."),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="plans_ends_after_start",
                violation_error_message=_("A plan cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} · {self.original_serial_number}"

    @property
    def replacements_left(self) -> int:
        return max(0, self.replacements_allowed - self.replacements_used)

    def status_on(self, day: date) -> PlanStatus:
        if day < self.starts_on:
            return PlanStatus.NOT_STARTED
        if day > self.ends_on:
            return PlanStatus.EXPIRED
        return PlanStatus.ACTIVE

    @property
    def status(self) -> PlanStatus:
        return self.status_on(timezone.localdate())

    def fee_for(self, replacement_number: int) -> Money | None:
        """The contract's fee for replacement n, or None when the contract names none."""
        for row in self.fee_schedule.get("replacements", []):
            if row["number"] == replacement_number:
                return Money.from_json(row)
        return None

    @property
    def next_fee(self) -> Money | None:
        if self.replacements_left <= 0:
            return None
        return self.fee_for(self.replacements_used + 1)

    @property
    def express_fee(self) -> Money | None:
        express = self.fee_schedule.get("express")
        return Money.from_json(express) if express else None


class PlanDevice(models.Model):
    """Every unit ever bound to a plan, with when it was bound and unbound.

    The unique `device` is what makes "one plan per device, never renewed" (FAQ 9) hold in the
    database: a serial once bound (even after the plan expired, even after the unit was replaced
    and unbound) can never be bound to another plan, and a replaced unit keeps its history
    (FAQ 10).
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="bindings", verbose_name=_("plan")
    )
    device = models.OneToOneField(
        Device, on_delete=models.PROTECT, related_name="plan_binding", verbose_name=_("device")
    )
    bound_at = models.DateTimeField(_("bound at"))
    unbound_at = models.DateTimeField(_("unbound at"), null=True, blank=True)
    unbind_reason = models.CharField(
        _("unbound because"), max_length=20, choices=UnbindReason.choices, blank=True
    )
    case_number = models.CharField(_("case"), max_length=40, blank=True)

    class Meta:
        ordering = ["plan", "bound_at", "id"]
        verbose_name = _("bound device")
        verbose_name_plural = _("bound devices")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(unbound_at__isnull=True),
                name="plans_one_current_device_per_plan",
                violation_error_message=_("This plan is already bound to a unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.device}"


class PlanEventQuerySet(models.QuerySet["PlanEvent"]):
    def update(self, **kwargs: object) -> int:
        raise TypeError("The plan ledger is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The plan ledger is append-only.")

    def replacements(self) -> PlanEventQuerySet:
        return self.filter(kind=PlanEventKind.REPLACEMENT_GRANTED)


class PlanEvent(models.Model):
    """The plan's ledger: one row per service event, appended, never changed."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="events", verbose_name=_("plan")
    )
    kind = models.CharField(_("event"), max_length=30, choices=PlanEventKind.choices)
    occurred_at = models.DateTimeField(_("at"), default=timezone.now)
    case_number = models.CharField(_("case"), max_length=40, blank=True)
    replacement_number = models.PositiveSmallIntegerField(_("replacement"), null=True, blank=True)
    fee_amount = models.DecimalField(
        _("fee"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[currency_validator]
    )
    old_serial_number = models.CharField(_("old serial number"), max_length=40, blank=True)
    new_serial_number = models.CharField(_("new serial number"), max_length=40, blank=True)
    component = models.ForeignKey(
        Component,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("component"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PlanEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        constraints = [
            # Replacement n happens once per plan, even when two are granted at the same moment.
            models.UniqueConstraint(
                fields=["plan", "replacement_number"],
                condition=models.Q(replacement_number__isnull=False),
                name="plans_replacement_number_once_per_plan",
                violation_error_message=_("This replacement is already in the ledger."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=PlanEventKind.REPLACEMENT_GRANTED, replacement_number__gte=1)
                    | (
                        ~models.Q(kind=PlanEventKind.REPLACEMENT_GRANTED)
                        & models.Q(replacement_number__isnull=True)
                    )
                ),
                name="plans_replacement_number_only_on_replacements",
                violation_error_message=_("Only a replacement has a replacement number."),
            ),
            models.CheckConstraint(
                condition=models.Q(fee_amount__isnull=True, fee_currency="")
                | (models.Q(fee_amount__isnull=False) & ~models.Q(fee_currency="")),
                name="plans_event_fee_has_currency",
                violation_error_message=_("A fee needs its currency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The plan ledger is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise TypeError("The plan ledger is append-only.")

    @property
    def fee(self) -> Money | None:
        if self.fee_amount is None:
            return None
        return Money(amount=Decimal(self.fee_amount), currency=self.fee_currency)
