from django.contrib import admin

from .models import PaymentAttempt, ProviderNotification


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "purpose",
        "amount",
        "currency",
        "provider",
        "status",
        "created_at",
    ]
    list_filter = ["provider", "status"]
    search_fields = ["reference", "provider_id", "provider_payment_id"]
    readonly_fields = [field.name for field in PaymentAttempt._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ProviderNotification)
class ProviderNotificationAdmin(admin.ModelAdmin):
    list_display = ["event_id", "event_type", "provider", "outcome", "received_at"]
    list_filter = ["provider", "outcome"]
    search_fields = ["event_id"]
    readonly_fields = [field.name for field in ProviderNotification._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
