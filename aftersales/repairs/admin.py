"""Admin: repair requests with every answer, in the order of the Guide RMA's steps, their files,
their history and the coverage decision with the staff reasoning.

What the customer sent stays as it was sent: every answer is read-only. The status is never a
free field: an administrator may make one of the moves the lifecycle allows (`lifecycle.MOVES`,
through `case_transition`, which refuses what the table or its guards refuse and writes the
timeline); the staff's daily work is in the workshop's pages. Drafts are shown for support only
and cannot be changed. Nothing is added or deleted here: cases come from the online request,
stale drafts go with `purge_stale_drafts`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftersales.devices.models import normalize_serial_number
from aftersales.plans.choices import CoverageOutcome

from . import lifecycle, selectors
from .choices import RequestStatus
from .errors import CaseWorkError
from .models import Attachment, CarrierInvestigation, CaseEvent, ParcelLabel, RepairRequest


def _label_value(label: Any, value: Any) -> str:
    """« Label : value » in French, "Label: value" in English."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = readonly_fields = ("download", "kind", "content_type", "size_display", "uploaded_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("file"))
    def download(self, attachment: Attachment) -> str:
        # Served by the files view, which lets staff read any case's files.
        return format_html(
            '<a href="{}">{}</a>',
            reverse("repairs:attachment", args=[attachment.token]),
            attachment.original_name,
        )

    @admin.display(description=_("size"))
    def size_display(self, attachment: Attachment) -> str:
        return filesizeformat(attachment.size)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "occurred_at",
        "from_status",
        "status",
        "kind",
        "actor",
        "customer_visible",
        "note",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CoverageOutcomeFilter(admin.SimpleListFilter):
    title = _("coverage")
    parameter_name = "coverage"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(CoverageOutcome.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[RepairRequest]) -> QuerySet:
        if self.value() in CoverageOutcome.values:
            return queryset.filter(coverage__outcome=self.value())
        return queryset


# Every answer, step by step (Guide RMA); all shown read-only.
ANSWER_FIELDSETS: Any = (
    (_("Zone and country/region (step 3)"), {"fields": ["zone", "country"]}),
    (_("Product (step 4)"), {"fields": ["device", "product_model", "serial_number"]}),
    (_("Service (step 5)"), {"fields": ["service_type"]}),
    (
        _("Problems (steps 5 and 6)"),
        {"fields": ["problem_list", "description", "support_contacted"]},
    ),
    (
        _("Proof of purchase"),
        {"fields": ["purchase_channel", "received_on", "has_plan", "plan"]},
    ),
    (_("Cause of the accident"), {"fields": ["accident_cause"]}),
    (
        _("Flight data analysis"),
        {
            "fields": [
                "data_analysis_requested",
                "accident_date",
                "flight_environment",
                "abnormal_condition",
                "flight_account_email",
                "flight_records_synced",
                "video_url",
            ]
        },
    ),
    (_("Express"), {"fields": ["express_requested", "express_serial_number"]}),
    (_("What is sent (step 7)"), {"fields": ["shipment", "component"]}),
    (
        _("Return address (step 8)"),
        {"fields": ["return_address", "return_address_as_sent"]},
    ),
    (
        _("Summary and submission (step 12)"),
        {
            "fields": [
                "terms_accepted_at",
                "evaluation_fee",
                "evaluation_fee_currency",
                "repair_centre",
                "language",
            ]
        },
    ),
)
ANSWER_FIELDS = [name for _title, options in ANSWER_FIELDSETS for name in options["fields"]]
CASE_FIELDS = [
    "case_number",
    "user",
    "status",
    "status_changed_at",
    "submitted_at",
    "created_at",
    "updated_at",
    "current_step",
]
# What staff may change on a submitted case: a move of the lifecycle, and the return-label date.
CASE_EDITABLE_FIELDS = ["move_to", "move_note", "return_label_due_by"]


