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
