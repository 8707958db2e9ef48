from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TicketStatus(models.TextChoices):
    """The inbox's queues. "To sort": an e-mail that matched no ticket (nothing is dropped)."""

    NEW = "new", _("New")
    WAITING_US = "waiting_us", _("Waiting for us")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting for the customer")
    CLOSED = "closed", pgettext_lazy("ticket", "Closed")
    TO_SORT = "to_sort", _("To sort")


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", _("From the customer")
    REPLY = "reply", _("Reply")
    NOTE = "note", _("Internal note")


class MessageChannel(models.TextChoices):
    FORM = "form", _("Contact form")
    LINK = "link", _("Private link")
    EMAIL = "email", _("E-mail")
    INBOX = "inbox", _("Inbox")


class Continent(models.TextChoices):
    AFRICA = "africa", _("Africa")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    NORTH_AMERICA = "north_america", _("North America")
    OCEANIA = "oceania", _("Oceania")
    SOUTH_AMERICA = "south_america", _("South America")


class ProblemType(models.TextChoices):
    """The contact form's « Type de problème »."""

    REPAIR = "repair", _("Repair request that cannot be completed online")
    TECHNICAL = "technical", _("Technical question")
    PLAN = "plan", _("Service plan")
    CASE = "case", _("A case in progress")
    ORDER = "order", _("Order and delivery")
    OTHER = "other", _("Other")
