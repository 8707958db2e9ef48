"""A French customer reads the guide's own words (seed 001) on every page of the online repair
request, from the home page's button to the confirmation (issue 7, item 8)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from aftersales.repairs.choices import Problem
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import ANALYSIS_ANSWERS, answer_every_step, step_url

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture(autouse=True)
def _french_customer(customer):
    customer.preferred_language = "fr"
    customer.save(update_fields=["preferred_language"])


def text_of(response) -> str:
    assert response.status_code == 200, response
    page = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", page.replace("\u00a0", " ").replace("\u2019", "'"))


@pytest.fixture
def draft(customer, mine, paris, europe, repair_centre, plan):
    return answer_every_step(
        RepairRequest.objects.create(user=customer),
        device=mine,
        address=paris,
        problems=[Problem.ACCIDENT_DAMAGE.value],
        has_plan=True,
        plan=plan,
        data_analysis_requested=True,
        accident_date="2026-01-10",
        flight_environment=ANALYSIS_ANSWERS["flight_environment"],
        abnormal_condition=ANALYSIS_ANSWERS["abnormal_condition"],
        flight_account_email="alice@example.com",
        flight_records_synced=True,
    )


# Step slug: the guide's words on that page.
GUIDE_WORDS = {
    "zone": ["Veuillez sélectionner votre zone de service", "Pays/région"],
    "service": [
        "Veuillez remplir les informations du dossier.",
        "Veuillez sélectionner un service.",
        "Réparation – Intervention DJI Care",
        "Remplacement",
    ],
    "problems": [
        "Quel est le problème rencontré avec votre produit ?",
        "Problème matériel",
        "Logiciels et autres",
        "Autres questions",
        "DJI ne fournira que des services de réparation pour le problème de votre produit.",
        "Contactez notre assistance en ligne pour tenter de résoudre le problème.",
        "J'ai contacté l'assistance en ligne, mais le problème ne peut pas être résolu.",
    ],
    "purchase": [
        "Canal d'achat",
        "Date de réception",
        "Télécharger une preuve d'achat",
        # « J'ai souscrit à un forfait de service DJI », not « de services ».
        "J'ai souscrit à un forfait de service DJI",
    ],
    "cause": [
        "Selon votre estimation, quelle peut être la cause de l'accident ?",
        "Problème lié au produit",
        "Problème lié à l'utilisateur",
    ],
    "analysis": [
        "Non, merci.",
        "Demander l'analyse des données",
        "Si vous souhaitez comprendre les principes de l'analyse des données, cliquez ici.",
        "Sélectionnez la date à laquelle l'accident s'est produit.",
        "Sélectionnez l'environnement de vol où l'accident s'est produit.",
        "Sélectionnez la condition anormale avant l'accident.",
        "Renseignez le compte DJI que vous utilisiez lorsque l'accident s'est produit.",
        "Comment synchroniser mes données de vol",
        "J'ai synchronisé mes données de vol.",
        "Lien vidéo",
    ],
    "shipment": [
        "Envoyez-nous vos appareils",
        "Si vous souhaitez avoir recours au programme de service, veuillez envoyer les pièces "
        "en respectant les exigences de la liste :",
        "Composant défectueux",
        "Ensemble de produits complet",
        "Si vous ou le service client DJI avez déterminé qu'un seul composant est défectueux, "
        "par exemple, si la batterie ne peut être rechargée ou si le bouton de la radiocommande "
        "est lâche, il vous suffit d'envoyer le composant défectueux.",
        "Veuillez NE PAS nous envoyer :",
        "Batterie fonctionnant normalement ou gravement endommagée",
        "Hélices intactes",
        "Carte SD fonctionnant normalement",
    ],
    "address": [
        "Veuillez confirmer votre adresse de réception",
        "Veuillez sélectionner une adresse. Si l'adresse enregistrée se trouve en dehors de la "
        "zone de service de DJI, elle ne pourra pas être sélectionnée.",
        "Ajouter une nouvelle adresse",
    ],
    "summary": [
        "Vos informations seront envoyées. Veuillez confirmer les informations suivantes.",
        "Informations sur les produits",
        "Forfait de services",
        "Informations logistiques",
        "Le temps nécessaire à UPS pour enquêter au sujet du colis perdu",
        "DJI peut facturer des frais d'évaluation des dommages de 50",
    ],
}


@pytest.mark.parametrize("slug", list(GUIDE_WORDS))
def test_each_step_reads_as_the_guide(customer_client, draft, slug):
    page = text_of(customer_client.get(step_url(draft, slug), **FRENCH))
    for words in GUIDE_WORDS[slug]:
        assert words in page, words


def test_the_lists_end_in_autres_questions(customer_client, draft):
    page = text_of(customer_client.get(step_url(draft, "analysis"), **FRENCH))
    # Both lists of the analysis step: the environment and the abnormal condition.
    assert page.count("Autres questions") == 2
    assert " Autre " not in page


def test_the_home_page_offers_effectuer_une_demande_de_reparation(customer_client):
    page = text_of(customer_client.get(reverse("core:home"), **FRENCH))
    assert "Effectuer une demande de réparation" in page
    assert "Nouvelle demande" not in page


def test_the_confirmation_page_reads_as_the_guide(customer_client, draft):
    customer_client.post(reverse("repairs:submit", args=[draft.pk]), {"terms_accepted": "on"})
    draft.refresh_from_db()
    page = text_of(
        customer_client.get(reverse("repairs:confirmation", args=[draft.case_number]), **FRENCH)
    )
    for words in [
        "Demande envoyée !",
        "Imprimer mon dossier",
        "Cher client, votre cas a bien été soumis !",
        "Pour rappel, vous serez informé sous deux jours ouvrés après création du dossier "
        "concernant le renvoi du dossier.",
        "Une fois votre dossier référencé dans nos ateliers, vous serez automatiquement notifié "
        "par e-mail.",
        "Vous pouvez consulter l'avancement de votre demande de service comme suit :",
        "Requête relative à la progression de la réparation",
        "Votre demande de réparation en ligne est officiellement terminée.",
    ]:
        assert words in page, words
