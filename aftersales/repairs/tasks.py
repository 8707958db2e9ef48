# Placeholder: the confirmation e-mail with the case form (PDF) attached.
from __future__ import annotations

from django_tasks import task


@task()
def send_case_confirmation(*, request_id: int) -> None:
    """Render the case form in the customer's language and e-mail it (to be written)."""
