"""What the support workflows refuse, each with a stable code and a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import DomainError


class TicketError(DomainError):
    """An agent's action on a ticket that is not allowed now; shown above the form."""

    messages = {
        "not_allowed": _("You may not answer support tickets."),
        "assignee_not_agent": _("Tickets can only be assigned to support agents."),
        "no_account": _(
            "The customer has no account with this e-mail address: ask them to sign up with it, "
            "then start the repair request."
        ),
        "already_linked": _("This ticket is already linked to a repair request or case."),
        "no_case": _("We know no sent case with this number."),
    }