class CaseAdminForm(forms.ModelForm):
    """The status is not a field: `move_to` offers the moves the lifecycle allows this user
    from the case's status, and the move is made by `case_transition` on save."""

    move_to = forms.ChoiceField(label=_("move to"), required=False)
    move_note = forms.CharField(
        label=_("note (staff only)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = RepairRequest
        fields = ["return_label_due_by"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        targets = lifecycle.allowed_targets(self.instance, user) if self.instance.pk else []
        choices: list[tuple[str, str]] = [("", "—")]
        choices += [(target, lifecycle.target_label(target)) for target in targets]
        move_to = self.fields["move_to"]
        assert isinstance(move_to, forms.ChoiceField)
        move_to.choices = choices

    def clean_move_to(self) -> str:
        # The list offers what the table allows; anything else posted is refused here too.
        target = self.cleaned_data.get("move_to") or ""
        if target and target not in lifecycle.allowed_targets(self.instance, self.user):
            raise forms.ValidationError(
                CaseWorkError.message_for(
                    "transition_not_allowed",
                    {
                        "current": RequestStatus(self.instance.status).label,
                        "target": lifecycle.target_label(target),
                    },
                )
            )
        return target


@admin.register(RepairRequest)
class RepairRequestAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "customer_email",
        "model_name",
        "serial_number",
        "status",
        "submitted_at",
        "coverage_outcome",
    ]
    list_select_related = ["user", "product_model", "device__model"]
    list_filter = [
        "status",
        "zone",
        "service_type",
        ("submitted_at", admin.DateFieldListFilter),
        CoverageOutcomeFilter,
    ]
    search_fields = ["^case_number", "=serial_number", "=user__email"]
    search_help_text = _(
        "A case number (or its beginning), a serial number, or the customer's e-mail address."
    )
    ordering = ["-submitted_at", "-updated_at"]
    show_full_result_count = False
    list_per_page = 50
    inlines = [AttachmentInline, CaseEventInline]
    form = CaseAdminForm
    fieldsets = (
        (
            _("Case"),
            {"fields": [*CASE_FIELDS, *CASE_EDITABLE_FIELDS]},
        ),
        (
            _("Coverage decision"),
            {"fields": ["coverage_decision"]},
        ),
        *ANSWER_FIELDSETS,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[RepairRequest]:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "user",
                "zone",
                "device__model",
                "product_model",
                "plan__offering",
                "component",
                "return_address",
                "repair_centre",
            )
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[RepairRequest], search_term: str
    ) -> tuple[QuerySet[RepairRequest], bool]:
        # Case numbers and serial numbers are stored normalised: search them the way they are
        # stored (a case number typed in lower case, a serial number with spaces or dashes).
        term = search_term.strip()
        if not term:
            return queryset, False
        return (
            queryset.filter(
                Q(case_number__startswith=selectors.normalize_case_number(term))
                | Q(serial_number=normalize_serial_number(term))
                | Q(user__email__iexact=term)
            ),
            False,
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*CASE_FIELDS, "coverage_decision", *ANSWER_FIELDS]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A case's history is kept; drafts are removed with their files by the daily purge.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A draft is the customer's work in progress: staff see it, only the customer edits it.
        if obj is not None and obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class FormForUser(form_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, user=user, **kwargs)

        return FormForUser

    def save_model(self, request: HttpRequest, obj: RepairRequest, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            target = form.cleaned_data.get("move_to")
            if target:
                # The one service: it refuses what the table or a guard refuses.
                lifecycle.case_transition(
                    case=obj, to=target, by=request.user, note=form.cleaned_data["move_note"]
                )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except CaseWorkError as error:
            # A guard refused (e.g. no reception recorded): said on the page, nothing saved.
            self.message_user(request, error.message, level="error")
            return HttpResponseRedirect(request.path)

    # --- Columns and read-only displays -------------------------------------------------------

    @admin.display(description=_("case number"), ordering="case_number")
    def number(self, repair_request: RepairRequest) -> str:
        return str(repair_request)

    @admin.display(description=_("customer"), ordering="user__email")
    def customer_email(self, repair_request: RepairRequest) -> str:
        return repair_request.user.email

    @admin.display(description=_("model"))
    def model_name(self, repair_request: RepairRequest) -> str:
        return selectors.request_product_name(repair_request) or "—"

    @admin.display(description=_("coverage"))
    def coverage_outcome(self, repair_request: RepairRequest) -> str:
        coverage = selectors.case_coverage(repair_request, audience="staff")
        return coverage.outcome_label if coverage else "—"

    @admin.display(description=_("problems"))
    def problem_list(self, repair_request: RepairRequest) -> str:
        labels = selectors.request_problem_labels(repair_request)
        return format_html_join("", "<div>{}</div>", ((label,) for label in labels)) or "—"

    @admin.display(description=_("return address (as sent)"))
    def return_address_as_sent(self, repair_request: RepairRequest) -> str:
        snapshot = repair_request.return_address_snapshot or {}
        lines = selectors.snapshot_address_lines(snapshot)
        extra = [
            (_("Phone"), snapshot.get("phone")),
            (_("VAT number"), snapshot.get("vat_number")),
        ]
        lines += [_label_value(label, value) for label, value in extra if value]
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines)) or "—"

    @admin.display(description=_("coverage decision"))
    def coverage_decision(self, repair_request: RepairRequest) -> str:
        coverage = selectors.case_coverage(repair_request, audience="staff")
        if coverage is None:
            return "—"
        details = [
            (_("Replacement"), coverage.replacement),
            (_("Fee"), coverage.fee),
            (_("Warranty ends on"), coverage.warranty_ends_on),
        ]
        plan_link = ""
        if coverage.plan_id:
            plan_link = format_html(
                ' · <a href="{}">{}</a>',
                reverse("admin:plans_plan_change", args=[coverage.plan_id]),
                _("Plan #%(id)s") % {"id": coverage.plan_id},
            )
        return format_html(
            "<strong>{}</strong>{}{}<ul>{}</ul>",
            coverage.outcome_label,
            plan_link,
            format_html_join(
                "",
                " · {}",
                ((_label_value(label, value),) for label, value in details if value),
            ),
            format_html_join(
                "",
                "<li>{}</li>",
                ((_label_value(reason.faq, reason.text),) for reason in coverage.reasons),
            ),
        )


@admin.register(ParcelLabel)
class ParcelLabelAdmin(admin.ModelAdmin):
    """The labels as the carriers made them: read only (a label is never changed, the PDF is
    downloaded from the case's pages)."""

    list_display = ["tracking_number", "carrier_name", "direction", "request", "created_at"]
    list_select_related = ["request"]
    list_filter = ["direction", "carrier"]
    search_fields = ["=tracking_number", "^request__case_number"]
    fields = readonly_fields = (
        "request",
        "direction",
        "carrier",
        "carrier_name",
        "tracking_number",
        "tracking_url",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CarrierInvestigation)
class CarrierInvestigationAdmin(admin.ModelAdmin):
    """Recorded from the workshop's case page; read here."""

    list_display = ["tracking_number", "request", "direction", "opened_at", "due_by", "outcome"]
    list_select_related = ["request"]
    list_filter = ["direction", "outcome"]
    search_fields = ["=tracking_number", "^request__case_number", "carrier_reference"]
    fields = readonly_fields = (
        "request",
        "direction",
        "tracking_number",
        "carrier_reference",
        "note",
        "opened_at",
        "opened_by",
        "due_by",
        "closed_at",
        "outcome",
        "closed_by",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
