from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles; each is a group of the same name (created by a migration)."""

    AGENT = "agent", _("Support agent")
    RECEPTION = "reception", _("Reception and logistics")
    TECHNICIAN = "technician", _("Technician")
    ANALYST = "analyst", _("Data analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
