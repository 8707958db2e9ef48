"""The online repair request (Guide RMA, seed 001): a draft that the customer fills step by
step, which becomes a case (CAS-XXXXXXX-XXXXXX) when submitted. One row carries both: the answers
of a draft are exactly what the case records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
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
    AttachmentKind,
    FlightEnvironment,
    PurchaseChannel,
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
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT
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
    return_label_due_by = models.DateField(_("return label due by"), null=True, blank=True)
    evaluation_fee = models.DecimalField(
        _("evaluation fee per hour"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    evaluation_fee_currency = models.CharField(_("currency"), max_length=3, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        indexes = [models.Index(fields=["user", "status"])]
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
    """A change of a case's status, kept for its history (the customer's progress view)."""

    request = models.ForeignKey(
        RepairRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices)
    occurred_at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("internal note"), blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.request}: {self.get_status_display()}"
