"""The catalogue in the back office: what the administrator edits (lines, models, components,
service zones and their repair centres)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import ClosedDay, Component, ProductLine, ProductModel, RepairCentre, ServiceZone


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_fr", "has_serial_number", "position")
    list_editable = ("position",)
    list_filter = ("has_serial_number",)
    search_fields = ("code", "name_en", "name_fr")
    prepopulated_fields = {"code": ("name_en",)}


class ProductModelInline(admin.TabularInline):
    model = ProductModel
    fields = ("name", "code", "kind", "is_active", "position")
    show_change_link = True
    extra = 0
    can_delete = False


@admin.register(ProductLine)
class ProductLineAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "model_count", "position")
    list_editable = ("position",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "code", "position")}),
        (
            _("Where the serial number is (FAQ 12)"),
            {"fields": ("serial_number_location_en", "serial_number_location_fr")},
        ),
    )
    inlines = [ProductModelInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductLine]:
        return super().get_queryset(request).annotate(model_count=Count("models"))

    @admin.display(description=_("models"), ordering="model_count")
    def model_count(self, line: ProductLine) -> int:
        # Annotated by get_queryset(); the stubs only know the model's own fields.
        return line.model_count  # type: ignore[attr-defined]


@admin.register(ProductModel)
class ProductModelAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "marketing_name",
        "code",
        "line",
        "kind",
        "warranty_months",
        "is_active",
    )
    list_filter = ("line", "kind", "is_active")
    list_select_related = ("line",)
    search_fields = ("name", "marketing_name", "code")
    prepopulated_fields = {"code": ("name",)}
    filter_horizontal = ("components",)
    fieldsets = (
        (None, {"fields": ("name", "marketing_name", "code", "line", "kind", "position")}),
        (_("What a unit is made of (FAQ 7)"), {"fields": ("components",)}),
        (_("Warranty and sales"), {"fields": ("warranty_months", "is_active")}),
        (
            _("Where the serial number is, when it differs from the line's (FAQ 12)"),
            {
                "fields": ("serial_number_location_en", "serial_number_location_fr"),
                "classes": ("collapse",),
            },
        ),
    )


class ServiceZoneForm(forms.ModelForm):
    countries = forms.MultipleChoiceField(
        label=_("countries"),
        choices=lambda: list(countries),
        required=False,
        widget=FilteredSelectMultiple(_("countries"), is_stacked=False),
    )

    class Meta:
        model = ServiceZone
        fields = ("name_en", "name_fr", "code", "countries", "position")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model gives Country objects; the select compares codes.
        if self.instance.pk:
            self.initial["countries"] = [str(c.code) for c in self.instance.countries]


class RepairCentreInline(admin.StackedInline):
    model = RepairCentre
    extra = 0
    show_change_link = True


@admin.register(ServiceZone)
class ServiceZoneAdmin(admin.ModelAdmin):
    form = ServiceZoneForm
    list_display = ("name_en", "name_fr", "code", "country_list", "position")
    list_editable = ("position",)
    search_fields = ("code", "name_en", "name_fr")
    prepopulated_fields = {"code": ("name_en",)}
    inlines = [RepairCentreInline]

    @admin.display(description=_("countries"))
    def country_list(self, zone: ServiceZone) -> str:
        return ", ".join(str(country.code) for country in zone.countries)


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 1
    fields = ("day", "name")


@admin.register(RepairCentre)
class RepairCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "country", "zone", "email", "phone", "is_active")
    list_filter = ("zone", "is_active")
    list_select_related = ("zone",)
    search_fields = ("name", "city", "postcode", "email")
    fieldsets = (
        (None, {"fields": ("name", "zone", "is_active")}),
        (_("Address"), {"fields": ("street", "postcode", "city", "country")}),
        (_("Contact"), {"fields": ("email", "phone")}),
        (
            _("Business calendar"),
            {
                "fields": (
                    "time_zone",
                    ("opens_at", "closes_at"),
                    "weekend_days",
                    "holiday_subdivision",
                )
            },
        ),
        (
            _("Parcels and carrier"),
            {
                "fields": (
                    "carrier",
                    "carrier_name",
                    "tracking_number_format",
                    ("tracking_number_prefix", "tracking_number_suffix"),
                    ("tracking_range_first", "tracking_range_last", "tracking_range_next"),
                    "tracking_url_template",
                    "prepaid_label_coverage",
                    ("label_business_days", "investigation_business_days"),
                )
            },
        ),
        (
            _("Service levels"),
            {
                "fields": (
                    "sla_evaluation_business_days",
                    "sla_repair_business_days",
                    "sla_shipping_business_days",
                    ("sla_quote_reminder_days", "sla_quote_expiry_days"),
                )
            },
        ),
    )
    inlines = [ClosedDayInline]
