"""What the help centre's workflows refuse, each with a stable code and a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import DomainError


class ArticleError(DomainError):
    """An article's save that is not allowed now; shown above the staff's form."""

    messages = {
        "article_changed": _(
            "Someone else saved this article after you opened it. Nothing of yours was saved: "
            "what you typed is kept in the form, and the version saved meanwhile is shown below "
            "it. Save again to replace that version with yours."
        ),
        "article_gone": _("This article no longer exists."),
    }
