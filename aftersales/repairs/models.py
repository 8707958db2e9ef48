"""The online repair request (Guide RMA, seed 001): a draft that the customer fills step by
step, which becomes a case (CAS-XXXXXXX-XXXXXX) when submitted. One row carries both: the answers
of a draft are exactly what the case records."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from aftersales.accounts.models import Address
from aftersales.catalog.models import Component, ProductModel, RepairCentre, ServiceZone
from aftersales.core.typing import CountryFieldValue
from aftersales.devices.models import Device
from aftersales.plans.models import Plan

from .choices import (
    AbnormalCondition,
    AccidentCause,
    ActorKind,
    AttachmentKind,
    EvaluatedCause,
    EventKind,
    ExpressFlag,
    ExpressResolution,
    FlightEnvironment,
    HoldReason,
    InvestigationOutcome,
    Liability,
    ParcelDirection,
    PaymentMethod,
    PaymentPurpose,
    PurchaseChannel,
    QuoteLineKind,
    QuoteOption,
    ReceivedContents,
    ReplacementKind,
    RequestStatus,
    ServiceType,
    Shipment,
)


class RepairRequest(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="repair_requests",
        verbose_name=_("customer"),
    )
    # Changed only by lifecycle.case_transition (and the submission), never as a free field.
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        editable=False,
    )
    # When the case entered its status: the work queues sort and age by it.
    status_changed_at = models.DateTimeField(_("in this status since"), null=True, blank=True)
    # On hold: why, and the status the case goes back to.
    hold_reason = models.CharField(
        _("on hold because"), max_length=20, choices=HoldReason.choices, blank=True
    )
    held_from_status = models.CharField(
        _("held from"), max_length=30, choices=RequestStatus.choices, blank=True
    )
    # The last step the customer saved, to resume a draft where it was left.
    current_step = models.CharField(_("current step"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True, db_index=True)

    # Step: zone and country/region (guide, step 3).
    zone = models.ForeignKey(
        ServiceZone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service zone"),
    )
    country: CountryFieldValue = CountryField(_("country/region"), blank=True)

    # Step: product (guide, step 4): from My products, by serial number, or by model.
    device = models.ForeignKey(
        Device,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repair_requests",
        verbose_name=_("device"),
    )
    serial_number = models.CharField(_("serial number"), max_length=40, blank=True)
    product_model = models.ForeignKey(
        ProductModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("model"),
    )

    # Step: service (guide, step 5).
    service_type = models.CharField(
        _("service"), max_length=20, choices=ServiceType.choices, blank=True
    )

    # Step: problems (guide, steps 5–6).
    problems = models.JSONField(_("problems"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    support_contacted = models.BooleanField(
        _("contacted support, problem not solved"), default=False
    )

    # Step: proof of purchase.
    purchase_channel = models.CharField(
        _("purchase channel"), max_length=30, choices=PurchaseChannel.choices, blank=True
    )
    received_on = models.DateField(_("date of receipt"), null=True, blank=True)
    has_plan = models.BooleanField(_("I have a service plan"), default=False)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repair_requests",
        verbose_name=_("service plan"),
    )

    # Step: cause, when accident damage is ticked.
    accident_cause = models.CharField(
        _("cause of the accident"), max_length=20, choices=AccidentCause.choices, blank=True
    )

    # Step: flight data analysis.
    data_analysis_requested = models.BooleanField(_("flight data analysis"), default=False)
    accident_date = models.DateField(_("date of the accident"), null=True, blank=True)
    flight_environment = models.CharField(
        _("flight environment"), max_length=20, choices=FlightEnvironment.choices, blank=True
    )
    abnormal_condition = models.CharField(
        _("abnormal condition before the accident"),
        max_length=30,
        choices=AbnormalCondition.choices,
        blank=True,
    )
    flight_account_email = models.EmailField(_("account used in flight"), blank=True)
    flight_records_synced = models.BooleanField(_("flight records synced"), default=False)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)

    # Step: Express (plan holders whose offering has it).
    express_requested = models.BooleanField(_("Express replacement"), default=False)
    express_serial_number = models.CharField(
        _("aircraft serial number (Express)"), max_length=40, blank=True
    )

    # Step: what to send (guide, step 7).
    shipment = models.CharField(
        _("what is sent"), max_length=20, choices=Shipment.choices, blank=True
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("defective component"),
    )

    # Step: return address (guide, step 8).
    return_address = models.ForeignKey(
        Address,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("return address"),
    )

    # Summary and submission (guide, step 12).
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    case_number = models.CharField(
        _("case number"), max_length=20, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    repair_centre = models.ForeignKey(
        RepairCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("repair centre"),
    )
    # Copies taken at submission, so that the case stays as it was sent.
    return_address_snapshot = models.JSONField(_("return address (as sent)"), default=dict)
    coverage = models.JSONField(_("coverage decision"), default=dict, blank=True)
    # Guide: a return label within two business days when the case is eligible.
    # The customer hears by then whether they get a prepaid label (and gets it), in the repair
    # centre's business days (`repairs.parcels`).
    return_label_due_by = models.DateField(_("return label due by"), null=True, blank=True)
    # The decision (null until taken) and when the customer was told, label or not.
    return_label_eligible = models.BooleanField(
        _("prepaid return label"), null=True, blank=True, editable=False
    )
    return_label_sent_at = models.DateTimeField(
        _("return label e-mailed at"), null=True, blank=True, editable=False
    )
    # Service levels (`sla.py`): when the clock running now breaches its target (none while
    # paused or when no clock runs), and the return date the customer was last told; both are
    # derived from the timeline at each move (`manage.py sla_recompute` derives them again).
    sla_due_at = models.DateTimeField(
        _("service level due at"), null=True, blank=True, editable=False
    )
    estimated_return_on = models.DateField(
        _("estimated return date"), null=True, blank=True, editable=False
    )
    evaluation_fee = models.DecimalField(
        _("evaluation fee per hour"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    evaluation_fee_currency = models.CharField(_("currency"), max_length=3, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        indexes = [
            models.Index(fields=["user", "status"]),
            # The workshop's queues: a status, the oldest first. Counted from the index alone
            # (PostgreSQL): with the Express flag for "to repair" / "Express: to ship" and the
            # id for the queues of the few cases found from another table (flags, parcels
            # investigated); with the centre for the queue ahead of a case (`estimates.py`),
            # counted at every move.
            models.Index(
                fields=["status", "status_changed_at"],
                name="repairs_queue_idx",
                include=["express_requested", "id", "repair_centre"],
            ),
            # The queues sorted by what breaches first (`sla.py`), then the longest waiting:
            # a page's 50 keys read from the index alone, with the id for the queues of cases
            # found from another table (Express flags, parcels investigated) and the Express
            # flag for "to repair" (a page of the flagged queue read 3,000 cases' rows: 9 ms).
            models.Index(
                fields=["status", "sla_due_at", "status_changed_at"],
                name="repairs_sla_queue_idx",
                include=["id", "express_requested"],
            ),
            models.Index(fields=["serial_number"], name="repairs_serial_idx"),
            # The workshop dashboard: the cases submitted on a day.
            models.Index(fields=["submitted_at"], name="repairs_submitted_idx"),
            # The labels-late queue: the few cases whose customer has not heard of their label
            # yet, in the queue's order (every other case has left this index).
            models.Index(
                fields=["status", "status_changed_at"],
                name="repairs_label_unsent_idx",
                condition=models.Q(return_label_sent_at__isnull=True),
            ),
            # The staff search by the beginning of a case number (LIKE 'CAS-12%') needs no index
            # of its own: on PostgreSQL Django gives the unique case_number a second index with
            # the pattern operators ("…_like").
        ]
        # Per action, given to roles by default in migration 0003 (then the administrators'
        # data, like every permission); `lifecycle.MOVES` says which move needs which.
        permissions = [
            ("receive_parcel", _("Can receive parcels")),
            ("evaluate_case", _("Can evaluate cases")),
            ("send_quote", _("Can send quotes")),
            ("record_payment", _("Can record payments")),
            ("repair_case", _("Can repair")),
            ("replace_unit", _("Can grant a plan replacement")),
            ("check_quality", _("Can do the quality check")),
            ("ship_case", _("Can ship cases back")),
            ("hold_case", _("Can put cases on hold")),
            ("cancel_case", _("Can cancel cases")),
            ("close_case", _("Can close cases")),
            ("annotate_case", _("Can add notes to cases")),
            # The workshop dashboard's figures (issue 9, item 6): not "view_…", which the roles'
            # defaults would read as the admin's "view" action.
            ("open_dashboard", _("Can open the workshop dashboard")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=RequestStatus.DRAFT)
                | (models.Q(case_number__isnull=False) & models.Q(submitted_at__isnull=False)),
                name="repairs_submitted_case_has_number",
                violation_error_message=_("A submitted case has a case number."),
            )
        ]

    def __str__(self) -> str:
        return self.case_number or _("Draft %(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        if self.is_draft:
            return reverse("repairs:resume", args=[self.pk])
        return reverse("repairs:case", args=[self.case_number])

    @property
    def is_draft(self) -> bool:
        return self.status == RequestStatus.DRAFT


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the customer's file name on disk: it is kept in `original_name`.
    return f"repairs/{instance.request_id}/{instance.kind}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    """An uploaded file (invoice, flight log). Stored under MEDIA_ROOT, which is not served:
    files are read through a view that checks the owner or staff."""

    request = models.ForeignKey(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("repair request"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    token = models.CharField(_("token"), max_length=32, unique=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    extension = models.CharField(_("extension"), max_length=10)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("repairs:attachment", args=[self.token])


class CaseEvent(models.Model):
    """The case's timeline: every move of its status (from, to, who, when, a note), and the
    notes, quotes and payments staff record. The customer reads the events marked visible (their
    e-mail is sent once the move commits); staff read them all. Appended, never changed."""

    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.STATUS
    )
    from_status = models.CharField(
        _("from"), max_length=30, choices=RequestStatus.choices, blank=True
    )
    # The status after the event (for a note, the status it was written in).
    status = models.CharField(_("status"), max_length=30, choices=RequestStatus.choices)
    occurred_at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_kind = models.CharField(
        _("by"), max_length=20, choices=ActorKind.choices, default=ActorKind.SYSTEM
    )
    note = models.TextField(_("note"), blank=True)
    customer_visible = models.BooleanField(_("the customer sees it"), default=False)
    # A move on hold: why (the service level clocks pause while waiting for parts or for the
    # customer).
    hold_reason = models.CharField(
        _("on hold because"), max_length=20, choices=HoldReason.choices, blank=True
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [
            models.Index(fields=["request", "occurred_at"], name="repairs_event_case_idx"),
            # The workshop dashboard: the moves of a day (workshop.dashboard.count_days).
            models.Index(
                fields=["occurred_at", "status"],
                condition=models.Q(kind="status"),
                name="repairs_event_move_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_status_display()}"


# --- The workshop's records of a case (issue 8) ---------------------------------------------------


class Reception(models.Model):
    """The parcel as reception found it, against what the customer said they would send."""

    request = models.OneToOneField(
        RepairRequest, on_delete=models.CASCADE, related_name="reception", verbose_name=_("case")
    )
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    contents = models.CharField(_("what arrived"), max_length=20, choices=ReceivedContents.choices)
    # Values of UnexpectedItem: what the guide asks not to send, found in the parcel.
    unexpected_items = models.JSONField(_("not to be sent, but in the parcel"), default=list)
    serial_number_read = models.CharField(_("serial number on the unit"), max_length=40)
    serial_mismatch = models.BooleanField(_("serial number differs from the case"), default=False)
    # Express: the damaged unit comes back with its battery (None: not asked, not Express).
    battery_included = models.BooleanField(_("battery included"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        # Staff search: a unit is found by the serial number read on it too.
        indexes = [models.Index(fields=["serial_number_read"], name="repairs_reception_serial_idx")]

    def __str__(self) -> str:
        return f"{self.request} · {self.received_at:%Y-%m-%d}"

    @property
    def contents_differ(self) -> bool:
        """What arrived is not what the customer said they would send (guide, step 7)."""
        return self.contents != self.request.shipment


class Evaluation(models.Model):
    """A technician's findings. The latest one is the case's; the coverage decision is asked
    again from them (`coverage`, "as evaluated", beside the case's "as declared")."""

    request = models.ForeignKey(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("case"),
    )
    evaluated_at = models.DateTimeField(_("evaluated at"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    findings = models.TextField(_("findings"))
    damaged_components = models.ManyToManyField(
        Component, related_name="+", verbose_name=_("damaged components")
    )
    cause = models.CharField(_("cause found"), max_length=30, choices=EvaluatedCause.choices)
    liability = models.CharField(_("liability"), max_length=20, choices=Liability.choices)
    # The repair's estimated labour, quoted; and the time the evaluation took, which a refused
    # quote pays for (guide: « frais d'évaluation des dommages de 50 euros par heure »).
    labour_hours = models.DecimalField(_("labour (hours)"), max_digits=5, decimal_places=2)
    evaluation_hours = models.DecimalField(
        _("evaluation time (hours)"), max_digits=5, decimal_places=2, default=Decimal("1.00")
    )
    coverage = models.JSONField(_("coverage decision (as evaluated)"), default=dict)

    class Meta:
        ordering = ["-evaluated_at", "-id"]
        # The workshop dashboard: the evaluations of a day.
        indexes = [models.Index(fields=["evaluated_at"], name="repairs_evaluated_idx")]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(labour_hours__gte=0) & models.Q(evaluation_hours__gte=0),
                name="repairs_evaluation_hours_not_negative",
                violation_error_message=_("Labour cannot be negative."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.get_cause_display()}"


class Quote(models.Model):
    """A quote built from an evaluation. A revised quote supersedes the earlier one and needs a
    new answer; the options offered and their amounts are fixed when it is sent."""

    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("case")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("evaluation")
    )
    created_at = models.DateTimeField(_("sent at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    valid_until = models.DateField(_("valid until"))
    currency = models.CharField(_("currency"), max_length=3)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    subtotal = models.DecimalField(_("total before VAT"), max_digits=10, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2)
    # The options offered, with what each costs: [{"option": "repair", "amount": "…",
    # "currency": "EUR"}, {"option": "plan_replacement", …, "replacement_number": 1,
    # "replacements_allowed": 2}, {"option": "refuse", …, "hours": "1.50"}].
    options = models.JSONField(_("options"), default=list)
    message = models.TextField(_("message to the customer"), blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["request", "-version"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "version"],
                name="repairs_quote_version_once",
                violation_error_message=_("This version of the quote exists already."),
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(superseded_at__isnull=True),
                name="repairs_one_current_quote",
                violation_error_message=_("A case has one current quote."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} · v{self.version}"

    def option(self, option: str) -> dict[str, object] | None:
        return next((item for item in self.options if item.get("option") == option), None)


class QuoteLine(models.Model):
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuoteLineKind.choices)
    component = models.ForeignKey(
        Component,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part"),
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=7, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["quote", "position", "id"]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0) & models.Q(unit_price__gte=0),
                name="repairs_quote_line_positive",
                violation_error_message=_("Quantities are positive and prices not negative."),
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class QuoteAnswer(models.Model):
    """The customer's answer to one version of a quote: one per quote, ever."""

    quote = models.OneToOneField(
        Quote, on_delete=models.CASCADE, related_name="answer", verbose_name=_("quote")
    )
    option = models.CharField(_("answer"), max_length=20, choices=QuoteOption.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    answered_at = models.DateTimeField(_("answered at"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        # The workshop dashboard: the answers of a day.
        indexes = [models.Index(fields=["answered_at"], name="repairs_answered_idx")]
        verbose_name = _("answer to a quote")
        verbose_name_plural = _("answers to quotes")

    def __str__(self) -> str:
        return f"{self.quote} · {self.get_option_display()}"


class Payment(models.Model):
    """What the customer owes for a case and, once recorded, how it was paid. A payment is
    confirmed once (the constraint), however many times it is recorded."""

    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="payments", verbose_name=_("case")
    )
    purpose = models.CharField(_("for"), max_length=20, choices=PaymentPurpose.choices)
    quote = models.ForeignKey(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("quote"),
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    created_at = models.DateTimeField(_("due since"), auto_now_add=True)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["request", "created_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            # One payment per purpose and quote (an accepted quote is paid once; a revised
            # quote answered again owes anew), and one per purpose without a quote.
            models.UniqueConstraint(
                fields=["request", "purpose", "quote"],
                condition=models.Q(quote__isnull=False),
                name="repairs_payment_once_per_quote",
                violation_error_message=_("This payment is already recorded for the case."),
            ),
            models.UniqueConstraint(
                fields=["request", "purpose"],
                condition=models.Q(quote__isnull=True),
                name="repairs_payment_once_per_purpose",
                violation_error_message=_("This payment is already recorded for the case."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="repairs_payment_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.get_purpose_display()}"

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def transfer_reference(self) -> str:
        """The ISO 11649 reference the customer writes on a bank transfer for this payment
        (issue 9), printed in groups of four."""
        from aftersales.payments.providers.bank_transfer import transfer_reference
        from aftersales.payments.references import reference_format

        return reference_format(transfer_reference(self.request.case_number or "", self.purpose))


class PartUsed(models.Model):
    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="parts_used", verbose_name=_("case")
    )
    component = models.ForeignKey(
        Component, on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    serial_number = models.CharField(_("serial number of the new part"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["request", "recorded_at", "id"]
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")

    def __str__(self) -> str:
        return f"{self.component} × {self.quantity}"


class Replacement(models.Model):
    """A replacement under the plan done through the case: the whole unit (its new serial
    number is bound to the plan) or a covered component (FAQ 3, 4, 10)."""

    request = models.ForeignKey(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="replacements",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("replaced"), max_length=20, choices=ReplacementKind.choices)
    component = models.ForeignKey(
        Component,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("component"),
    )
    old_serial_number = models.CharField(_("old serial number"), max_length=40, blank=True)
    new_serial_number = models.CharField(_("new serial number"), max_length=40)
    replacement_number = models.PositiveSmallIntegerField(_("replacement of the plan"))
    fee_amount = models.DecimalField(_("fee"), max_digits=10, decimal_places=2)
    fee_currency = models.CharField(_("currency"), max_length=3)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["request", "recorded_at", "id"]
        verbose_name = _("replacement")
        verbose_name_plural = _("replacements")
        # Staff search: a unit is found by its former and its later serial numbers.
        indexes = [
            models.Index(fields=["old_serial_number"], name="repairs_replaced_old_idx"),
            models.Index(fields=["new_serial_number"], name="repairs_replaced_new_idx"),
        ]
        constraints = [
            # One replacement per case: a second would use another of the plan's replacements.
            models.UniqueConstraint(
                fields=["request"],
                name="repairs_one_replacement_per_case",
                violation_error_message=_("This case already has its replacement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.old_serial_number} → {self.new_serial_number}"


class ReturnShipment(models.Model):
    """The parcel back to the customer: carrier and tracking number."""

    request = models.OneToOneField(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="return_shipment",
        verbose_name=_("case"),
    )
    carrier = models.CharField(_("carrier"), max_length=60)
    tracking_number = models.CharField(_("tracking number"), max_length=60)
    # The carrier's page for this parcel, given by the carrier integration when shipped.
    tracking_url = models.URLField(_("tracking page"), max_length=500, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"))
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("return shipment")
        verbose_name_plural = _("return shipments")

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class ParcelLabel(models.Model):
    """A carrier's label for one of a case's parcels, as the carrier integration made it: the
    prepaid return label the customer sticks on the parcel to the centre (inbound), or the label
    of the parcel back (outbound). The PDF is kept as made, so that what is downloaded again is
    what was e-mailed and printed."""

    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="labels", verbose_name=_("case")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=ParcelDirection.choices)
    carrier = models.CharField(_("carrier integration"), max_length=30)
    carrier_name = models.CharField(_("carrier"), max_length=60)
    tracking_number = models.CharField(_("tracking number"), max_length=60)
    tracking_url = models.URLField(_("tracking page"), max_length=500, blank=True)
    pdf = models.BinaryField(_("label (PDF)"), editable=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["request", "created_at", "id"]
        verbose_name = _("parcel label")
        verbose_name_plural = _("parcel labels")
        constraints = [
            # One label each way: a task run again after a crash finds it and makes no second.
            models.UniqueConstraint(
                fields=["request", "direction"],
                name="repairs_one_label_each_way",
                violation_error_message=_("This case already has its label."),
            ),
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"],
                name="repairs_tracking_number_once",
                violation_error_message=_("This tracking number is already on another label."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier_name} {self.tracking_number}"


class CarrierInvestigation(models.Model):
    """A parcel the carrier is asked to find (guide: « En cas de perte du colis, veuillez
    contacter le service client DJI dès que possible. Le temps nécessaire à UPS pour enquêter au
    sujet du colis perdu est soumis au contrat de service… »): recorded by an agent, with the
    carrier's deadline in the centre's business days
    (`RepairCentre.investigation_business_days`)."""

    request = models.ForeignKey(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="investigations",
        verbose_name=_("case"),
    )
    direction = models.CharField(_("parcel"), max_length=10, choices=ParcelDirection.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=60)
    carrier_reference = models.CharField(_("carrier's reference"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    due_by = models.DateTimeField(_("carrier's answer due by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=InvestigationOutcome.choices, blank=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["request", "-opened_at", "-id"]
        verbose_name = _("carrier investigation")
        verbose_name_plural = _("carrier investigations")
        permissions = [("investigate_parcel", _("Can record carrier investigations"))]
        indexes = [
            models.Index(fields=["closed_at", "due_by"], name="repairs_investigation_open_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "direction"],
                condition=models.Q(closed_at__isnull=True),
                name="repairs_one_open_investigation",
                violation_error_message=_("The carrier is already investigating this parcel."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.tracking_number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_late(self, now: datetime) -> bool:
        return self.is_open and now > self.due_by


# --- Service levels and the estimated return date (issue 9, item 5; `sla.py`) --------------------


class SlaClock(models.Model):
    """One service level clock of a case (a stage: label, evaluation, quote answer, repair,
    shipping), as `sla.clocks_compute` derives it from the timeline at each move: stored so that
    the dashboard counts breaches per week in one query. Replaced whole at each move, never
    edited otherwise; `manage.py sla_recompute` derives every case's again."""

    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="sla_clocks", verbose_name=_("case")
    )
    centre = models.ForeignKey(
        RepairCentre,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("repair centre"),
    )
    stage = models.CharField(_("stage"), max_length=20)
    started_at = models.DateTimeField(_("started at"))
    state = models.CharField(_("state"), max_length=10)
    # Running: when it breaches. Breached: when it did (also for an ended or paused clock).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    used_seconds = models.BigIntegerField(_("time used (seconds)"), default=0)
    target_seconds = models.BigIntegerField(_("target (seconds)"), default=0)

    class Meta:
        verbose_name = _("service level clock")
        verbose_name_plural = _("service level clocks")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "stage"],
                name="repairs_sla_clock_once",
                violation_error_message=_("A case has one clock per stage."),
            )
        ]
        indexes = [
            # The dashboard: breaches per week (breached, or running past its due time), each
            # counted from its index alone (the stage and centre kept in it).
            models.Index(
                fields=["breached_at"],
                name="repairs_sla_breached_idx",
                include=["stage", "centre"],
            ),
            models.Index(
                fields=["state", "due_at"], name="repairs_sla_due_idx", include=["stage", "centre"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.stage}"


class StageDuration(models.Model):
    """A repair centre's measured time in one status (the median of the stages that ended in
    the last weeks, and how many end per day), measured nightly (`estimates.py`): what the
    estimated return date is made of."""

    centre = models.ForeignKey(
        RepairCentre,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("repair centre"),
    )
    status = models.CharField(_("status"), max_length=30, choices=RequestStatus.choices)
    median_seconds = models.BigIntegerField(_("median duration (seconds)"))
    ended_per_day = models.FloatField(_("stages ended per day"))
    samples = models.PositiveIntegerField(_("stages measured"))
    measured_at = models.DateTimeField(_("measured at"))

    class Meta:
        verbose_name = _("measured stage duration")
        verbose_name_plural = _("measured stage durations")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "status"],
                name="repairs_stage_duration_once",
                violation_error_message=_("A centre has one measure per status."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre} · {self.status}"


class ReturnEstimate(models.Model):
    """The return date the customer was told with a move (its e-mail and the case page), kept
    so that its accuracy is measured once the case is closed (the dashboard's error)."""

    request = models.ForeignKey(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="return_estimates",
        verbose_name=_("case"),
    )
    event = models.OneToOneField(
        CaseEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="return_estimate",
        verbose_name=_("event"),
    )
    centre = models.ForeignKey(
        RepairCentre,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("repair centre"),
    )
    made_at = models.DateTimeField(_("made at"))
    estimated_on = models.DateField(_("estimated return date"))
    # Filled when the case is closed: the day it was, and the estimate's error in days (late
    # estimates are negative: the case came back after the date given).
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    error_days = models.IntegerField(_("error (days)"), null=True, blank=True)

    class Meta:
        ordering = ["made_at", "id"]
        verbose_name = _("return date estimate")
        verbose_name_plural = _("return date estimates")
        indexes = [models.Index(fields=["closed_on"], name="repairs_estimate_closed_idx")]

    def __str__(self) -> str:
        return f"{self.request} · {self.estimated_on}"


class ExpressReturn(models.Model):
    """An Express case's damaged unit, owed back once the replacement has shipped ahead of it
    (seed 001, « DJI Care Refresh Express »): by when, whether the customer was reminded, and
    the flag an agent acts on when it does not come back in time, or comes back with another
    serial number or without its battery (charge the difference, or clear it with a note)."""

    request = models.OneToOneField(
        RepairRequest,
        on_delete=models.CASCADE,
        related_name="express_return",
        verbose_name=_("case"),
    )
    # The unit owed back: the one the case was about, replaced by the unit shipped.
    serial_number = models.CharField(_("serial number of the damaged unit"), max_length=40)
    shipped_at = models.DateTimeField(_("replacement shipped at"))
    due_by = models.DateTimeField(_("damaged unit due back by"))
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # Values of ExpressFlag, the reasons found (several may be: another unit, and no battery).
    flags = models.JSONField(_("flagged for"), default=list, blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=ExpressResolution.choices, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution_note = models.TextField(_("resolution note"), blank=True)

    class Meta:
        verbose_name = _("Express return")
        verbose_name_plural = _("Express returns")
        indexes = [
            # The daily task reads the units still owed by their deadline.
            models.Index(fields=["due_by"], name="repairs_express_due_idx"),
            # The workshop's "Express: unit not returned / to charge" queue: the open flags.
            models.Index(
                fields=["request"],
                name="repairs_express_flag_open_idx",
                condition=models.Q(flagged_at__isnull=False, resolved_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.serial_number}"

    @property
    def flag_open(self) -> bool:
        return self.flagged_at is not None and self.resolved_at is None

    @property
    def flag_labels(self) -> list[str]:
        return [str(ExpressFlag(flag).label) for flag in self.flags if flag in ExpressFlag.values]
