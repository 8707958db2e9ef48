from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleAction(models.TextChoices):
    """What an answer leads to: a page of the site, by its URL name (reversed on the page, so a
    moved page is followed), with the button's words."""

    PLAN_ACTIVATE = "plans:activate", _("Activate a plan")
    PLAN_LIST = "plans:list", _("See my plans")
    REPAIR_START = "repairs:start", _("Start a repair request")
    DEVICE_LIST = "devices:list", _("See my products")
    SERIAL_NUMBERS = "helpcentre:serial_numbers", _("Where is the serial number?")
