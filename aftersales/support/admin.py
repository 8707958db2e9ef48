from django.contrib import admin

from .models import CannedAnswer, Ticket, TicketFile, TicketMessage


class TicketMessageInline(admin.TabularInline):
    model = TicketMessage
    extra = 0
    fields = ("kind", "channel", "author", "from_email", "body", "automatic", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("number", "subject", "email", "status", "assignee", "last_activity_at")
    list_filter = ("status", "problem_type")
    search_fields = ("number", "email", "serial_number", "subject")
    raw_id_fields = ("customer", "assignee", "repair_request", "product_model")
    readonly_fields = ("access_token_hash", "link_salt", "reply_token", "created_at")
    inlines = [TicketMessageInline]


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    list_display = ("title", "position")
    search_fields = ("title", "body_en", "body_fr")


@admin.register(TicketFile)
class TicketFileAdmin(admin.ModelAdmin):
    list_display = ("original_name", "ticket", "content_type", "size", "uploaded_at")
    raw_id_fields = ("ticket", "message")
    readonly_fields = ("token", "sha256", "file")
