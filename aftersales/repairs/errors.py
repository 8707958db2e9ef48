"""What the repair workflows refuse, each with a stable code and a translated message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import DomainError

if TYPE_CHECKING:
    from .steps import Step


class CaseIncomplete(DomainError):
    """A step of the request still lacks an answer; `step` is the first such step."""

    messages = {
        "case_incomplete": _("Some answers are missing: please complete “%(step)s”."),
    }

    def __init__(self, step: Step) -> None:
        super().__init__("case_incomplete", step=step.title)
        self.step = step


class TermsNotAccepted(DomainError):
    """The terms of the online repair request were not accepted."""

    messages = {
        "terms_not_accepted": _("Please read and accept the terms to send your request."),
    }

    def __init__(self) -> None:
        super().__init__("terms_not_accepted")


class CaseRuleError(DomainError):
    """A repair centre's request about a case that the case does not allow."""

    messages = {
        # Drafts and cancelled cases are not cases a replacement can be granted for.
        "case_unknown": _("We do not know a submitted repair case with this number."),
    }


class CaseWorkError(DomainError):
    """A move or a record of the workshop's that the case does not allow now (`lifecycle`,
    the workshop's services, the customer's answer to a quote). Shown as a message on the page
    that asked; never a 500."""

    messages = {
        "transition_not_allowed": _("A case that is “%(current)s” cannot become “%(target)s”."),
        "transition_not_permitted": _("You may not move this case to “%(target)s”."),
        # The page showed the case in another status than it has now (another person acted).
        "case_moved": _(
            "This case has changed meanwhile: it is now “%(current)s”. Nothing was saved; "
            "check the case and try again."
        ),
        "not_permitted": _("Your role does not allow this."),
        "wrong_status": _("This cannot be done while the case is “%(current)s”."),
        "quote_not_current": _(
            "This quote has been replaced by a newer one: read the new quote and answer it."
        ),
        "quote_answered": _("This quote has already been answered."),
        "quote_expired": _("This quote expired on %(date)s: contact us for a new one."),
        "option_not_offered": _("This answer is not one of the quote's options."),
        "no_plan_replacement": _("This case has no plan replacement to use."),
        "plan_replacement_used": _(
            "The plan replacement this quote offered has been used since it was sent: choose "
            "another answer, or contact us for a new quote."
        ),
        "payment_not_due": _("No payment of this kind is due for this case."),
        "replacement_recorded": _("This case already has its replacement."),
        # Shipping back through the centre's carrier (repairs.carriers).
        "tracking_number": _("This is not a tracking number of this carrier."),
        "tracking_number_needed": _(
            "Type the tracking number of the label: this centre's carrier issues none."
        ),
        "tracking_number_in_use": _(
            "This tracking number is already on another label (this case's return label, or "
            "another case's): scan the number of the label stuck on this parcel."
        ),
        "tracking_numbers_exhausted": _(
            "The centre's range of tracking numbers is used up: type the number of a label "
            "printed elsewhere, and ask an administrator for a new range."
        ),
        "return_label_sent": _("The customer has had the return label e-mail already."),
        "investigation_open": _("The carrier is already investigating this parcel."),
        "investigation_closed": _("This investigation is closed already."),
        "no_parcel": _("This case has no parcel with a tracking number to investigate."),
        # Express (seed 001): the flag an agent acts on.
        "express_not_flagged": _("This Express case has no flag to deal with."),
        "express_charged": _("The difference of this Express case is charged already."),
    }
