"""An action the table of moves does not allow now, posted all the same (an old tab, a forged
form), is refused by its service: the case page says why, in the reader's language, at the form
that was sent, with what was typed kept — never a 500 — and nothing is saved, not even the
record the action writes before it moves the case. A page that showed an older status gets
"this case has changed meanwhile" with the status it has now."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import (
    Attachment,
    CaseEvent,
    Evaluation,
    Reception,
    RepairRequest,
    ReturnShipment,
)
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


def everything(case: RepairRequest) -> tuple[Any, ...]:
    fresh = RepairRequest.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.status_changed_at,
        CaseEvent.objects.filter(request=case).count(),
        Reception.objects.filter(request=case).count(),
        Evaluation.objects.filter(request=case).count(),
        ReturnShipment.objects.filter(request=case).count(),
        Attachment.objects.filter(request=case).count(),
    )


# In the case's status (submitted), each of these is refused by the table or its guard.
REFUSED_WHEN_SUBMITTED = {
    "evaluation-start": ({}, "cannot become “Being evaluated”"),
    "ship": (
        {"carrier": "UPS", "tracking_number": "1Z999AA10123456784"},
        "This cannot be done while the case is “Submitted: waiting for your parcel”.",
    ),
    "evaluate": (
        {
            "findings": "x",
            "cause": "accident",
            "liability": "user",
            "labour_hours": "1",
            "evaluation_hours": "1",
        },
        "This cannot be done while the case is “Submitted: waiting for your parcel”.",
    ),
    "replace-unit": (
        {"new_serial_number": "SPARE"},  # the spare unit's, a unit that could be the new one
        "This cannot be done while the case is “Submitted: waiting for your parcel”.",
    ),
    "close": ({}, "cannot become “Closed”"),
    "quality-check": ({"result": "passed", "note": ""}, "cannot become “Ready to be shipped back”"),
    "resume": ({"note": ""}, "cannot become “back from hold”"),
    "return-ready": ({}, "cannot become “Ready to be shipped back”"),
    "repair-done": ({"note": "done"}, "cannot become “Final checks”"),
}


@pytest.mark.parametrize("slug", REFUSED_WHEN_SUBMITTED)
def test_an_action_the_table_does_not_allow_now_is_refused_with_a_message(
    client, administrator, case, spare, slug
):
    data, message = REFUSED_WHEN_SUBMITTED[slug]
    data = {key: spare.serial_number if value == "SPARE" else value for key, value in data.items()}
    before = everything(case)
    client.force_login(administrator)
    response = client.post(
        reverse("workshop:action", args=[case.case_number, slug]),
        {"expected_status": S.SUBMITTED, **data},
    )
    assert response.status_code == 422
    panel = response.text.split(f'id="action-{slug}"')[1]
    assert 'role="alert"' in panel and message in panel
    assert everything(case) == before


def test_a_reception_posted_for_a_case_already_received_saves_nothing(
    client, administrator, case, people
):
    walk_to(case, S.EVALUATING, **people)
    before = everything(case)
    client.force_login(administrator)
    response = client.post(
        reverse("workshop:receive", args=[case.case_number]),
        # The page is honest about the status: the table itself refuses.
        {"expected_status": S.EVALUATING, "serial_number_read": "163CX1", "contents": "component"},
    )
    assert response.status_code == 422
    assert "This cannot be done while the case is “Being evaluated”." in response.text
    assert everything(case) == before


def test_the_page_in_french_says_it_in_french(client, administrator, case):
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(
        reverse("workshop:action", args=[case.case_number, "close"]),
        {"expected_status": S.SUBMITTED},
    )
    assert response.status_code == 422
    assert '<html lang="fr">' in response.text
    assert "ne peut pas devenir" in response.text


def test_a_page_that_showed_an_older_status_says_the_case_moved_and_keeps_the_typing(
    client, technician, case, people
):
    walk_to(case, S.EVALUATING, **people)
    client.force_login(technician)
    typed = {
        "expected_status": S.RECEIVED,  # what the technician's page showed
        "findings": "Motor 3 burnt.",
        "cause": "accident",
        "liability": "user",
        "labour_hours": "2",
        "evaluation_hours": "1",
    }
    before = everything(case)
    response = client.post(reverse("workshop:action", args=[case.case_number, "evaluate"]), typed)
    assert response.status_code == 409
    panel = response.text.split('id="action-evaluate"')[1]
    assert "This case has changed meanwhile: it is now “Being evaluated”" in panel
    assert "Motor 3 burnt." in panel
    # Sent again from this page, it acts on the case as it is now.
    assert 'name="expected_status" value="evaluating"' in panel
    assert everything(case) == before
    again = client.post(
        reverse("workshop:action", args=[case.case_number, "evaluate"]),
        {**typed, "expected_status": S.EVALUATING},
    )
    assert again.status_code == 302
    assert case.evaluations.get().findings == "Motor 3 burnt."


def test_a_form_posted_with_nonsense_is_a_message_never_a_500(client, administrator, case):
    client.force_login(administrator)
    for data in (
        {"expected_status": "nonsense"},
        {"expected_status": S.SUBMITTED, "contents": "x" * 5000, "serial_number_read": "\x00"},
        {},
    ):
        response = client.post(reverse("workshop:receive", args=[case.case_number]), data)
        assert response.status_code == 422
    payment_url = reverse("workshop:payment", args=[case.case_number, 999999])
    assert client.post(payment_url, {}).status_code == 404
    unknown = reverse("workshop:action", args=[case.case_number, "teleport"])
    assert client.post(unknown, {}).status_code == 404
    assert client.get(reverse("workshop:case", args=["CAS-0000000-NOCASE"])).status_code == 404


@pytest.mark.parametrize(
    ("status", "french"),
    [
        ("nonsense", "Sélectionnez un choix valide. nonsense n’en fait pas partie."),
        ("draft ", "Sélectionnez un choix valide. draft  n’en fait pas partie."),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_a_forged_page_status_is_refused_at_its_field_and_a_real_one_accepted(case, status, french):
    from aftersales.workshop.forms import ReceptionForm

    typed = {"serial_number_read": "163CX1", "contents": "component"}
    forged = ReceptionForm({**typed, "expected_status": status}, case=case, slug="receive")
    assert not forged.is_valid()
    assert list(forged.errors) == ["expected_status"]
    with translation.override("fr"):  # Django's own message, in the reader's language
        refused = ReceptionForm({**typed, "expected_status": status}, case=case, slug="receive")
        assert refused.errors["expected_status"] == [french]
    real = ReceptionForm({**typed, "expected_status": S.SUBMITTED}, case=case, slug="receive")
    assert real.is_valid(), real.errors
    assert real.cleaned_data["expected_status"] == S.SUBMITTED


@pytest.mark.parametrize(
    ("action", "data"),
    [
        # Not a move of the table from "being evaluated": refused as a stale page, not as a move.
        ("evaluation-start", {}),
        # A move the table allows from "being evaluated" too: only the page's status refuses it.
        ("hold", {"reason": "parts", "note": "Motor ordered."}),
    ],
)
def test_a_move_that_records_nothing_else_from_an_older_page_says_the_case_moved(
    client, technician, case, people, action, data
):
    walk_to(case, S.EVALUATING, **people)
    client.force_login(technician)
    before = everything(case)
    response = client.post(
        reverse("workshop:action", args=[case.case_number, action]),
        {"expected_status": S.RECEIVED, **data},  # what the technician's page showed
    )
    assert response.status_code == 409
    assert "This case has changed meanwhile: it is now “Being evaluated”" in response.text
    assert everything(case) == before
