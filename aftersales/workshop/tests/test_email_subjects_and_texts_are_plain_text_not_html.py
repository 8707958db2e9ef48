"""An e-mail's subject and text part are plain text: « Colis reçu à l'atelier », never
« l&#x27;atelier »."""

from __future__ import annotations

import pytest
from django.core import mail

from aftersales.repairs.choices import RequestStatus
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db


def test_the_reception_email_says_l_atelier_in_its_subject_and_text(
    case, reception, technician, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(
            case, RequestStatus.RECEIVED, reception=reception, technician=technician, agent=agent
        )

    message = mail.outbox[-1]
    assert message.subject == f"Votre dossier {case.case_number} : Colis reçu à l'atelier"
    assert "Votre colis a été enregistré" in message.body
    for escaped in ("&#x27;", "&#39;", "&amp;", "&quot;"):
        assert escaped not in message.subject and escaped not in message.body
