"""The fifteen answers of seed 000 exist in a fresh install (migration 0002): published, the
French in the seed's words, the English beside it, each leading to the action it describes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.core.i18n import localized
from aftersales.helpcentre.choices import ArticleAction
from aftersales.helpcentre.models import Article

pytestmark = pytest.mark.django_db


def test_the_migration_made_the_fifteen_answers_published_in_both_languages():
    articles = Article.objects.exclude(faq_number=None)
    assert sorted(articles.values_list("faq_number", flat=True)) == list(range(1, 16))
    for article in articles:
        assert article.published
        assert article.title_fr and article.body_fr and article.title_en and article.body_en


def test_the_french_is_the_seeds_wording():
    water = Article.objects.get(faq_number=13)
    assert water.title_fr == (
        "Mon appareil est tombé dans l'eau. DJI Care Refresh couvre-t-il le remplacement ?"
    )
    assert water.body_fr.startswith(
        "Les dégâts sur le produit causés par un contact avec l'eau sont couverts par DJI Care "
        "Refresh."
    )
    renewal = Article.objects.get(faq_number=9)
    assert "Il ne peut pas être renouvelé après expiration." in renewal.body_fr
    assert "It cannot be renewed after it expires." in renewal.body_en
    window = Article.objects.get(faq_number=6)
    # The seed's page break inside a sentence is mended.
    assert "chaque programme de garantie DJI Care Refresh dépend" in window.body_fr


def test_each_answer_leads_to_the_action_it_describes():
    actions = dict(Article.objects.values_list("faq_number", "action"))
    assert actions[3] == ArticleAction.PLAN_ACTIVATE == "plans:activate"
    assert actions[10] == ArticleAction.REPAIR_START == "repairs:start"
    assert actions[12] == ArticleAction.SERIAL_NUMBERS
    for article in Article.objects.exclude(action=""):
        assert article.action_url == reverse(article.action)
        assert article.action_label


def test_the_title_is_read_in_the_readers_language():
    article = Article.objects.get(faq_number=1)
    assert localized(article, "title", "fr") == "Qu'est-ce que DJI Care Refresh ?"
    assert localized(article, "title", "en") == "What is DJI Care Refresh?"
