from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BindingChannel(models.TextChoices):
    """How a plan came to be bound to its device (FAQ 3, 11)."""

    STORE_WITH_DEVICE = "store_with_device", _("Bought with the device")
    STORE_SEPARATE = "store_separate", _("Bought separately")
    ACTIVATION_CARD = "activation_card", _("Activation card")


class PlanEventKind(models.TextChoices):
    PLAN_BOUND = "plan_bound", _("Plan bound")
    REPLACEMENT_GRANTED = "replacement_granted", _("Replacement granted")
    WARRANTY_REPAIR = "warranty_repair", _("Warranty repair")
    COMPONENT_SERIAL_CHANGED = "component_serial_changed", _("Component serial number changed")


class UnbindReason(models.TextChoices):
    REPLACED = "replaced", _("Unit replaced")


class DamageCause(models.TextChoices):
    ACCIDENT = "accident", _("Accident")
    WATER = "water", _("Water damage")
    MANUFACTURING_DEFECT = "manufacturing_defect", _("Manufacturing defect")
    OTHER = "other", pgettext_lazy("damage cause", "Other")


class CoverageOutcome(models.TextChoices):
    WARRANTY = "warranty", _("Covered by the warranty")
    PLAN_REPLACEMENT = "plan_replacement", _("Covered by the plan")
    NOT_COVERED = "not_covered", _("Not covered")


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
