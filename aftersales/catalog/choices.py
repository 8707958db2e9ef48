from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelKind(models.TextChoices):
    AIRCRAFT = "aircraft", _("Aircraft")
    GIMBAL_CAMERA = "gimbal_camera", _("Gimbal camera")
    HANDHELD = "handheld", _("Handheld")
