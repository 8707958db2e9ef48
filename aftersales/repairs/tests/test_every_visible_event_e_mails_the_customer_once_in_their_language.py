"""Issue 8, "Done when": each customer-visible step sends exactly one e-mail, in the customer's
language, read here from the captured mail. The quote's e-mail lists the options with their
amounts and the validity date and links to the case page (log in first, then back to the case);
a payment due says how much and how to pay; the evaluation's outcome is told with the move that
follows it; the shipped e-mail carries the tracking number."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from aftersales.payments.providers.bank_transfer import transfer_reference
from aftersales.payments.references import reference_format
from aftersales.repairs.choices import (
    EvaluatedCause,
    HoldReason,
    Liability,
    PaymentMethod,
    QuoteLineKind,
    QuoteOption,
    ReceivedContents,
    RequestStatus,
)
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.services import quote_answer
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


@pytest.fixture
def step(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """Runs one piece of work as its own request would: its e-mails go once it commits (the
    test's transaction never does), and are read from the outbox it leaves."""

    def run(work: Callable[[], Any]) -> list[mail.EmailMessage]:
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            work()
        return mail.outbox[sent:]

    return run


def receive(case, reception) -> None:
    services.case_receive(
        case=case,
        by=reception,
        contents=ReceivedContents.COMPLETE_SET,
        serial_number_read=case.serial_number,
    )


def labour(hours: str) -> list[services.QuoteLineInput]:
    return [
        services.QuoteLineInput(
            kind=QuoteLineKind.LABOUR,
            description="Labour",
            quantity=Decimal(hours),
            unit_price=Decimal("50.00"),
        )
    ]


def test_the_whole_plan_replacement_path_sends_one_french_e_mail_per_visible_event(
    case, people, step, spare
):
    S_ = people
    # Staff work in English; Alice reads French.
    translation.activate("en")
    sent: dict[str, list[mail.EmailMessage]] = {}
    sent["received"] = step(lambda: receive(case, S_["reception"]))
    sent["evaluating"] = step(
        lambda: services.case_evaluation_start(case=case, by=S_["technician"])
    )
    sent["evaluation"] = step(
        lambda: services.case_evaluate(
            case=case,
            by=S_["technician"],
            findings="Arms broken.",
            damaged_components=[],
            cause=EvaluatedCause.ACCIDENT,
            liability=Liability.USER,
            labour_hours=Decimal("1.5"),
        )
    )
    sent["quoted"] = step(
        lambda: services.quote_send(case=case, by=S_["technician"], lines=labour("1.5"))
    )
    quote = case.quotes.get()
    sent["answered"] = step(
        lambda: quote_answer(
            case=case, quote_id=quote.pk, option=QuoteOption.PLAN_REPLACEMENT, by=case.user
        )
    )
    sent["paid"] = step(
        lambda: services.payment_record(
            case=case,
            payment=case.payments.get(),
            by=S_["agent"],
            method=PaymentMethod.BANK_TRANSFER,
            reference="NL-4411",
        )
    )
    sent["replaced"] = step(
        lambda: services.case_replace_unit(
            case=case, by=S_["technician"], new_serial_number=spare.serial_number
        )
    )
    sent["checked"] = step(lambda: services.case_replacement_done(case=case, by=S_["technician"]))
    sent["ready"] = step(
        lambda: services.case_quality_check(case=case, by=S_["technician"], passed=True)
    )
    sent["shipped"] = step(
        lambda: services.case_ship(
            case=case, by=S_["reception"], carrier="UPS", tracking_number="1Z999AA10123456784"
        )
    )
    sent["closed"] = step(lambda: services.case_close(case=case, by=S_["agent"]))

    visible = CaseEvent.objects.filter(request=case, customer_visible=True).count()
    assert len(mail.outbox) == visible == 10
    counts = {name: len(messages) for name, messages in sent.items()}
    assert counts == {
        "received": 1,
        "evaluating": 1,
        "evaluation": 0,  # the technician's findings are staff notes
        "quoted": 1,
        "answered": 1,
        "paid": 1,  # « being replaced », which says the payment was received
        "replaced": 1,
        "checked": 1,
        "ready": 1,
        "shipped": 1,
        "closed": 1,
    }
    for message in mail.outbox:
        assert message.to == [case.user.email]
        assert case.case_number in message.subject
        assert "Bonjour Alice," in message.body, message.body
        assert f"/repairs/cases/{case.case_number}/" in message.body
        # One language: none of the English sentences.
        assert "Hello" not in message.body and "Your case" not in message.body

    (received,) = sent["received"]
    assert "Votre colis a été enregistré" in received.body

    (quoted,) = sent["quoted"]
    assert (
        quoted.subject
        == f"Votre dossier {case.case_number} : Devis envoyé : en attente de votre réponse"
    )
    body = quoted.body
    # The evaluation's outcome, then the quote: lines, total, options with amounts, validity.
    assert "Après évaluation : votre forfait couvre un remplacement (remplacement 1 sur 2" in body
    assert "90,75 EUR" in body
    assert "Utiliser le remplacement 1 sur 2 de mon forfait (109,00 EUR)" in body
    assert "Accepter et payer la réparation (90,75 EUR)" in body
    assert "Refuser la réparation et payer les frais d'évaluation (50,00 EUR)" in body
    with translation.override("fr"):
        from django.utils.formats import date_format

        assert date_format(quote.valid_until, "DATE_FORMAT") in body
    assert f"/repairs/cases/{case.case_number}/#quote" in body
    html_body = quoted.alternatives[0][0]  # type: ignore[index]
    assert "109,00 EUR" in html_body and 'lang="fr"' in html_body

    (due,) = sent["answered"]
    assert "En attente de votre paiement" in due.subject
    assert "109,00 EUR (Frais de remplacement du forfait)" in due.body
    # Issue 9: each payment due has its own ISO 11649 reference, which names the case.
    reference = reference_format(transfer_reference(case.case_number, "plan_fee"))
    assert f"109,00 EUR (Frais de remplacement du forfait), référence de virement {reference}" in (
        due.body
    )
    assert "par virement bancaire, avec la référence indiquée ci-dessus" in due.body

    (replacing,) = sent["paid"]
    assert "En cours de remplacement au titre de votre forfait" in replacing.subject
    assert "Nous avons bien reçu votre paiement de 109,00 EUR" in replacing.body
    assert "en cours de remplacement au titre de votre forfait" in replacing.body

    (replaced,) = sent["replaced"]
    assert spare.serial_number in replaced.body
    assert "un message de notre atelier" in replaced.subject

    (shipped,) = sent["shipped"]
    assert "Transporteur : UPS, numéro de suivi 1Z999AA10123456784." in shipped.body


def test_an_english_customer_gets_english_e_mails(case, customer, people, step):
    customer.preferred_language = "en"
    customer.save(update_fields=["preferred_language"])
    case.language = "en"
    case.save(update_fields=["language"])
    translation.activate("fr")  # the staff member's page is French

    (received,) = step(lambda: receive(case, people["reception"]))
    step(lambda: services.case_evaluation_start(case=case, by=people["technician"]))
    step(
        lambda: services.case_evaluate(
            case=case,
            by=people["technician"],
            findings="Arms broken.",
            damaged_components=[],
            cause=EvaluatedCause.ACCIDENT,
            liability=Liability.USER,
            labour_hours=Decimal("1.5"),
        )
    )
    (quoted,) = step(
        lambda: services.quote_send(case=case, by=people["technician"], lines=labour("1.5"))
    )

    assert received.subject == f"Your case {case.case_number}: Parcel received at the workshop"
    assert received.body.startswith("Hello Alice,")
    assert "Your parcel has been registered at our workshop." in received.body
    assert "Use my plan's replacement 1 of 2 (109.00 EUR)" in quoted.body
    assert "Bonjour" not in quoted.body


def test_a_revised_quote_is_e_mailed_with_its_new_options(case, people, step):
    walk_to(case, S.QUOTED, **people)

    (revised,) = step(
        lambda: services.quote_send(case=case, by=people["technician"], lines=labour("3"))
    )

    assert revised.subject == f"Votre dossier {case.case_number} : votre devis a été révisé"
    assert "version 2" in revised.body
    assert "Accepter et payer la réparation (181,50 EUR)" in revised.body


def test_a_refused_quote_says_what_the_evaluation_fee_is_and_how_to_pay_it(case, people, step):
    walk_to(case, S.QUOTED, **people)
    quote = case.quotes.get()

    (refused,) = step(
        lambda: quote_answer(case=case, quote_id=quote.pk, option=QuoteOption.REFUSE, by=case.user)
    )

    assert "réparation" in refused.subject.lower() or "renvoy" in refused.subject.lower()
    assert "50,00 EUR (Frais d'évaluation)" in refused.body
    assert "comptoir du centre de réparation" in refused.body


def test_a_warranty_repair_is_told_as_evaluated_with_no_quote(case, people, step):
    walk_to(case, S.EVALUATING, **people)
    services.case_evaluate(
        case=case,
        by=people["technician"],
        findings="Faulty IMU.",
        damaged_components=[],
        cause=EvaluatedCause.MANUFACTURING_DEFECT,
        liability=Liability.PRODUCT,
        labour_hours=Decimal("1"),
    )

    (repairing,) = step(
        lambda: services.case_warranty_repair_start(case=case, by=people["technician"])
    )

    assert "Après évaluation : couvert par la garantie" in repairing.body
    assert "Votre produit est en cours de réparation." in repairing.body


def test_a_hold_tells_why_in_the_subject(case, people, step):
    walk_to(case, S.EVALUATING, **people)

    (held,) = step(
        lambda: services.case_hold(
            case=case, by=people["technician"], reason=HoldReason.WAITING_FOR_PARTS
        )
    )

    assert held.subject == f"Votre dossier {case.case_number} : En attente de pièces"
    assert "nous attendons des pièces" in held.body


def test_a_case_event_e_mail_runs_twice_and_sends_once(case, people, step):
    from aftersales.repairs.tasks import send_case_event_email

    step(lambda: walk_to(case, S.RECEIVED, **people))
    event = case.events.get(status=S.RECEIVED, kind="status")

    send_case_event_email.call(event_id=event.pk)

    assert len(mail.outbox) == 1


def test_the_e_mails_link_leads_to_the_case_page_after_log_in(case, customer, people, step, client):
    (message,) = step(lambda: walk_to(case, S.RECEIVED, **people))
    link = re.search(r"https?://\S+/repairs/cases/\S+/", message.body)
    assert link, message.body
    path = link.group(0).removeprefix(settings.SITE_URL)

    first = client.get(path)
    assert first.status_code == 302
    login_url = first["Location"]
    assert login_url.startswith(reverse("accounts:login"))
    assert f"next={path}" in login_url.replace("%2F", "/")

    logged_in = client.post(
        login_url, {"username": customer.email, "password": "correct-horse-battery"}
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == path
    assert client.get(path).status_code == 200


def test_a_moves_e_mail_is_queued_in_the_moves_own_transaction(case, people, settings):
    """With the database backend a visible move's e-mail is a row of the move's transaction:
    rolled back with it, committed with it (one commit, and none lost between two)."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from aftersales.repairs.tasks import send_case_event_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = DBTaskResult.objects.filter(task_path=send_case_event_email.module_path)

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        walk_to(case, S.RECEIVED, **people)
        assert queued.count() == 1
        raise RolledBack
    assert queued.count() == 0
    case.refresh_from_db()
    assert case.status == S.SUBMITTED

    walk_to(case, S.RECEIVED, **people)
    event = CaseEvent.objects.get(request=case, status=S.RECEIVED, customer_visible=True)
    assert [row.task_result.kwargs for row in queued] == [{"event_id": event.pk}]
