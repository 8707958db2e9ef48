from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelKind(models.TextChoices):
    AIRCRAFT = "aircraft", _("Aircraft")
    GIMBAL_CAMERA = "gimbal_camera", _("Gimbal camera")
    HANDHELD = "handheld", _("Handheld")


class TrackingNumberFormat(models.TextChoices):
    """The formats of tracking numbers a repair centre's own carrier account issues, each
    checked by the tracking-numbers library (its checksum included)."""

    UPS = "UPS", _("UPS (1Z…, 18 characters)")
    S10 = "S10", _("UPU S10, postal (RR123456785NL)")
