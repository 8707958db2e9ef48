from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import PaymentError
from .models import PaymentAttempt, ProviderNotification
from .services import attempt_refund


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
    actions = ["refund"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    @admin.action(description=_("Refund what is left through the provider"), permissions=["change"])
    def refund(self, request: HttpRequest, queryset: QuerySet[PaymentAttempt]) -> None:
        """Until the back office has its own page: an online payment refunded in whole (what
        was not refunded yet), through its provider, never more than was paid."""
        for attempt in queryset:
            try:
                attempt_refund(attempt=attempt)
            except PaymentError as error:
                self.message_user(request, f"{attempt}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, gettext("%(payment)s: refunded.") % {"payment": attempt})


@admin.register(ProviderNotification)
class ProviderNotificationAdmin(admin.ModelAdmin):
    list_display = ["event_id", "event_type", "provider", "outcome", "received_at"]
    list_filter = ["provider", "outcome"]
    search_fields = ["event_id"]
    readonly_fields = [field.name for field in ProviderNotification._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
