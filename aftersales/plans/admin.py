"""Admin: offerings, regions and code batches are edited here; plans are read-mostly, because
every change to a plan goes through `services.py` so that the rules of the FAQ hold."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .codes import normalize_code
from .models import (
    ActivationCode,
    ActivationCodeBatch,
    Offering,
    OfferingExpressFee,
    OfferingFee,
    Plan,
    PlanDevice,
    PlanEvent,
    SalesRegion,
)


@admin.register(SalesRegion)
class SalesRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "country_list", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name_en", "name_fr"]

    @admin.display(description=_("countries"))
    def country_list(self, region: SalesRegion) -> str:
        return ", ".join(sorted(region.country_codes))


class OfferingFeeInline(admin.TabularInline):
    model = OfferingFee
    extra = 0


class OfferingExpressFeeInline(admin.TabularInline):
    model = OfferingExpressFee
    extra = 0


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "duration_months",
        "replacements_allowed",
        "binding_window_hours",
        "express_offered",
        "is_active",
    ]
    list_filter = ["is_active", "express_offered", "regions"]
    search_fields = ["code", "name_en", "name_fr"]
    filter_horizontal = ["product_models", "components", "regions"]
    inlines = [OfferingFeeInline, OfferingExpressFeeInline]


@admin.register(ActivationCodeBatch)
class ActivationCodeBatchAdmin(admin.ModelAdmin):
    """Batches are made by `manage.py generate_activation_codes`; a batch of a million codes is
    too big to show inline, so it shows counts and a link to its codes."""

    list_display = ["id", "offering", "country", "region", "quantity", "used", "created_at"]
    list_filter = ["offering", "region"]
    # A tuple: the stubs type `fields` and `readonly_fields` as different lists, one tuple of
    # names fits both.
    readonly_fields = (
        "offering",
        "country",
        "region",
        "quantity",
        "created_at",
        "created_by",
        "used",
        "codes_link",
    )
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ActivationCodeBatch]:
        return (
            super()
            .get_queryset(request)
            .select_related("offering", "region")
            .annotate(used_count=Count("codes", filter=Q(codes__used_at__isnull=False)))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("used"))
    def used(self, batch: Any) -> int:
        return batch.used_count

    @admin.display(description=_("codes"))
    def codes_link(self, batch: ActivationCodeBatch) -> str:
        url = reverse("admin:plans_activationcode_changelist") + f"?batch__id__exact={batch.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Show the codes of this batch"))


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):
    list_display = ["formatted", "batch", "offering", "region", "used_at"]
    list_filter = [("used_at", admin.EmptyFieldListFilter), "offering", "region"]
    list_select_related = ["batch__offering", "offering", "region"]
    search_fields = ["code"]
    readonly_fields = ["code", "batch", "offering", "region", "used_at"]
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[ActivationCode], search_term: str
    ) -> tuple[QuerySet[ActivationCode], bool]:
        # Staff paste codes with dashes; they are stored without.
        return super().get_search_results(request, queryset, normalize_code(search_term))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PlanDeviceInline(admin.TabularInline):
    model = PlanDevice
    extra = 0
    can_delete = False
    fields = ("device", "bound_at", "unbound_at", "unbind_reason", "case_number")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    can_delete = False
    fields = (
        "occurred_at",
        "kind",
        "case_number",
        "replacement_number",
        "fee_amount",
        "fee_currency",
        "old_serial_number",
        "new_serial_number",
        "component",
        "note",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "offering",
        "device",
        "original_serial_number",
        "region",
        "starts_on",
        "ends_on",
        "replacements_used",
        "replacements_allowed",
        "channel",
    ]
    list_filter = ["offering", "region", "channel"]
    list_select_related = ["offering", "device__model", "region"]
    search_fields = [
        "device__serial_number",
        "original_serial_number",
        "bindings__device__serial_number",
    ]
    date_hierarchy = "starts_on"
    readonly_fields = [
        "reference",
        "offering",
        "device",
        "original_serial_number",
        "region",
        "purchase_country",
        "purchased_at",
        "starts_on",
        "ends_on",
        "replacements_allowed",
        "replacements_used",
        "fee_schedule",
        "channel",
        "activation_code",
        "sold_by",
        "created_at",
    ]
    inlines = [PlanDeviceInline, PlanEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlanEvent)
class PlanEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "plan", "kind", "case_number", "replacement_number", "fee"]
    list_filter = ["kind"]
    list_select_related = ["plan__offering"]
    search_fields = ["case_number", "old_serial_number", "new_serial_number"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in PlanEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
