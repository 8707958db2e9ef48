"""The device registry in the back office. Built for a million rows: no full count, exact
search on the serial number's unique index, related rows joined, owners picked by id."""

from __future__ import annotations

from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ComponentSerial, Device, normalize_serial_number

# Above this many rows (by the planner's estimate) the admin shows an estimate, not a count.
ESTIMATE_COUNT_ABOVE = 100_000


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, an unfiltered list takes its size from the planner's statistics: counting
    a million rows on every page view is a sequential scan."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [queryset.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] > ESTIMATE_COUNT_ABOVE:
                    return int(row[0])
        return super().count


class ComponentSerialInline(admin.TabularInline):
    model = ComponentSerial
    fields = ("component", "serial_number", "installed_at", "removed_at")
    readonly_fields = ("installed_at",)
    extra = 0


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = (
        "serial_number",
        "model",
        "purchase_country",
        "activated_at",
        "owner",
        "added_to_account_at",
    )
    list_select_related = ("model", "owner")
    list_filter = ("model__line", "model")
    search_fields = ("=serial_number",)
    search_help_text = _("Exact serial number (spaces and dashes are ignored).")
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at", "registered_by")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    inlines = [ComponentSerialInline]
    fieldsets = (
        (None, {"fields": ("serial_number", "model", "purchase_country", "activated_at")}),
        (_("Account"), {"fields": ("owner", "added_to_account_at")}),
        (_("Registry"), {"fields": ("created_at", "registered_by")}),
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Device], search_term: str
    ) -> tuple[QuerySet[Device], bool]:
        # Serial numbers are stored normalised: search the way they are stored.
        return super().get_search_results(request, queryset, normalize_serial_number(search_term))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Device]:
        return super().get_queryset(request).select_related("model", "owner")
