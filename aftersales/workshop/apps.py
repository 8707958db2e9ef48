from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopConfig(AppConfig):
    """The repair centre's staff pages (issue 8): work queues, reception by scan, evaluation,
    quotes, repair or replacement, shipping. Above `repairs`, whose cases it works on."""

    name = "aftersales.workshop"
    label = "workshop"
    verbose_name = _("Workshop")
